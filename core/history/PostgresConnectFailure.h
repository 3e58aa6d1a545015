#pragma once

#include "HistoryLocation.h"
#include "common/Error.h"

#include <QString>

namespace dcr {

// Why a connection to a shared (PostgreSQL) history failed, read from libpq's message: the
// server was not reached (down, firewalled, wrong host or port, TLS settings), or it answered and
// refused the login (password missing or wrong, no pg_hba.conf entry, database or role missing).
// Both keep submissions in the outbox; the messages differ because a refused login is fixed by
// the user or the administrator, not by waiting.
//
// libpq reports a failed connection as text only (no SQLSTATE reaches Qt's QPSQL driver), so the
// reason is found by the English wording of libpq and the server. A server or libpq that speaks
// another language (lc_messages, LANG) makes a refused login read as "unreachable": the rows are
// still kept in the outbox, only the advice is less precise.
struct PostgresConnectFailure {
    enum class Reason {
        Unreachable,
        PasswordMissing,  // no password for this host, database and user in the password file
        PasswordRejected, // a wrong password (or, under password authentication, no such role)
        NotAllowed,       // pg_hba.conf has no entry for this user, machine and database
        DatabaseMissing,
        RoleMissing,
        OtherRefusal, // peer, ident or certificate authentication failed; no CONNECT privilege
    };

    Reason reason = Reason::Unreachable;
    QString serverText; // libpq's message, whitespace folded

    static PostgresConnectFailure classify(const QString& libpqMessage);
    bool loginRefused() const { return reason != Reason::Unreachable; }
    // What to tell the user: what was refused, for which user and database, and how to fix it
    // (kind StorageLoginRefused), or that the server was not reached (StorageUnavailable). It
    // names the URL as written (it never holds a password) and never a password.
    Error toError(const HistoryLocation& location) const;
};

} // namespace dcr
