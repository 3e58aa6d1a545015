// Issue #25.1: two runs compared scenario by scenario (TestRunDiff) from constructed summaries:
// every kind of change, the exit decision, JSON, finding saved runs by id or file, and the HTML
// regression report's escaping and masking.
#include "common/ExitCode.h"
#include "testplan/TestReport.h"
#include "testplan/TestRunDiff.h"
#include "testplan/TestRunDiffReport.h"
#include "testplan/TestRunLookup.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace dcr;

namespace {

ScenarioResult result(const QString& id, Verdict verdict, int status, const QString& got) {
    ScenarioResult r;
    r.scenarioId = id;
    r.title = id + QStringLiteral(" title");
    r.verdict = verdict;
    r.expected = QStringLiteral("401 WrongRequiredFields");
    r.httpStatus = status;
    r.got = got;
    if (verdict == Verdict::Failed)
        r.reason = QStringLiteral("not the expected answer");
    return r;
}

ScenarioResult noAnswer(const QString& id, const QString& message) {
    ScenarioResult r = result(id, Verdict::Error, 0, message);
    r.transportFailure = true;
    return r;
}

TestRunSummary run(const QString& id, const QList<ScenarioResult>& results) {
    TestRunSummary summary;
    summary.runId = id;
    summary.planName = QStringLiteral("built-in");
    summary.profile = QStringLiteral("bank");
    summary.spec = QStringLiteral("seed");
    summary.started = QDateTime::currentDateTimeUtc();
    summary.finished = summary.started;
    summary.results = results;
    summary.planned = static_cast<int>(results.size());
    return summary;
}

// A run as a saved file holds it, read back (TestRunSummary::fromJson), after `edit` changed its
// JSON: what a crafted, older or damaged file gives.
Result<TestRunSummary> reread(const TestRunSummary& summary,
                              const std::function<void(QJsonObject&)>& edit) {
    QJsonObject o = summary.toJson();
    edit(o);
    return TestRunSummary::fromJson(o);
}

// Changes result `index` of a run's JSON.
void editResult(QJsonObject& run, int index, const std::function<void(QJsonObject&)>& edit) {
    QJsonArray results = run[QStringLiteral("results")].toArray();
    QJsonObject r = results.at(index).toObject();
    edit(r);
    results[index] = r;
    run[QStringLiteral("results")] = results;
}

const ScenarioChange* find(const TestRunDiff& diff, const QString& id) {
    for (const ScenarioChange& c : diff.changes())
        if (c.scenarioId == id)
            return &c;
    return nullptr;
}

// One run pair with a scenario of every kind.
TestRunDiff everyKind() {
    const TestRunSummary before =
        run(QStringLiteral("aaaa0001"),
            {result("regress", Verdict::Passed, 401, "401 WrongRequiredFields"),
             result("skip-then-fail", Verdict::Skipped, 0, ""),
             result("fixed", Verdict::Failed, 201, "201 registered"),
             result("still", Verdict::Failed, 201, "201 registered"),
             result("other-class", Verdict::Passed, 400, "400 invalid_client_metadata"),
             result("other-status", Verdict::Passed, 400, "400 invalid_client_metadata"),
             result("same", Verdict::Passed, 401, "401 WrongRequiredFields"),
             noAnswer("down-both", "connection refused (port 1111)"),
             result("gone", Verdict::Passed, 401, "401 WrongRequiredFields")});
    const TestRunSummary after =
        run(QStringLiteral("bbbb0002"),
            {result("regress", Verdict::Failed, 201, "201 registered"),
             noAnswer("skip-then-fail", "no answer within 30 s"),
             result("fixed", Verdict::Passed, 401, "401 WrongRequiredFields"),
             result("still", Verdict::Failed, 200, "200 registered"),
             result("other-class", Verdict::Passed, 400, "400 invalid_redirect_uri"),
             result("other-status", Verdict::Passed, 403, "403 invalid_client_metadata"),
             result("same", Verdict::Passed, 401, "401 WrongRequiredFields"),
             noAnswer("down-both", "connection refused (port 2222)"),
             result("new-pass", Verdict::Passed, 401, "401 WrongRequiredFields")});
    return TestRunDiff::compare(before, after);
}

} // namespace

