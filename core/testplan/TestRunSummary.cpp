#include "TestRunSummary.h"

#include "ResultDetailsSpool.h"
#include "ShownScenario.h"

#include "common/AtomicFile.h"
#include "common/ExitCode.h"
#include "common/JsonInteger.h"
#include "common/LocalFile.h"
#include "common/PrivateFiles.h"
#include "common/Utf8.h"
#include "registration/SecretScanner.h"
#include "transport/HttpExchange.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QSysInfo>

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace dcr {

namespace {

struct TestRunSummaryTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::TestRunSummary)
};

// What TestRunner records as the reason of the scenario a cancel cut short; runs saved before
// ScenarioResult::cancelled was kept are recognised by it.
const char* const CancelledReason = "the run was cancelled";

// A saved status: absent (no answer) or an HTTP status. Anything else (1e300, 2.5, "401", 42) is
// refused rather than read as 0 or cast.
Result<int> savedStatus(const QJsonValue& value) {
    if (value.isUndefined())
        return 0;
    const auto status = jsonInteger(value);
    if (!status || *status < 100 || *status > 599)
        return Error{ErrorKind::JsonInvalid,
                     TestRunSummaryTr::tr(
                         "\"status\" must be an HTTP status (a whole number from 100 to 599), "
                         "not %1")
                         .arg(QString::fromUtf8(QJsonDocument(QJsonArray{value})
                                                    .toJson(QJsonDocument::Compact)
                                                    .mid(1)
                                                    .chopped(1)))};
    return static_cast<int>(*status);
}

} // namespace

QString verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Passed:
        return s("passed");
    case Verdict::Failed:
        return s("failed");
    case Verdict::Skipped:
        return s("skipped");
    case Verdict::Error:
        return s("error");
    }
    return {};
}

QJsonObject ScenarioResult::toJson() const {
    QJsonArray ids;
    for (qint64 id : historyIds)
        ids.append(static_cast<double>(id));
    QJsonObject o{{s("id"), scenarioId},
                  {s("title"), title},
                  {s("source"), source},
                  {s("mutations"), mutations},
                  {s("verdict"), verdictName(verdict)},
                  {s("expected"), expected},
                  {s("got"), SecretScanner::maskText(got)},
                  {s("history_ids"), ids},
                  {s("elapsed_ms"), static_cast<double>(elapsedMs)}};
    if (!reason.isEmpty())
        o.insert(s("reason"), SecretScanner::maskText(reason));
    if (transportFailure)
        o.insert(s("transport_failure"), true);
    if (cancelled)
        o.insert(s("cancelled"), true);
    if (!requestClaims.isEmpty())
        o.insert(s("request_claims"),
                 QJsonDocument::fromJson(maskSecretsInJson(QJsonDocument(requestClaims).toJson()))
                     .object());
    if (httpStatus) {
        o.insert(s("status"), httpStatus);
        o.insert(s("response_body"),
                 QString::fromUtf8(maskSecretsInBody(responseBody, responseContentType)));
    }
    return o;
}

Result<ScenarioResult> ScenarioResult::fromJson(const QJsonObject& o) {
    ScenarioResult r;
    r.scenarioId = o.value(s("id")).toString();
    if (r.scenarioId.isEmpty())
        return Error{ErrorKind::JsonInvalid,
                     TestRunSummaryTr::tr("\"id\" must be a non-empty string")};
    // Every later error names the scenario too.
    auto at = [&r](const QString& message) {
        return Error{ErrorKind::JsonInvalid, s("%1: %2").arg(r.scenarioId, message)};
    };
    const QString verdict = o.value(s("verdict")).toString();
    const Verdict all[] = {Verdict::Passed, Verdict::Failed, Verdict::Skipped, Verdict::Error};
    bool known = false;
    for (Verdict v : all)
        if (verdictName(v) == verdict) {
            r.verdict = v;
            known = true;
        }
    if (!known)
        return at(
            TestRunSummaryTr::tr("\"verdict\" must be passed, failed, skipped or error, not \"%1\"")
                .arg(verdict));
    r.title = o.value(s("title")).toString();
    r.source = o.value(s("source")).toString();
    r.mutations = o.value(s("mutations")).toString();
    r.expected = o.value(s("expected")).toString();
    r.got = o.value(s("got")).toString();
    r.reason = o.value(s("reason")).toString();
    r.transportFailure = o.value(s("transport_failure")).toBool();
    // Runs saved before the flag was kept: a cancel's result is an error with the cancel's reason.
    r.cancelled = o.contains(s("cancelled"))
                      ? o.value(s("cancelled")).toBool()
                      : r.verdict == Verdict::Error && r.reason == QLatin1String(CancelledReason);
    // A summary file is read back from disk: a number in it that is no whole number (1e300) is
    // refused, not cast (undefined behaviour).
    for (const auto& id : o.value(s("history_ids")).toArray()) {
        const auto value = jsonInteger(id);
        if (!value || *value <= 0)
            return at(TestRunSummaryTr::tr("history_ids: %1 is not a history id")
                          .arg(id.toVariant().toString()));
        r.historyIds << *value;
    }
    r.requestClaims = o.value(s("request_claims")).toObject();
    auto status = savedStatus(o.value(s("status")));
    if (!status)
        return at(status.error().message);
    r.httpStatus = *status;
    r.responseBody = o.value(s("response_body")).toString().toUtf8();
    r.elapsedMs = jsonInteger(o.value(s("elapsed_ms"))).value_or(0);
    return r;
}

