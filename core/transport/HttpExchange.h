#pragma once

#include "common/Error.h"
#include "registration/RegistrationOutcome.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace dcr {

// One HTTP request and what came back (or why nothing did), captured as a value so it can be
// shown, stored and exported without the network objects that produced it.
struct HttpExchange {
    QByteArray method;
    QUrl url;
    HeaderList requestHeaders;
    QByteArray requestBody;

    int status = 0;
    QByteArray reason;
    HeaderList responseHeaders;
    QByteArray responseBody;
    bool truncated = false; // the body was cut at the size cap

    QDateTime started;
    qint64 elapsedMs = 0;
    qint64 firstByteMs = -1;

    QString tlsProtocol;
    QString tlsCipher;
    QStringList peerChain; // subject DNs, leaf first
    bool insecure = false; // TLS verification was switched off for this exchange
    // Said about the TLS session that carried the exchange (#21.17: a suite without forward
    // secrecy on a profile that allows it); empty: nothing to say.
    QString tlsWarning;

    std::optional<Error> failure; // transport failure; status is 0 when nothing was received

    bool completed() const { return !failure.has_value(); }
    QString responseHeader(const QByteArray& name) const;
    QJsonObject toJson(bool revealSecrets = false) const;
};

// isSecretField is declared in registration/RegistrationOutcome.h (the classifier needs it too).
// Replaces the values of secret fields in a JSON body (and Authorization headers) with a mask;
// text that is not JSON is masked like any body (maskSecretsInBody).
QByteArray maskSecretsInJson(const QByteArray& body);
// A body as it may be shown or exported, whatever its format: JSON with its secret fields masked;
// a signed body (application/jwt or jose, or a bare compact JWS) as
// {"jws_header":..,"jws_payload":..,"note":..} with the payload's secrets masked, because the
// base64url segments reveal them to anyone who decodes them; a JWT-typed body that cannot be
// decoded is withheld. Any other body (JSON with text after it, a form, a body cut at the size
// limit, HTML, text, padded base64) is masked by a SecretScanner, and replaced by
// SecretScanner::withheldNotice() where its secrets cannot be located with certainty.
QByteArray maskSecretsInBody(const QByteArray& body, const QByteArray& contentType);
// maskSecretsInBody for a reader: JSON (the masked body, or the decoded JWS) pretty-printed,
// anything else as it is. What the test-run reports and their comparison show of an answer.
QString maskedBodyForReading(const QByteArray& body, const QByteArray& contentType);
// Like maskSecretsInBody, but secret values become null: what "forget secrets" stores in place of
// the body. A signed body is replaced by its decoded payload (the signature cannot be checked
// any more, and the note says so).
QByteArray forgetSecretsInBody(const QByteArray& body, const QByteArray& contentType);
// Whether a body holds a secret maskSecretsInBody would hide (or might: an unsure scan counts):
// a JSON or JWS-payload secret field with a non-null value, or one a scan finds in any text or
// decoded base64. Request bodies are exported as sent unless this is true; the shared history
// stores no body for which it is true unmasked.
bool bodyHasSecrets(const QByteArray& body);
QByteArray maskHeaderValue(const QByteArray& name, const QByteArray& value);
QString failureClassName(ErrorKind kind);

} // namespace dcr

Q_DECLARE_METATYPE(dcr::HttpExchange)