class TestTestRunDiff : public QObject {
    Q_OBJECT

private slots:
    void everyKindOfChange() {
        const TestRunDiff diff = everyKind();
        const std::pair<const char*, ChangeKind> expected[] = {
            {"regress", ChangeKind::NewlyFailing},
            {"skip-then-fail", ChangeKind::NewlyFailing},
            {"fixed", ChangeKind::NewlyPassing},
            {"still", ChangeKind::StillFailing},
            {"other-class", ChangeKind::ChangedAnswer},
            {"other-status", ChangeKind::ChangedAnswer},
            {"same", ChangeKind::Unchanged},
            {"down-both", ChangeKind::StillFailing},
            {"new-pass", ChangeKind::Added},
            {"gone", ChangeKind::Removed}};
        QCOMPARE(diff.changes().size(), std::size(expected));
        for (const auto& [id, kind] : expected) {
            const ScenarioChange* c = find(diff, QString::fromLatin1(id));
            QVERIFY2(c, id);
            QVERIFY2(c->kind == kind, qPrintable(QStringLiteral("%1: %2").arg(
                                          QString::fromLatin1(id), changeKindName(c->kind))));
        }
        // The after run's order, then what only the before run played.
        QCOMPARE(diff.changes().first().scenarioId, QStringLiteral("regress"));
        QCOMPARE(diff.changes().last().scenarioId, QStringLiteral("gone"));
        QCOMPARE(diff.count(ChangeKind::NewlyFailing), 2);
        QCOMPARE(diff.count(ChangeKind::ChangedAnswer), 2);
        QCOMPARE(diff.changes(ChangeKind::StillFailing).size(), 2);

        // Each entry keeps both sides.
        const ScenarioChange* regress = find(diff, QStringLiteral("regress"));
        QCOMPARE(regress->before->verdict, Verdict::Passed);
        QCOMPARE(regress->before->got, QStringLiteral("401 WrongRequiredFields"));
        QCOMPARE(regress->before->httpStatus, 401);
        QCOMPARE(regress->after->verdict, Verdict::Failed);
        QCOMPARE(regress->after->got, QStringLiteral("201 registered"));
        QCOMPARE(regress->after->httpStatus, 201);
        QVERIFY(!find(diff, QStringLiteral("new-pass"))->before);
        QVERIFY(!find(diff, QStringLiteral("gone"))->after);

        // Two transport failures are one answer whatever their messages; a status change of a
        // still-failing scenario is flagged on the entry.
        QVERIFY(!find(diff, QStringLiteral("down-both"))->answerChanged());
        QVERIFY(find(diff, QStringLiteral("still"))->answerChanged());
        QVERIFY(!find(diff, QStringLiteral("same"))->answerChanged());
    }

    void transportFailureAgainstAnAnswerIsAChangedAnswer() {
        ScenarioResult refused = result("tls", Verdict::Passed, 0, "TLS refused: handshake");
        ScenarioResult answered = result("tls", Verdict::Passed, 401, "401 WrongRequiredFields");
        QCOMPARE(
            TestRunDiff::compare(run("a", {refused}), run("b", {answered})).changes().first().kind,
            ChangeKind::ChangedAnswer);
        // Passed to skipped: nothing fails, but it is not the same result either.
        ScenarioResult skipped = result("tls", Verdict::Skipped, 0, "");
        QCOMPARE(
            TestRunDiff::compare(run("a", {answered}), run("b", {skipped})).changes().first().kind,
            ChangeKind::ChangedAnswer);
        ScenarioSide failed = ScenarioSide::of(noAnswer("x", "refused"));
        ScenarioSide got = ScenarioSide::of(result("x", Verdict::Error, 500, "500 server_error"));
        QVERIFY(failed.answerDiffers(got));
        QVERIFY(got.answerDiffers(failed));
    }

