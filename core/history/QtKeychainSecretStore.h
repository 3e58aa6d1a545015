#pragma once

#include "KeychainFallback.h"
#include "KeychainSecretStore.h"

#include <QHash>
#include <QSet>

#include <memory>

class QObject;
class QEventLoop;

namespace dcr {

// KeychainSecretStore through QtKeychain (the Secret Service, e.g. GNOME Keyring or KWallet). Part
// of the keychain module (KeychainModule), never of a program: only the module links QtKeychain.
//
// Write first, keychain after: keep() writes the secrets to the local file (KeychainFallback, mode
// 0600) and returns; no event loop runs inside it, so nothing else (a click, a timer, a network
// answer, a second write) can run in the middle of recording a submission. The copy to the
// keychain is an asynchronous QtKeychain job, answered through the caller's own event loop; when
// the keychain confirms it holds those secrets, the file's copy goes (unless newer secrets were
// kept since). A refused or unanswered write leaves them in the file, and so does a process that
// ends first: the next store that writes (resumePending) copies them again. find() looks in the
// file first, so a row whose copy is not confirmed yet is read from there.
//
// Forgetting is the same, the other way round: forget() deletes the file's copy and records the
// deletion in the file (one step), then starts an asynchronous QtKeychain delete; nothing is read
// first and no event loop runs. Until the keychain confirms, find() counts the row as having no
// secrets, and a process that ends first leaves the record for the next writing store
// (resumePending) to delete again. flush() lets a short program (dcrctl) wait for all this, at its
// top level, before it exits.
class QtKeychainSecretStore : public KeychainSecretStore {
public:
    // Whether a keychain service answers (KeychainModule::serviceRunning).
    static bool serviceRunning();

    // database: what identifies the shared database (host:port/name); fallback: the local file,
    // where the secrets wait for the keychain.
    QtKeychainSecretStore(QString database, KeychainFallback& fallback,
                          int timeoutMs = DefaultTimeoutMs);
    ~QtKeychainSecretStore() override;
    QString description() const override;
    Status keep(const QString& uid, const LocalSecrets& secrets) override;
    std::optional<LocalSecrets> find(const QString& uid) const override;
    Status forget(const QString& uid) override;

    void resumePending() override;
    int flush(int timeoutMs) override;
    int unanswered() const override { return int(m_writing.size() + m_deleting.size()); }

private:
    QString keyFor(const QString& uid) const;
    void startWrite(const QString& uid, const LocalSecrets& secrets);
    void written(const QString& uid, const LocalSecrets& secrets, bool ok, const QString& why);
    void startDelete(const KeychainFallback::PendingDeletion& deletion);
    void deleted(const KeychainFallback::PendingDeletion& deletion, bool ok, const QString& why);
    void answered();

    QString m_database;
    KeychainFallback& m_fallback;
    int m_timeoutMs;
    // The receiver of the jobs' answers: gone with the store, so a late answer touches nothing
    // (the secrets stay in the file for the next start).
    std::unique_ptr<QObject> m_jobs;
    // One keychain write per row at a time, so an older copy never lands after a newer one: the
    // rows being written, and the newest secrets to write after that.
    QSet<QString> m_writing;
    QHash<QString, LocalSecrets> m_next;
    // Deletes under way (a row can have more than one: each is its own request).
    QMultiHash<QString, QString> m_deleting;
    // The loop flush() runs, told to stop when the last answer comes.
    QEventLoop* m_flushing = nullptr;
};

} // namespace dcr
