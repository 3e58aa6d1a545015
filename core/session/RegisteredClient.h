#pragma once

#include "ClientStatus.h"
#include "history/SubmissionRecord.h"

#include <QDateTime>
#include <QUrl>

#include <optional>

namespace dcr {

// A client a profile registered, as its history tells it: the registration and every read,
// update and delete since. Nothing here is stored separately, so it cannot disagree with the
// history.
struct RegisteredClient {
    using Status = ClientStatus;
    QString profile;
    QString clientId;
    QUrl registrationClientUri;     // empty: the ASPSP gave none (use endpoint + "/" + id)
    QString authMethod;             // token_endpoint_auth_method as registered
    Status status = Status::Active; // evidence.status, the newest the bank said (ClientStatus.h)
    ClientEvidence evidence;
    QDateTime registered;
    QDateTime lastChecked; // the last read, update, delete or token request; invalid when never
    qint64 registrationHistoryId = 0;
    qint64 lastHistoryId = 0;
    bool hasRegistrationAccessToken = false;

    QJsonObject toJson() const;
};

// Rows oldest first (HistoryStore::clientRecords). A client's status follows the newest evidence
// among its rows (evidenceFrom), token requests included.
QList<RegisteredClient> deriveRegisteredClients(const QList<SubmissionRecord>& rows);

// The newest evidence about a client among rows (oldest first) other than the row `beforeRow`
// (the request being explained; 0: none); nullopt when they hold no answer about it. By identity,
// not by comparing ids: a team history's outbox rows have negative keys, and a row shared later
// gets a larger id than rows written after it.
std::optional<ClientEvidence> newestClientEvidence(const QList<SubmissionRecord>& rows,
                                                   const QString& clientId, qint64 beforeRow = 0);

// The newest registration_access_token the ASPSP gave for this client (RFC 7592 §3: a PUT may
// rotate it, and then only the new one is valid); std::nullopt when none is kept.
std::optional<QByteArray> newestRegistrationAccessToken(const QList<SubmissionRecord>& rows,
                                                        const QString& profile,
                                                        const QString& clientId);

} // namespace dcr
