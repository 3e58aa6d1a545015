#pragma once

#include "HistoryDialect.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QSqlDatabase>
#include <QStringList>

namespace dcr {

// The history's schema and its migrations, written once in SQLite's words and translated by a
// HistoryDialect, so both backends have the same columns and versions.
class HistorySchema {
    Q_DECLARE_TR_FUNCTIONS(HistorySchema)
public:
    static constexpr int Version = 7;

    // The SQL the schema had in its first released version (migrations start from it).
    static QStringList firstSql();
    // The statements that take a history from version - 1 to version.
    static QStringList steps(const HistoryDialect& dialect, int version);
    // Every step up to version: tests start from an old history with it.
    static QStringList sqlUpTo(const HistoryDialect& dialect, int version);
    // The version a history has (0: none yet), read in the caller's transaction or none.
    static Result<int> storedVersion(const QSqlDatabase& db, const HistoryDialect& dialect,
                                     const QString& what);
    // One version's transaction, taking the migration lock first. On SQLite it begins
    // IMMEDIATE: the write lock is taken (waiting up to the busy timeout) before the version is
    // read. A deferred BEGIN would read first, and upgrading a read to a write while another
    // process creates the schema fails at once with "locked", without waiting (#21.16).
    static Status migrateTo(QSqlDatabase db, const HistoryDialect& dialect, int target);
};

} // namespace dcr
