#include "HistorySql.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace dcr::history_sql {

namespace {

// Messages the user reads, in the language of the running program.
struct HistorySqlTr {
    Q_DECLARE_TR_FUNCTIONS(HistorySql)
};

QStringList columnList(const char* text) {
    return QString::fromLatin1(text).split(QStringLiteral(", "));
}

const QStringList kSummary =
    columnList("id, created_at, completed_at, state, profile, method, url, content_type, "
               "software_id, client_name, response_status, outcome, error_class, error_code, "
               "error_text, failure_class, failure_message, elapsed_ms, note, tags, client_id, "
               "uid, writer_user, writer_host, writer_pid, secrets_holder, tls_verification_off");

const QStringList kDetails =
    columnList("request_jwt, request_claims, response_headers, response_body, "
               "response_truncated, tls_summary, secrets_forgotten, writer_process");

const QStringList kRow =
    columnList("created_at, completed_at, state, profile, method, url, content_type, "
               "request_jwt, request_claims, software_id, client_name, response_status, "
               "response_headers, response_body, response_truncated, outcome, error_class, "
               "error_code, error_text, failure_class, failure_message, elapsed_ms, "
               "tls_summary, note, tags, client_id, secrets_forgotten, uid, writer_user, "
               "writer_host, writer_pid, writer_process, secrets_holder, tls_verification_off");

bool isLockedError(const QSqlError& e) {
    const QString t = e.nativeErrorCode();
    return t == QStringLiteral("5") || t == QStringLiteral("6") ||
           e.text().contains(QStringLiteral("locked"), Qt::CaseInsensitive);
}

QDateTime fromMs(const QVariant& v) {
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

QVariant msOrNull(const QDateTime& t) {
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
}

QVariant textOrNull(const QString& s) {
    return s.isEmpty() ? QVariant() : QVariant(s);
}

HeaderList headersFromJson(const QString& json) {
    HeaderList out;
    for (const auto& v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << qMakePair(v.toArray().at(0).toString().toLatin1(),
                         v.toArray().at(1).toString().toLatin1());
    return out;
}

} // namespace

Error sqlError(const QSqlError& e, const QString& what) {
    if (isLockedError(e))
        return {
            ErrorKind::StorageLocked,
            HistorySqlTr::tr("%1: the history database is locked by another process (waited for "
                             "it, then gave up): %2")
                .arg(what, e.text())};
    if (e.nativeErrorCode() == QStringLiteral("26") || e.nativeErrorCode() == QStringLiteral("11"))
        return {ErrorKind::StorageCorrupt,
                HistorySqlTr::tr("%1: the history database is damaged: %2").arg(what, e.text())};
    return {ErrorKind::StorageUnavailable, QStringLiteral("%1: %2").arg(what, e.text())};
}

Result<QSqlQuery> exec(const QSqlDatabase& db, const QString& sql, const QVariantList& binds,
                       const QString& what) {
    QSqlQuery q(db);
    // PostgreSQL cannot prepare DDL; a statement without parameters runs as it is.
    if (binds.isEmpty()) {
        if (!q.exec(sql))
            return sqlError(q.lastError(), what.isEmpty() ? sql.left(40) : what);
        return q;
    }
    if (!q.prepare(sql))
        return sqlError(q.lastError(), what.isEmpty() ? sql.left(40) : what);
    for (const auto& b : binds)
        q.addBindValue(b);
    if (!q.exec())
        return sqlError(q.lastError(), what.isEmpty() ? sql.left(40) : what);
    return q;
}

Result<QList<qint64>> ids(const QSqlDatabase& db, const QString& sql, const QVariantList& binds,
                          const QString& what) {
    auto q = exec(db, sql, binds, what);
    if (!q)
        return q.error();
    QList<qint64> out;
    while (q->next())
        out << q->value(0).toLongLong();
    return out;
}

Status beginTransaction(QSqlDatabase db, const QString& what) {
    if (!db.transaction())
        return sqlError(db.lastError(), what);
    return {};
}

Status commitOrRollback(QSqlDatabase db, const QString& what) {
    if (db.commit())
        return {};
    const Error e = sqlError(db.lastError(), what);
    db.rollback();
    return e;
}

Status execInTransaction(QSqlDatabase db, const QStringList& statements, const QString& what) {
    for (const QString& sql : statements)
        if (auto r = exec(db, sql, {}, what); !r) {
            db.rollback();
            return r.error();
        }
    return {};
}

QString summaryColumns() {
    return kSummary.join(QStringLiteral(", "));
}

QString detailColumns() {
    return kDetails.join(QStringLiteral(", "));
}

SubmissionRecord readSummary(const QSqlQuery& q) {
    SubmissionRecord r;
    r.id = q.value(0).toLongLong();
    r.created = fromMs(q.value(1));
    r.completed = fromMs(q.value(2));
    r.state = q.value(3).toString();
    r.profile = q.value(4).toString();
    r.method = q.value(5).toString().toLatin1();
    r.url = q.value(6).toString();
    r.contentType = q.value(7).toString().toLatin1();
    r.softwareId = q.value(8).toString();
    r.clientName = q.value(9).toString();
    r.responseStatus = q.value(10).toInt();
    r.outcome = q.value(11).toString();
    r.errorClass = q.value(12).toString();
    r.errorCode = q.value(13).toString();
    r.errorText = q.value(14).toString();
    r.failureClass = q.value(15).toString();
    r.failureMessage = q.value(16).toString();
    r.elapsedMs = q.value(17).toLongLong();
    r.note = q.value(18).toString();
    r.tags = q.value(19).toString().split(u',', Qt::SkipEmptyParts);
    r.clientId = q.value(20).toString();
    r.uid = q.value(21).toString();
    r.writerUser = q.value(22).toString();
    r.writerHost = q.value(23).toString();
    r.writerPid = q.value(24).toLongLong();
    r.secretsHolder = q.value(25).toString();
    r.tlsVerificationOff = q.value(26).toInt() != 0;
    return r;
}

void readDetails(const QSqlQuery& q, SubmissionRecord& r) {
    const int at = static_cast<int>(kSummary.size());
    r.requestJwt = q.value(at).toString().toLatin1();
    r.requestClaims = QJsonDocument::fromJson(q.value(at + 1).toString().toUtf8()).object();
    r.responseHeaders = headersFromJson(q.value(at + 2).toString());
    r.responseBody = q.value(at + 3).toByteArray();
    r.truncated = q.value(at + 4).toInt() != 0;
    r.tlsSummary = q.value(at + 5).toString();
    r.secretsForgotten = q.value(at + 6).toInt() != 0;
    r.writerProcess = q.value(at + 7).toString();
}

QString rowColumns() {
    return kRow.join(QStringLiteral(", "));
}

QVariantList rowValues(const SubmissionRecord& r) {
    const bool answered = r.responseStatus != 0 || !r.responseHeaders.isEmpty();
    return {r.created.toMSecsSinceEpoch(),
            msOrNull(r.completed),
            r.state,
            r.profile,
            QString::fromLatin1(r.method),
            r.url,
            QString::fromLatin1(r.contentType),
            QString::fromLatin1(r.requestJwt),
            QString::fromUtf8(QJsonDocument(r.requestClaims).toJson(QJsonDocument::Compact)),
            r.softwareId,
            r.clientName,
            answered ? QVariant(r.responseStatus) : QVariant(),
            answered ? QVariant(headersJson(r.responseHeaders)) : QVariant(),
            r.responseBody,
            r.truncated ? 1 : 0,
            r.outcome,
            r.errorClass,
            r.errorCode,
            r.errorText,
            r.failureClass,
            r.failureMessage,
            r.completed.isValid() ? QVariant(r.elapsedMs) : QVariant(),
            r.tlsSummary,
            r.note,
            r.tags.join(u','),
            textOrNull(r.clientId),
            r.secretsForgotten ? 1 : 0,
            textOrNull(r.uid),
            r.writerUser,
            r.writerHost,
            r.writerPid,
            r.writerProcess,
            textOrNull(r.secretsHolder),
            r.tlsVerificationOff ? 1 : 0};
}

QString insertSql(const QString& onConflict) {
    QStringList marks;
    QStringList updates;
    for (const QString& c : kRow) {
        marks << QStringLiteral("?");
        updates << c + QStringLiteral(" = excluded.") + c;
    }
    QString sql = QStringLiteral("INSERT INTO submissions (%1) VALUES (%2)")
                      .arg(rowColumns(), marks.join(QStringLiteral(", ")));
    if (onConflict == QStringLiteral("DO NOTHING"))
        sql += QStringLiteral(" ON CONFLICT (uid) DO NOTHING");
    else if (onConflict == QStringLiteral("DO UPDATE"))
        sql += QStringLiteral(" ON CONFLICT (uid) DO UPDATE SET ") +
               updates.join(QStringLiteral(", "));
    return sql + QStringLiteral(" RETURNING id");
}

QString headersJson(const HeaderList& headers) {
    QJsonArray a;
    for (const auto& [k, v] : headers)
        a.append(QJsonArray{QString::fromLatin1(k), QString::fromLatin1(v)});
    return QString::fromUtf8(QJsonDocument(a).toJson(QJsonDocument::Compact));
}

} // namespace dcr::history_sql
