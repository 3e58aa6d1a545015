#pragma once

#include "LocalSecretStore.h"

#include <QList>
#include <QStringList>

namespace dcr {

// What the keychain store needs of the local file where a row's secrets wait until the keychain
// confirms it holds them (FileSecretStore implements it). An interface with nothing but pure
// virtual functions, so that the keychain module (KeychainModule) calls the file store of the
// program that loaded it through this table, and links none of dcr_history.
class KeychainFallback : public LocalSecretStore {
public:
    // A keychain deletion of a row's secrets that is not confirmed yet.
    struct PendingDeletion {
        QString uid;
        QString token; // which request: a confirmation clears only its own
    };

    // Forgets a row's secrets only if the file still holds exactly these (a newer copy, kept
    // since, stays): the keychain confirmed that it holds these.
    virtual Status forgetIfUnchanged(const QString& uid, const LocalSecrets& secrets) = 0;
    // The rows of this shared database whose secrets the file holds.
    virtual QStringList uids() const = 0;
    // Forgets the file's copy and records that the keychain's copy is being deleted, in one step.
    virtual Result<PendingDeletion> forgetPendingKeychain(const QString& uid) = 0;
    virtual bool deletionPending(const QString& uid) const = 0;
    // The keychain confirmed deletion: the record goes, unless a newer request replaced it.
    virtual Status deletionConfirmed(const PendingDeletion& deletion) = 0;
    // The deletions of this shared database that the keychain has not confirmed.
    virtual QList<PendingDeletion> pendingDeletions() const = 0;
};

} // namespace dcr
