#pragma once

#include "HistoryDialect.h"
#include "TeamProfile.h"
#include "TeamRun.h"
#include "WriterIdentity.h"
#include "common/Result.h"

#include <QCoreApplication>
#include <QList>
#include <QSqlDatabase>

namespace dcr {

// What a team shares besides history rows (#25.4): test-run summaries (table test_runs) and
// published profiles (table team_profiles), in plain SQL over one history connection. Who wrote a
// row is the writer identity given here, stamped in columns of its own. A run's summary is masked
// once more on its way in (sharedSummary), whatever the caller already did: the server's copy is
// read by the whole team.
class TeamEvidence {
    Q_DECLARE_TR_FUNCTIONS(TeamEvidence)
public:
    // The largest summary JSON shared (a run of the built-in plan is a few hundred KiB).
    static constexpr qsizetype MaxSummaryBytes = 16 * 1024 * 1024;
    // The most runs a list reads at once (newest first).
    static constexpr int MaxRunsListed = 1000;

    // The summary as the team may read it: every secret field at any depth masked, and every
    // string in which a scan finds (or may find) a secret masked or replaced as a whole
    // (maskSecretFields, the same walk that masks a shared row's JSON).
    static QJsonObject sharedSummary(const QJsonObject& summary);

    // Shares a run as `writer`; a run already shared (same run id) is left as it is and answers
    // false.
    static Result<bool> shareRun(const QSqlDatabase& db, const TeamRun& run,
                                 const WriterIdentity& writer);
    // The newest runs first, at most limit (1..MaxRunsListed), each with its summary.
    static Result<QList<TeamRun>> runs(const QSqlDatabase& db, int limit);
    // One run by its run id; StorageNotFound when the team has none.
    static Result<TeamRun> run(const QSqlDatabase& db, const QString& runId);

    // Publishes a profile as `writer`. A name already published is refused (StorageConflict,
    // naming who published it and when) unless replace is set.
    static Status publishProfile(const QSqlDatabase& db, const TeamProfile& profile,
                                 const WriterIdentity& writer, bool replace);
    // Every published profile, by name.
    static Result<QList<TeamProfile>> profiles(const QSqlDatabase& db);
    // One published profile; StorageNotFound when none has this name.
    static Result<TeamProfile> profile(const QSqlDatabase& db, const QString& name);
};

} // namespace dcr