int TestRunSummary::count(Verdict verdict) const {
    return static_cast<int>(std::count_if(results.begin(), results.end(),
                                          [&](const auto& r) { return r.verdict == verdict; }));
}

QString TestRunSummary::endNote() const {
    if (cancelled)
        return QCoreApplication::translate("dcr::TestRunSummary", "cancelled");
    if (!stopReason.isEmpty())
        return QCoreApplication::translate("dcr::TestRunSummary", "stopped: %1").arg(stopReason);
    return {};
}

bool TestRunSummary::allMet() const {
    return !cancelled && stopReason.isEmpty() && count(Verdict::Failed) == 0 &&
           count(Verdict::Error) == 0;
}

bool ScenarioResult::answered() const {
    return httpStatus != 0 || verdict == Verdict::Passed || verdict == Verdict::Failed;
}

bool TestRunSummary::unreachable() const {
    return !cancelled && !stopReason.isEmpty() && !results.isEmpty() &&
           results.last().transportFailure;
}

int TestRunSummary::exitCode() const {
    if (unreachable())
        return ExitNetwork;
    return allMet() ? ExitOk : ExitNegative;
}

Result<ShownScenario> TestRunSummary::shown(const ScenarioResult& result) const {
    if (result.spooled < 0)
        return ShownScenario::of(result);
    if (!spool)
        return Error{
            ErrorKind::InputUnreadable,
            TestRunSummaryTr::tr("%1: its details were kept on disk, and that file is gone")
                .arg(result.scenarioId)};
    return spool->read(result.spooled);
}

QJsonObject TestRunSummary::toJsonWithoutResults() const {
    return {{s("run_id"), runId},
            {s("plan"), planName},
            {s("profile"), profile},
            {s("spec"), spec},
            {s("target"), SecretScanner::maskText(target)},
            {s("started"), started.toUTC().toString(Qt::ISODateWithMs)},
            {s("finished"), finished.toUTC().toString(Qt::ISODateWithMs)},
            {s("cancelled"), cancelled},
            {s("stop_reason"), stopReason},
            {s("tls_verification_off"), tlsVerificationOff},
            {s("passed"), count(Verdict::Passed)},
            {s("failed"), count(Verdict::Failed)},
            {s("skipped"), count(Verdict::Skipped)},
            {s("errors"), count(Verdict::Error)},
            {s("results"), QJsonArray()},
            {s("planned"), planned},
            {s("who"), who}};
}

QJsonObject TestRunSummary::toJson() const {
    QJsonArray list;
    for (const auto& r : results) {
        auto shownResult = shown(r);
        if (shownResult) {
            list.append(shownResult->json);
        } else { // never silently: the compact result, and why the rest is missing
            QJsonObject o = r.toJson();
            o.insert(s("details_unavailable"), shownResult.error().message);
            list.append(o);
        }
    }
    QJsonObject o = toJsonWithoutResults();
    o.insert(s("results"), list);
    return o;
}