    void exitDecision() {
        const TestRunDiff diff = everyKind();
        QVERIFY(diff.hasNewFailures());
        QCOMPARE(diff.exitCode(), int(ExitNegative));

        // Still failing, newly passing, changed answers, removed: no news of failure.
        const TestRunSummary broken = run("a", {result("x", Verdict::Failed, 201, "201 registered"),
                                                result("y", Verdict::Failed, 201, "201 registered"),
                                                result("z", Verdict::Passed, 401, "401 A")});
        const TestRunSummary better = run("b", {result("x", Verdict::Failed, 200, "200 registered"),
                                                result("y", Verdict::Passed, 401, "401 A"),
                                                result("z", Verdict::Passed, 400, "400 B")});
        const TestRunDiff noNews = TestRunDiff::compare(broken, better);
        QVERIFY(!noNews.hasNewFailures());
        QCOMPARE(noNews.exitCode(), int(ExitOk));
        // The same pair the other way round: y fails again.
        QVERIFY(TestRunDiff::compare(better, broken).hasNewFailures());
        QCOMPARE(TestRunDiff::compare(better, broken).exitCode(), int(ExitNegative));

        // An added scenario that fails is news; one that passes is not; a run against itself
        // has nothing new.
        const TestRunSummary more =
            run("c", better.results + QList{result("w", Verdict::Failed, 201, "201 registered")});
        QVERIFY(TestRunDiff::compare(better, more).hasNewFailures());
        QCOMPARE(find(TestRunDiff::compare(better, more), QStringLiteral("w"))->kind,
                 ChangeKind::Added);
        QVERIFY(!TestRunDiff::compare(broken, broken).hasNewFailures());
        QCOMPARE(TestRunDiff::compare(broken, broken).count(ChangeKind::StillFailing), 2);
        QCOMPARE(TestRunDiff::compare(broken, broken).count(ChangeKind::Unchanged), 1);
    }

    void notesSayWhyAComparisonMayMislead() {
        TestRunSummary seed = run("a", {result("x", Verdict::Passed, 401, "401 A")});
        TestRunSummary obie = seed;
        obie.runId = QStringLiteral("b");
        QVERIFY(TestRunDiff::compare(seed, obie).notes().isEmpty());
        obie.spec = QStringLiteral("obie-3.3");
        obie.cancelled = true;
        const QStringList notes = TestRunDiff::compare(seed, obie).notes();
        QCOMPARE(notes.size(), 2);
        QVERIFY2(notes.first().contains(QStringLiteral("seed, obie-3.3")),
                 qPrintable(notes.first()));
        QVERIFY2(notes.last().contains(QStringLiteral("cancelled")), qPrintable(notes.last()));
    }

    void jsonHasCountsChangesAndBothSides() {
        const QJsonObject json = everyKind().toJson();
        QCOMPARE(json["before"].toObject()["run_id"].toString(), QStringLiteral("aaaa0001"));
        QCOMPARE(json["after"].toObject()["run_id"].toString(), QStringLiteral("bbbb0002"));
        QCOMPARE(json["new_failures"].toBool(), true);
        const QJsonObject counts = json["counts"].toObject();
        QCOMPARE(counts["newly_failing"].toInt(), 2);
        QCOMPARE(counts["newly_passing"].toInt(), 1);
        QCOMPARE(counts["still_failing"].toInt(), 2);
        QCOMPARE(counts["changed_answer"].toInt(), 2);
        QCOMPARE(counts["added"].toInt(), 1);
        QCOMPARE(counts["removed"].toInt(), 1);
        QCOMPARE(counts["unchanged"].toInt(), 1);
        const QJsonObject first = json["changes"].toArray().first().toObject();
        QCOMPARE(first["id"].toString(), QStringLiteral("regress"));
        QCOMPARE(first["change"].toString(), QStringLiteral("newly_failing"));
        QCOMPARE(first["before"].toObject()["verdict"].toString(), QStringLiteral("passed"));
        QCOMPARE(first["after"].toObject()["verdict"].toString(), QStringLiteral("failed"));
        QCOMPARE(first["after"].toObject()["status"].toInt(), 201);
        QCOMPARE(first["after"].toObject()["got"].toString(), QStringLiteral("201 registered"));
    }

    // A secret in an answer never leaves through the JSON or the HTML report; markup in a
    // scenario's text is escaped.
    void reportMasksSecretsAndEscapes() {
        const QByteArray secret = "s3cr3t-client-secret-value-0123456789";
        ScenarioResult leaked = result("<b>regress</b>", Verdict::Failed, 201, "201 registered");
        leaked.responseContentType = "application/json";
        leaked.responseBody =
            QJsonDocument(QJsonObject{{"client_id", "abc"},
                                      {"client_secret", QString::fromLatin1(secret)},
                                      {"registration_access_token", QString::fromLatin1(secret)}})
                .toJson();
        const TestRunDiff diff = TestRunDiff::compare(
            run("a", {result("<b>regress</b>", Verdict::Passed, 401, "401 A")}),
            run("b", {leaked}));
        QVERIFY(!QJsonDocument(diff.toJson()).toJson().contains(secret));
        const QByteArray html = testRunDiffHtml(diff);
        QVERIFY(!html.contains(secret));
        QVERIFY(html.contains("client_id")); // the body is there, masked
        QVERIFY(html.contains("&lt;b&gt;regress&lt;/b&gt;"));
        QVERIFY(!html.contains("<b>regress"));
        QVERIFY(html.contains("Newly failing (1)"));
        QVERIFY(html.contains("Something fails now that did not before."));
        // The check itself: the raw body does hold the secret.
        QVERIFY(leaked.responseBody.contains(secret));
    }

