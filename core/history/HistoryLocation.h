#pragma once

#include "common/Result.h"

#include <QString>

namespace dcr {

// Where the history lives, as the user wrote it in --history-db, DCR_HISTORY_DB or the console's
// setting: a file path (SQLite, the embedded default) or a postgresql://user@host:port/dbname URL
// (a shared PostgreSQL database). A password is never part of it: libpq reads it from
// $PGPASSFILE or ~/.pgpass, so it is never written into settings or history.
struct HistoryLocation {
    enum class Backend { Sqlite, Postgres };

    Backend backend = Backend::Sqlite;
    QString path;     // SQLite: the file
    QString host;     // PostgreSQL
    int port = 5432;  // PostgreSQL
    QString user;     // PostgreSQL; empty: libpq's default (the login name)
    QString database; // PostgreSQL
    // libpq connection options for QPSQL ("sslmode=require;connect_timeout=5"), from the URL's
    // query and our defaults.
    QString connectOptions;
    QString text; // as written (never holds a password: parse() refuses one)

    static constexpr int DefaultConnectTimeoutSeconds = 5;

    static Result<HistoryLocation> parse(const QString& text);
    // The text with any password of a URL replaced by "…", for messages (parse() refuses a
    // password, but the text the user typed is still shown back).
    static QString redacted(const QString& text);
    bool isShared() const { return backend == Backend::Postgres; }
    // What to show the user: the file path or the URL (it never holds a password).
    QString display() const;
};

} // namespace dcr
