#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>

#include <optional>

namespace dcr {

// The clear parts of a shared history row that carry secrets (client_secret,
// registration_access_token): kept on this machine only, never in the shared database.
struct LocalSecrets {
    QByteArray requestJwt;
    QJsonObject requestClaims;
    QByteArray responseBody;
};

// Where this machine keeps the clear secrets of its shared history rows, by row uid: the desktop
// keychain (KeychainSecretStore) or, when no keychain service runs, the local SQLite file
// (FileSecretStore).
class LocalSecretStore {
public:
    virtual ~LocalSecretStore() = default;
    // What the user is told: "desktop keychain" or "local file <path>".
    virtual QString description() const = 0;
    virtual Status keep(const QString& uid, const LocalSecrets& secrets) = 0;
    // nullopt: this machine holds no secrets for that row.
    virtual std::optional<LocalSecrets> find(const QString& uid) const = 0;
    virtual Status forget(const QString& uid) = 0;
};

} // namespace dcr
