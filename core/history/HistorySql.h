#pragma once

#include "SubmissionRecord.h"
#include "common/Result.h"

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QVariantList>

// The SQL plumbing both history backends share: errors as values, statements all or nothing,
// and one mapping between a SubmissionRecord and a row.
namespace dcr::history_sql {

Error sqlError(const QSqlError& e, const QString& what);
Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& sql, const QVariantList& binds = {},
                       const QString& what = {});
// The first column of every row of a query (row ids).
Result<QList<qint64>> ids(const QSqlDatabase& db, const QString& sql, const QVariantList& binds,
                          const QString& what);
Status beginTransaction(QSqlDatabase db, const QString& what);
// A commit can fail (disk full, lock timeout, server gone): then nothing of the transaction is
// kept, and the caller must hear about it.
Status commitOrRollback(QSqlDatabase db, const QString& what);
// Runs statements in an open transaction; rolls back and reports the first failure.
Status execInTransaction(QSqlDatabase db, const QStringList& statements, const QString& what);

// Columns a list shows (no bodies), in the order readSummary reads them.
QString summaryColumns();
// The columns get() adds to the summary, read by readDetails after the summary ones.
QString detailColumns();
SubmissionRecord readSummary(const QSqlQuery& q);
void readDetails(const QSqlQuery& q, SubmissionRecord& r);

// Every column of a row but its id (and the derived search text), and the values of a record
// in that order: one insert for a new row, an upload from the outbox and an import.
QString rowColumns();
QVariantList rowValues(const SubmissionRecord& r);
// INSERT of a whole record; onConflict: "" (a new uid), "DO NOTHING" (import) or "DO UPDATE"
// (an outbox upload completes the row the server already has).
QString insertSql(const QString& onConflict);

QString headersJson(const HeaderList& headers);

} // namespace dcr::history_sql
