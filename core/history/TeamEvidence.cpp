#include "TeamEvidence.h"

#include "HistorySql.h"
#include "registration/SecretMasking.h"
#include "registration/SecretScanner.h"

#include <QJsonDocument>
#include <QSqlQuery>

namespace dcr {

using namespace history_sql;

namespace {

QVariant msecs(const QDateTime& t) {
    return t.isValid() ? QVariant(t.toMSecsSinceEpoch()) : QVariant();
}

QDateTime fromMsecs(const QVariant& v) {
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

// A plain column a list shows (profile, target, end note): it may quote a bank's text or a URL
// with a token in its query, and is masked like any such text.
QString sharedText(const QString& text) {
    return SecretScanner::maskText(text);
}

const char* const kRunColumns = "id, run_id, writer_user, writer_host, started_at, finished_at, "
                                "plan, profile, target, spec, passed, failed, skipped, errors, "
                                "end_note, summary";

TeamRun readRun(const QSqlQuery& q) {
    TeamRun r;
    r.id = q.value(0).toLongLong();
    r.runId = q.value(1).toString();
    r.writerUser = q.value(2).toString();
    r.writerHost = q.value(3).toString();
    r.started = fromMsecs(q.value(4));
    r.finished = fromMsecs(q.value(5));
    r.plan = q.value(6).toString();
    r.profile = q.value(7).toString();
    r.target = q.value(8).toString();
    r.spec = q.value(9).toString();
    r.passed = q.value(10).toInt();
    r.failed = q.value(11).toInt();
    r.skipped = q.value(12).toInt();
    r.errors = q.value(13).toInt();
    r.endNote = q.value(14).toString();
    r.summary = QJsonDocument::fromJson(q.value(15).toString().toUtf8()).object();
    return r;
}

TeamProfile readProfile(const QSqlQuery& q) {
    TeamProfile p;
    p.name = q.value(0).toString();
    p.publisherUser = q.value(1).toString();
    p.publisherHost = q.value(2).toString();
    p.publishedAt = fromMsecs(q.value(3));
    p.profile = QJsonDocument::fromJson(q.value(4).toString().toUtf8()).object();
    return p;
}

const char* const kProfileColumns = "name, publisher_user, publisher_host, published_at, profile";

} // namespace

QJsonObject TeamEvidence::sharedSummary(const QJsonObject& summary) {
    return maskSecretFields(summary, QString::fromUtf8(SecretScanner::mask())).toObject();
}

Result<bool> TeamEvidence::shareRun(const QSqlDatabase& db, const TeamRun& run,
                                    const WriterIdentity& writer) {
    if (run.runId.trimmed().isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     tr("a test run without a run id cannot be shared")};
    const QByteArray summary =
        QJsonDocument(sharedSummary(run.summary)).toJson(QJsonDocument::Compact);
    if (summary.size() > MaxSummaryBytes)
        return Error{ErrorKind::InputUnreadable,
                     tr("test run %1 was not shared: its summary has %2 bytes, more than the %3 a "
                        "team history takes")
                         .arg(run.runId)
                         .arg(summary.size())
                         .arg(MaxSummaryBytes)};
    auto q = exec(
        db,
        QStringLiteral("INSERT INTO test_runs (run_id, writer_user, writer_host, "
                       "started_at, finished_at, plan, profile, target, spec, passed, "
                       "failed, skipped, errors, end_note, summary) VALUES (?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (run_id) DO NOTHING"),
        {run.runId, writer.user, writer.host, msecs(run.started), msecs(run.finished), run.plan,
         sharedText(run.profile), sharedText(run.target), run.spec, run.passed, run.failed,
         run.skipped, run.errors, sharedText(run.endNote), QString::fromUtf8(summary)},
        tr("sharing test run %1").arg(run.runId));
    if (!q)
        return q.error();
    return q->numRowsAffected() > 0;
}

Result<QList<TeamRun>> TeamEvidence::runs(const QSqlDatabase& db, int limit) {
    if (limit < 1 || limit > MaxRunsListed)
        return Error{ErrorKind::InputUnreadable,
                     tr("the team's runs are listed 1 to %1 at a time, not %2")
                         .arg(MaxRunsListed)
                         .arg(limit)};
    auto q = exec(db,
                  QStringLiteral("SELECT %1 FROM test_runs ORDER BY started_at DESC, id DESC "
                                 "LIMIT %2")
                      .arg(QLatin1String(kRunColumns))
                      .arg(limit),
                  {}, tr("reading the team's test runs"));
    if (!q)
        return q.error();
    QList<TeamRun> out;
    while (q->next())
        out << readRun(*q);
    return out;
}

Result<TeamRun> TeamEvidence::run(const QSqlDatabase& db, const QString& runId) {
    auto q = exec(
        db,
        QStringLiteral("SELECT %1 FROM test_runs WHERE run_id = ?").arg(QLatin1String(kRunColumns)),
        {runId}, tr("reading the team's test run %1").arg(runId));
    if (!q)
        return q.error();
    if (!q->next())
        return Error{ErrorKind::StorageNotFound,
                     tr("the team history has no test run \"%1\"").arg(runId)};
    return readRun(*q);
}

Status TeamEvidence::publishProfile(const QSqlDatabase& db, const TeamProfile& profile,
                                    const WriterIdentity& writer, bool replace) {
    const QString what = tr("publishing profile \"%1\"").arg(profile.name);
    if (!replace) {
        auto existing = TeamEvidence::profile(db, profile.name);
        if (existing)
            return Error{ErrorKind::InputUnreadable,
                         tr("the team already has a profile \"%1\", published by %2 on %3; "
                            "publish under another name, or replace it (--replace, or confirm in "
                            "the console)")
                             .arg(profile.name, existing->publisher(),
                                  existing->publishedAt.toString(Qt::ISODate))};
        if (existing.error().kind != ErrorKind::StorageNotFound)
            return existing.error();
    }
    const QString json =
        QString::fromUtf8(QJsonDocument(profile.profile).toJson(QJsonDocument::Compact));
    auto q = exec(db,
                  QStringLiteral("INSERT INTO team_profiles (name, publisher_user, publisher_host, "
                                 "published_at, profile) VALUES (?, ?, ?, ?, ?) ON CONFLICT "
                                 "(name) DO UPDATE SET publisher_user = excluded.publisher_user, "
                                 "publisher_host = excluded.publisher_host, published_at = "
                                 "excluded.published_at, profile = excluded.profile"),
                  {profile.name, writer.user, writer.host, msecs(profile.publishedAt), json}, what);
    if (!q)
        return q.error();
    return {};
}

Result<QList<TeamProfile>> TeamEvidence::profiles(const QSqlDatabase& db) {
    auto q = exec(db,
                  QStringLiteral("SELECT %1 FROM team_profiles ORDER BY name")
                      .arg(QLatin1String(kProfileColumns)),
                  {}, tr("reading the team's profiles"));
    if (!q)
        return q.error();
    QList<TeamProfile> out;
    while (q->next())
        out << readProfile(*q);
    return out;
}

Result<TeamProfile> TeamEvidence::profile(const QSqlDatabase& db, const QString& name) {
    auto q = exec(db,
                  QStringLiteral("SELECT %1 FROM team_profiles WHERE name = ?")
                      .arg(QLatin1String(kProfileColumns)),
                  {name}, tr("reading the team's profile \"%1\"").arg(name));
    if (!q)
        return q.error();
    if (!q->next())
        return Error{ErrorKind::StorageNotFound,
                     tr("the team history has no published profile \"%1\"").arg(name)};
    return readProfile(*q);
}

} // namespace dcr
