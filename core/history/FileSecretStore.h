#pragma once

#include "LocalSecretStore.h"

#include <QCoreApplication>

namespace dcr {

// The secrets in the table local_secrets of the shared history's local SQLite file (mode 0600):
// used when no keychain service runs, and by the keychain store as the place a row's secrets wait
// until the keychain confirms it holds them (and keep them when it refuses).
class FileSecretStore : public LocalSecretStore {
    Q_DECLARE_TR_FUNCTIONS(FileSecretStore)
public:
    // connection: the open Qt SQL connection of the local file; location: the shared database it
    // belongs to (stored beside each row); path: the file, as the user sees it.
    FileSecretStore(QString connection, QString location, QString path);
    QString description() const override;
    Status keep(const QString& uid, const LocalSecrets& secrets) override;
    std::optional<LocalSecrets> find(const QString& uid) const override;
    Status forget(const QString& uid) override;
    // Forgets a row's secrets only if the file still holds exactly these (a newer copy, kept
    // since, stays): the keychain confirmed that it holds these.
    Status forgetIfUnchanged(const QString& uid, const LocalSecrets& secrets);
    // The rows of this shared database whose secrets the file holds.
    QStringList uids() const;

private:
    QString m_connection;
    QString m_location;
    QString m_path;
};

} // namespace dcr