    void findsSavedRunsByIdOrFile() {
        QTemporaryDir dir;
        const TestRunSummary good = run("1111aaaa", {result("x", Verdict::Passed, 401, "401 A")});
        const TestRunSummary bad = run("2222bbbb", {result("x", Verdict::Failed, 201, "201 B")});
        QVERIFY(saveTestRun(dir.path(), good).ok());
        QVERIFY(saveTestRun(dir.path(), bad).ok());
        auto diff = TestRunDiff::compareSaved(dir.path(), QStringLiteral("1111aaaa"),
                                              QStringLiteral("2222bbbb"));
        QVERIFY2(diff.ok(), diff ? "" : qPrintable(diff.error().message));
        QCOMPARE(diff->changes().first().kind, ChangeKind::NewlyFailing);

        // Unknown id: the error names it and where it looked.
        auto unknown = TestRunDiff::compareSaved(dir.path(), QStringLiteral("1111aaaa"),
                                                 QStringLiteral("deadbeef"));
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().message.contains(QStringLiteral("\"deadbeef\"")) &&
                     unknown.error().message.contains(QStringLiteral("2 run(s)")),
                 qPrintable(unknown.error().message));
        QVERIFY(!findTestRun(dir.path(), QString()));

        // A saved run's file, wherever it is.
        const QString copy = dir.filePath(QStringLiteral("sent-by-colleague.json"));
        QFile file(copy);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(bad.toJson()).toJson());
        file.close();
        auto byFile = findTestRun(QStringLiteral("/nonexistent"), copy);
        QVERIFY(byFile.ok());
        QCOMPARE(byFile->runId, QStringLiteral("2222bbbb"));
        auto missing = findTestRun(dir.path(), dir.filePath(QStringLiteral("none.json")));
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("none.json")));
        const QString junk = dir.filePath(QStringLiteral("junk.json"));
        QFile junkFile(junk);
        QVERIFY(junkFile.open(QIODevice::WriteOnly));
        junkFile.write("[1,2");
        junkFile.close();
        auto notARun = findTestRun(dir.path(), junk);
        QVERIFY(!notARun);
        QVERIFY2(notARun.error().message.contains(QStringLiteral("is not a saved test run")),
                 qPrintable(notARun.error().message));
    }

    // #25.1 review 1: the scenario a cancel cut short (an Error whose reason is the cancel) was
    // not played to its end: it is never a new failure, and the flag survives a saved file.
    void cancelledScenarioIsNotANewFailure() {
        const TestRunSummary good = run("aaaa0001", {result("x", Verdict::Passed, 401, "401 A"),
                                                     result("y", Verdict::Passed, 401, "401 A")});
        ScenarioResult cut = result("y", Verdict::Error, 0, "operation cancelled");
        cut.reason = QStringLiteral("the run was cancelled");
        TestRunSummary cancelled =
            run("bbbb0002", {result("x", Verdict::Passed, 401, "401 A"), cut});
        cancelled.cancelled = true;
        // As TestRunner records it now: the flag, saved as "cancelled".
        auto flagged = reread(cancelled, [](QJsonObject& o) {
            editResult(o, 1, [](QJsonObject& r) { r[QStringLiteral("cancelled")] = true; });
        });
        QVERIFY(flagged.ok());
        // A run saved before the flag was kept: the cancel's reason says it.
        auto older = reread(cancelled, [](QJsonObject& o) {
            editResult(o, 1, [](QJsonObject& r) { r.remove(QStringLiteral("cancelled")); });
        });
        QVERIFY(older.ok());
        for (const TestRunSummary& after : {*flagged, *older}) {
            const TestRunDiff diff = TestRunDiff::compare(good, after);
            QVERIFY(!diff.hasNewFailures());
            QCOMPARE(diff.exitCode(), int(ExitOk));
            QCOMPARE(diff.count(ChangeKind::NewlyFailing), 0);
            QCOMPARE(find(diff, QStringLiteral("y"))->kind, ChangeKind::Removed); // not played
            QCOMPARE(find(diff, QStringLiteral("x"))->kind, ChangeKind::Unchanged);
            QVERIFY(diff.notes().join(u' ').contains(QStringLiteral("cancelled")));
            // The other way round it is not played either: not "newly passing".
            QCOMPARE(find(TestRunDiff::compare(after, good), QStringLiteral("y"))->kind,
                     ChangeKind::Added);
        }
        // The flag is what decides: the same Error, not cancelled, is a new failure.
        auto notCancelled = reread(cancelled, [](QJsonObject& o) {
            editResult(o, 1, [](QJsonObject& r) { r[QStringLiteral("cancelled")] = false; });
        });
        QVERIFY(notCancelled.ok());
        QVERIFY(TestRunDiff::compare(good, *notCancelled).hasNewFailures());
        // Saved and read back.
        QTemporaryDir dir;
        QVERIFY(saveTestRun(dir.path(), *flagged).ok());
        auto found = findTestRun(dir.path(), QStringLiteral("bbbb0002"));
        QVERIFY(found.ok());
        QVERIFY(found->results.at(1).toJson().value(QStringLiteral("cancelled")).toBool());
        QVERIFY(!found->results.at(0).toJson().contains(QStringLiteral("cancelled")));
        QVERIFY(!TestRunDiff::compare(good, *found).hasNewFailures());
    }

    // #25.1 review 4: an id is read from its own file (<started>-<id>.json) before any other;
    // with no folder to look in, an id is an error, never a scan of the working directory.
    void findsARunByItsOwnFileFirstAndNeverInTheWorkingDirectory() {
        QTemporaryDir dir;
        const TestRunSummary saved = run("3333cccc", {result("x", Verdict::Passed, 401, "401 A")});
        QVERIFY(saveTestRun(dir.path(), saved).ok());
        // A hand-made file that sorts first and says it is the same run, with other results.
        TestRunSummary impostor = run("3333cccc", {result("x", Verdict::Failed, 201, "201 B")});
        QFile file(dir.filePath(QStringLiteral("0000-hand-made.json")));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QJsonDocument(impostor.toJson()).toJson());
        file.close();
        QCOMPARE(loadTestRuns(dir.path()).first().results.first().verdict, Verdict::Failed);
        auto found = findTestRun(dir.path(), QStringLiteral("3333cccc"));
        QVERIFY(found.ok());
        QCOMPARE(found->results.first().verdict, Verdict::Passed); // its own file's

        // The working directory holds a saved run; an empty folder name must not find it.
        const QString cwd = QDir::currentPath();
        QVERIFY(QDir::setCurrent(dir.path()));
        auto noDir = findTestRun(QString(), QStringLiteral("3333cccc"));
        QVERIFY(QDir::setCurrent(cwd));
        QVERIFY(!noDir);
        QVERIFY2(noDir.error().message.contains(QStringLiteral("no folder of saved test runs")),
                 qPrintable(noDir.error().message));
    }

    // #25.1 review 5: a name holding %1-style text is quoted as given, not filled in.
    void percentTextInNamesStaysText() {
        QTemporaryDir dir;
        auto unknown = findTestRun(dir.path(), QStringLiteral("x%2y%3"));
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().message.contains(QStringLiteral("\"x%2y%3\" among the 0 run(s)")),
                 qPrintable(unknown.error().message));
        ScenarioResult failing = result("odd%3", Verdict::Failed, 201, "201 registered");
        failing.responseContentType = "application/json";
        failing.responseBody = "{\"client_id\":\"abc\"}";
        const QByteArray html = testRunDiffHtml(TestRunDiff::compare(
            run("a", {result("odd%3", Verdict::Passed, 401, "401 A")}), run("b", {failing})));
        QVERIFY2(html.contains("<h3>odd%3: response 201 (after)</h3>"), html.constData());
    }

    // #25.1 review 6: a crafted file's error says which result and which field; a status that is
    // no HTTP status is refused, not read as 0 (nor cast).
    void craftedFilesAreRefusedSayingWhere() {
        const TestRunSummary three = run("4444dddd", {result("a", Verdict::Passed, 401, "401 A"),
                                                      result("b", Verdict::Passed, 401, "401 A"),
                                                      result("c", Verdict::Passed, 401, "401 A")});
        auto noId = reread(three, [](QJsonObject& o) {
            editResult(o, 2, [](QJsonObject& r) { r[QStringLiteral("id")] = 7; });
        });
        QVERIFY(!noId);
        QCOMPARE(noId.error().message,
                 QStringLiteral("results[2]: \"id\" must be a non-empty string"));
        auto badVerdict = reread(three, [](QJsonObject& o) {
            editResult(o, 1, [](QJsonObject& r) { r[QStringLiteral("verdict")] = "maybe"; });
        });
        QVERIFY(!badVerdict);
        QVERIFY2(
            badVerdict.error().message.startsWith(QStringLiteral("results[1]: b: \"verdict\"")),
            qPrintable(badVerdict.error().message));
        const QJsonValue notStatuses[] = {
            1e300, 401.5, 42, 600, -401, QStringLiteral("401"), QJsonValue::Null};
        for (const QJsonValue& status : notStatuses) {
            auto bad = reread(three, [&](QJsonObject& o) {
                editResult(o, 1, [&](QJsonObject& r) { r[QStringLiteral("status")] = status; });
            });
            const QString shown =
                QString::fromUtf8(QJsonDocument(QJsonArray{status}).toJson(QJsonDocument::Compact));
            QVERIFY2(!bad, qPrintable(shown));
            QVERIFY2(bad.error().message.startsWith(QStringLiteral("results[1]: b: \"status\" must "
                                                                   "be an HTTP status")),
                     qPrintable(bad.error().message));
        }
        auto huge = reread(three, [](QJsonObject& o) {
            editResult(o, 0, [](QJsonObject& r) { r[QStringLiteral("status")] = 1e300; });
        });
        QVERIFY2(huge.error().message.endsWith(QStringLiteral("not 1e+300")),
                 qPrintable(huge.error().message));
        // What toJson writes reads back: a status, and none for a result without an answer.
        auto fine = reread(three, [](QJsonObject& o) {
            editResult(o, 2, [](QJsonObject& r) { r.remove(QStringLiteral("status")); });
        });
        QVERIFY(fine.ok());
        QCOMPARE(fine->results.at(0).httpStatus, 401);
        QCOMPARE(fine->results.at(2).httpStatus, 0);
    }

    // #25.1 review 8: a secret the bank wrote into its error text (not JSON: a form-style
    // client_secret=…) is masked in got and reason, in the JSON and the HTML report.
    void secretsInGotAndReasonAreMasked() {
        const QString secret = QStringLiteral("s3cr3t-in-prose-0123456789abcdef");
        ScenarioResult leaked =
            result("leak", Verdict::Failed, 400,
                   QStringLiteral("400 invalid_request: client_secret=") + secret);
        leaked.reason = QStringLiteral("expected 401, got client_secret=%1 back").arg(secret);
        const TestRunDiff diff = TestRunDiff::compare(
            run("a", {result("leak", Verdict::Passed, 401, "401 A")}), run("b", {leaked}));
        const QByteArray json = QJsonDocument(diff.toJson()).toJson();
        QVERIFY2(!json.contains(secret.toUtf8()), json.constData());
        QVERIFY(json.contains("client_secret="));
        const QByteArray html = testRunDiffHtml(diff);
        QVERIFY2(!html.contains(secret.toUtf8()), html.constData());
        QVERIFY(html.contains("client_secret="));
        // The check can fail: the side keeps the text as the run recorded it.
        QVERIFY(find(diff, QStringLiteral("leak"))->after->got.contains(secret));
        // The run's own reports and its saved JSON (the console's detail pane) too.
        const TestRunSummary leakedRun = run("b", {leaked});
        for (const QByteArray& report : {testRunHtml(leakedRun), testRunJunitXml(leakedRun),
                                         QJsonDocument(leakedRun.toJson()).toJson()}) {
            QVERIFY2(!report.contains(secret.toUtf8()), report.constData());
            QVERIFY(report.contains("client_secret="));
        }
    }
};

QTEST_GUILESS_MAIN(TestTestRunDiff)
#include "tst_test_run_diff.moc"
