#pragma once

#include "LocalSecretStore.h"

#include <QCoreApplication>

#include <functional>

namespace dcr {

// The secrets in the table local_secrets of the shared history's local SQLite file (mode 0600):
// used when no keychain service runs, and by the keychain store as the place a row's secrets wait
// until the keychain confirms it holds them (and keep them when it refuses). The table
// local_secret_deletions lists the rows whose keychain entry is being deleted: until the keychain
// confirms, such a row counts as having no secrets here, and the next start deletes it again.
class FileSecretStore : public LocalSecretStore {
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
    // Forgets a row's secrets only if the file still holds exactly these (a newer copy, kept
    // since, stays): the keychain confirmed that it holds these.
    Status forgetIfUnchanged(const QString& uid, const LocalSecrets& secrets);
    // The rows of this shared database whose secrets the file holds.
    QStringList uids() const;

    // A keychain deletion of a row's secrets that is not confirmed yet.
    struct PendingDeletion {
        QString uid;
        QString token; // which request: a confirmation clears only its own
    };
    // Forgets the file's copy and records that the keychain's copy is being deleted, in one step.
    Result<PendingDeletion> forgetPendingKeychain(const QString& uid);
    bool deletionPending(const QString& uid) const;
    // The keychain confirmed deletion: the record goes, unless a newer request replaced it.
    Status deletionConfirmed(const PendingDeletion& deletion);
    // The deletions of this shared database that the keychain has not confirmed.
    QList<PendingDeletion> pendingDeletions() const;

private:
    // Runs statements as one step (a savepoint, so it nests in a caller's transaction).
    Status inOneStep(const QString& what, const std::function<Status()>& statements);

    QString m_connection;
    QString m_location;
    QString m_path;
};

} // namespace dcr