Status TestRunSummary::writeJson(const ByteSink& put) const {
    // The run without its results, as QJsonDocument writes it; the results go where its empty
    // array is, each indented as that array's elements would be (two levels, 8 spaces). JSON
    // escapes every newline inside a string, so each raw newline starts a line of structure.
    const QByteArray head = QJsonDocument(toJsonWithoutResults()).toJson(QJsonDocument::Indented);
    const QByteArray opening = "\n    \"results\": [";
    const QByteArray closing = "\n    ]";
    const qsizetype at = head.indexOf(opening + closing);
    Q_ASSERT(at >= 0);
    const qsizetype rest = at + opening.size() + closing.size();
    if (results.isEmpty())
        return put(head);
    if (auto ok = put(head.left(at + opening.size()) + '\n'); !ok)
        return ok;
    for (qsizetype i = 0; i < results.size(); ++i) {
        auto shownResult = shown(results.at(i));
        if (!shownResult)
            return shownResult.error();
        QByteArray element = QJsonDocument(shownResult->json).toJson(QJsonDocument::Indented);
        element.chop(1); // the document's final newline
        element.replace('\n', "\n        ");
        element.prepend("        ");
        element += i + 1 < results.size() ? ",\n" : "\n";
        if (auto ok = put(element); !ok)
            return ok;
    }
    return put("    ]" + head.mid(rest));
}

Result<TestRunSummary> TestRunSummary::fromJson(const QJsonObject& o) {
    TestRunSummary summary;
    summary.runId = o.value(s("run_id")).toString();
    if (summary.runId.isEmpty() || !o.value(s("results")).isArray())
        return Error{ErrorKind::JsonInvalid, s("not a test run: no run_id or results")};
    summary.planName = o.value(s("plan")).toString();
    summary.profile = o.value(s("profile")).toString();
    summary.spec = o.value(s("spec")).toString();
    summary.target = o.value(s("target")).toString();
    summary.started = QDateTime::fromString(o.value(s("started")).toString(), Qt::ISODateWithMs);
    summary.finished = QDateTime::fromString(o.value(s("finished")).toString(), Qt::ISODateWithMs);
    summary.cancelled = o.value(s("cancelled")).toBool();
    summary.stopReason = o.value(s("stop_reason")).toString();
    // Runs saved before the reason was kept bare carry the prefix endNote() adds.
    if (summary.stopReason.startsWith(s("stopped: ")))
        summary.stopReason = summary.stopReason.mid(9);
    summary.tlsVerificationOff = o.value(s("tls_verification_off")).toBool();
    summary.who = o.value(s("who")).toString();
    const QJsonArray results = o.value(s("results")).toArray();
    for (qsizetype i = 0; i < results.size(); ++i) {
        // A crafted or damaged file: the error says which result is wrong.
        auto r = ScenarioResult::fromJson(results.at(i).toObject());
        if (!r)
            return Error{ErrorKind::JsonInvalid,
                         s("results[%1]: %2").arg(QString::number(i), r.error().message)};
        summary.results << *r;
    }
    // A file's number is range-checked: at least what was played, never a huge bar.
    const int played = static_cast<int>(summary.results.size());
    const int planned = o.value(s("planned")).toInt(played);
    summary.planned = planned >= played && planned <= MaxPlannedScenarios ? planned : played;
    return summary;
}

QString testRunner() {
    QString user = qEnvironmentVariable("USER");
    if (user.isEmpty())
        user = qEnvironmentVariable("USERNAME");
    return s("%1@%2").arg(user.isEmpty() ? s("unknown") : user, QSysInfo::machineHostName());
}

Status saveTestRun(const QString& dir, const TestRunSummary& summary) {
    if (auto made = makePrivateFolder(dir); !made)
        return made.error();
    // Milliseconds too: two runs started within one second (a cancel, then a rerun) must still
    // sort in the order they started.
    const QString name =
        s("%1-%2.json")
            .arg(summary.started.toUTC().toString(s("yyyyMMdd-HHmmss-zzz")), summary.runId);
    // Streamed: a long run's file is never built whole in memory (#26).
    return writeFileAtomically(QDir(dir).filePath(name), [&summary](QIODevice& file) {
        return summary.writeJson([&file](const QByteArray& bytes) -> Status {
            if (file.write(bytes) != bytes.size())
                return Error{ErrorKind::InputUnreadable, file.errorString()};
            return {};
        });
    });
}

QList<TestRunSummary> loadTestRuns(const QString& dir) {
    QList<TestRunSummary> runs;
    // The names start with the UTC start time, so name order is time order.
    const QStringList files =
        QDir(dir).entryList({s("*.json")}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString& name : files) {
        auto bytes = readLocalFile(QDir(dir).filePath(name), 64 * 1024 * 1024);
        if (!bytes)
            continue;
        auto run = TestRunSummary::fromJson(QJsonDocument::fromJson(*bytes).object());
        if (run)
            runs << *run;
    }
    return runs;
}

} // namespace dcr
