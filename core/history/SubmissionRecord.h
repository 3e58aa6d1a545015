#pragma once

#include "WriterIdentity.h"
#include "registration/RegistrationOutcome.h"
#include "transport/HttpExchange.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace dcr {

// What is known before a request leaves: written first, in state "sending".
struct SubmissionStart {
    QString profile;
    QByteArray method = "POST";
    QString url;
    QByteArray contentType;
    QByteArray requestJwt;
    QJsonObject requestClaims;
    QString softwareId;
    QString clientName;
    QString clientId; // a read, update or delete: the client it is about
    // The profile switched TLS certificate verification off. Known before anything is sent, so
    // the row says so even when the exchange fails or ends without a TLS summary (#21.15).
    bool tlsVerificationOff = false;
};

// One row of the history: a submission and, once known, its answer.
struct SubmissionRecord {
    qint64 id = 0;
    QDateTime created;
    QDateTime completed;
    QString state; // sending, completed, interrupted
    QString profile;
    QByteArray method;
    QString url;
    QByteArray contentType;
    QByteArray requestJwt;
    QJsonObject requestClaims;
    QString softwareId;
    QString clientName;
    int responseStatus = 0;
    HeaderList responseHeaders;
    QByteArray responseBody;
    bool truncated = false;
    QString outcome; // accepted, registered, error, unexpected, transport, interrupted, sending
    QString errorClass;
    QString errorCode;
    QString errorText;
    QString failureClass;
    QString failureMessage;
    qint64 elapsedMs = 0;
    QString tlsSummary;
    // TLS certificate verification was off (an insecure profile or --insecure): its own column,
    // set when the row is begun, whatever the exchange later reports.
    bool tlsVerificationOff = false;
    QString note;
    QStringList tags;
    QString clientId;
    bool secretsForgotten = false;
    // Unique across every history, so a row uploaded from the outbox or imported twice is
    // still one row.
    QString uid;
    // Who wrote the row (WriterIdentity): shown as "user@host", filtered with --by.
    QString writerUser;
    QString writerHost;
    qint64 writerPid = 0;
    QString writerProcess;
    // A shared (PostgreSQL) row whose secrets were kept out of it: the machine and user that
    // hold them ("user@host"). secretsElsewhere: they are not on this machine, so the bodies
    // here are masked and no token can be taken from them.
    QString secretsHolder;
    bool secretsElsewhere = false;
    // Kept in the local outbox: the shared history was unreachable when it was written.
    bool unshared = false;

    // A new row in state "sending", before its request leaves, with a fresh uid.
    static SubmissionRecord begun(const SubmissionStart& start, const WriterIdentity& writer,
                                  const QDateTime& now);
    // The answer part of a row, from an exchange and its classification (outcome may be null).
    void recordAnswer(const HttpExchange& exchange, const RegistrationOutcome* outcome,
                      const QDateTime& now);

    QString writer() const {
        return writerUser.isEmpty() ? QString() : writerUser + u'@' + writerHost;
    }

    // Secrets (client_secret, registration_access_token, ...) are masked unless revealSecrets, in
    // JSON and in signed (JWT) bodies alike (see maskSecretsInBody).
    QJsonObject toJson(bool revealSecrets = false) const;
    QByteArray displayedResponseBody(bool revealSecrets = false) const;
    // The bank's words as recorded, masked like a body unless revealSecrets (rows written before
    // the classification masked them may quote a secret).
    QString displayedErrorText(bool revealSecrets = false) const;
    QByteArray responseContentType() const;
    // A shell command that sends the same request again with curl (transport files as
    // placeholders; a request body carrying a secret as a placeholder too).
    QString toCurl() const;
};

} // namespace dcr
