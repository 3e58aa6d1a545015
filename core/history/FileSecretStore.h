#pragma once

#include "KeychainFallback.h"

#include <QCoreApplication>

#include <functional>

namespace dcr {

// The secrets in the table local_secrets of the shared history's local SQLite file (mode 0600):
// used when no keychain service runs, and by the keychain store as the place a row's secrets wait
// until the keychain confirms it holds them (and keep them when it refuses). The table
// local_secret_deletions lists the rows whose keychain entry is being deleted: until the keychain
// confirms, such a row counts as having no secrets here, and the next start deletes it again.
class FileSecretStore : public KeychainFallback {
    Q_DECLARE_TR_FUNCTIONS(FileSecretStore)
public:
    // Creates the two tables in the local file (connection) if they are not there yet.
    static Status prepare(const QString& connection);

    // connection: the open Qt SQL connection of the local file; location: the shared database it
    // belongs to (stored beside each row); path: the file, as the user sees it.
    FileSecretStore(QString connection, QString location, QString path);
    QString description() const override;
    Status keep(const QString& uid, const LocalSecrets& secrets) override;
    std::optional<LocalSecrets> find(const QString& uid) const override;
    Status forget(const QString& uid) override;
    Status forgetIfUnchanged(const QString& uid, const LocalSecrets& secrets) override;
    QStringList uids() const override;
    Result<PendingDeletion> forgetPendingKeychain(const QString& uid) override;
    bool deletionPending(const QString& uid) const override;
    Status deletionConfirmed(const PendingDeletion& deletion) override;
    QList<PendingDeletion> pendingDeletions() const override;

private:
    // Runs statements as one step (a savepoint, so it nests in a caller's transaction).
    Status inOneStep(const QString& what, const std::function<Status()>& statements);

    QString m_connection;
    QString m_location;
    QString m_path;
};

} // namespace dcr
