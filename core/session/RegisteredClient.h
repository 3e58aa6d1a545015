#pragma once

#include "history/SubmissionRecord.h"

#include <QDateTime>
#include <QUrl>

#include <optional>

namespace dcr {

// A client a profile registered, as its history tells it: the registration and every read,
// update and delete since. Nothing here is stored separately, so it cannot disagree with the
// history.
struct RegisteredClient {
    enum class Status { Active, Deleted, Unknown };
    QString profile;
    QString clientId;
    QUrl registrationClientUri; // empty: the ASPSP gave none (use endpoint + "/" + id)
    QString authMethod;         // token_endpoint_auth_method as registered
    Status status = Status::Active;
    QDateTime registered;
    QDateTime lastChecked; // the last read, update or delete; invalid when never
    qint64 registrationHistoryId = 0;
    qint64 lastHistoryId = 0;
    bool hasRegistrationAccessToken = false;

    QJsonObject toJson() const;
};

QString clientStatusName(RegisteredClient::Status status);

// Rows oldest first (HistoryStore::clientRecords).
QList<RegisteredClient> deriveRegisteredClients(const QList<SubmissionRecord>& rows);

// The newest registration_access_token the ASPSP gave for this client (RFC 7592 §3: a PUT may
// rotate it, and then only the new one is valid); std::nullopt when none is kept.
std::optional<QByteArray> newestRegistrationAccessToken(const QList<SubmissionRecord>& rows,
                                                        const QString& profile,
                                                        const QString& clientId);

} // namespace dcr
