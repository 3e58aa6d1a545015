#pragma once

#include "HistoryLocation.h"

#include <QStringList>
#include <QVariantList>

namespace dcr {

// Where the SQL of the two history backends differs; everything else (queries, paging, filters,
// migrations) is written once in HistoryStore. The schema is written in SQLite's words and
// translated here, so both backends have the same columns and versions.
class HistoryDialect {
public:
    explicit HistoryDialect(HistoryLocation::Backend backend)
        : m_backend(backend) {}

    bool isPostgres() const { return m_backend == HistoryLocation::Backend::Postgres; }
    QString driver() const;
    // SQLite DDL in this backend's types (64-bit integers, BYTEA, identity ids).
    QString ddl(const QString& sqliteDdl) const;
    QStringList ddl(const QStringList& sqliteDdl) const;
    // One bind: a table name; answers a count.
    QString tableExistsSql() const;
    // Run first in every migration transaction: two consoles starting together against one
    // server must not both migrate (SQLite already serialises writers).
    QStringList migrationLock() const;
    // Schema version 3: a trigram index answering the text filter.
    QStringList searchIndexSteps() const;
    // The text filter condition for a trimmed, non-empty text, binds appended.
    QString textCondition(const QString& text, QVariantList& binds) const;

private:
    QString searchText(const QString& prefix) const;

    HistoryLocation::Backend m_backend;
};

} // namespace dcr
