#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "TargetOptions.h"
#include "TestDiffCommand.h"
#include "common/AtomicFile.h"
#include "history/TeamEvidence.h"
#include "registration/SpecVersion.h"
#include "session/TokenRequest.h"
#include "testplan/TeamTestRuns.h"
#include "testplan/TestReport.h"
#include "testplan/TestRunner.h"
#include "transport/EndpointUrl.h"

#include <QEventLoop>
#include <QFile>
#include <QJsonArray>

namespace dcr::cli {

namespace {

Result<TestPlan> loadPlan(const CommandLine& cmd) {
    if (!cmd.isSet(QStringLiteral("plan")))
        return TestPlan::builtIn();
    return TestPlan::load(cmd.value(QStringLiteral("plan")));
}

Status checkSpec(const QString& spec) {
    if (!spec.isEmpty() && !specVersionFromName(spec))
        return Error{
            ErrorKind::InputUnreadable,
            QStringLiteral("--spec must be one of %1, not '%2'").arg(specVersionNames(), spec)};
    return {};
}

// The finished runs kept in the data folder (by anyone using it: each names who ran it) and, on a
// team history, the team's: a run this machine shared is listed once. A team history that cannot
// be read is said on stderr and exits 3 after the local runs are listed.
int listRuns(const CommandLine& cmd, CliIo& io) {
    auto session = openSession(cmd, io);
    const QString dir = session->paths().testRunsDir;
    QList<TestRunSummary> team;
    std::optional<Error> teamError;
    QStringList problems;
    if (session->hasTeamHistory()) {
        auto rows = session->teamRuns(TeamEvidence::MaxRunsListed);
        if (rows)
            team = summariesOfTeamRuns(*rows, &problems);
        else
            teamError = rows.error();
    }
    const QList<TestRunSummary> runs = mergeTestRuns(loadTestRuns(dir), team);
    for (const QString& problem : problems)
        io.err << "WARNING: " << problem << '\n';
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonArray list;
        for (const auto& run : runs) {
            QJsonObject o = run.toJson();
            o.remove(QStringLiteral("results")); // the list; the files and the team hold the rest
            o.insert(QStringLiteral("shared"), run.origin == TestRunSummary::Origin::Team);
            list.append(o);
        }
        io.printJson(QJsonDocument(list));
    } else {
        for (const auto& run : runs)
            io.out << run.runId << "  " << run.started.toUTC().toString(Qt::ISODate) << "  "
                   << run.profile << " (" << run.spec << ")  " << run.count(Verdict::Passed)
                   << " passed, " << run.count(Verdict::Failed) << " failed, "
                   << run.count(Verdict::Skipped) << " skipped, " << run.count(Verdict::Error)
                   << " errors"
                   << (run.cancelled              ? "  cancelled"
                       : run.stopReason.isEmpty() ? ""
                                                  : "  stopped")
                   << "  by " << run.who
                   << (session->hasTeamHistory()
                           ? (run.origin == TestRunSummary::Origin::Team ? "  [team]"
                                                                         : "  [not shared]")
                           : "")
                   << '\n';
        io.out << runs.size() << " run(s) in " << dir;
        if (session->hasTeamHistory())
            io.out << " and the team history " << session->historyLocation();
        io.out << '\n';
    }
    io.out.flush();
    if (teamError) {
        io.err << "test runs: the team's runs could not be read, only this machine's are listed: "
               << teamError->message << '\n';
        io.err.flush();
        return ExitNetwork;
    }
    return ExitOk;
}

int listScenarios(const CommandLine& cmd, CliIo& io) {
    auto plan = loadPlan(cmd);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("test list: ") + plan.error().message);
    const QString spec = cmd.value(QStringLiteral("spec"));
    if (auto ok = checkSpec(spec); !ok)
        return io.fail(ExitUsage, QStringLiteral("test list: ") + ok.error().message);
    if (cmd.isSet(QStringLiteral("json"))) {
        io.printJson(QJsonDocument(plan->toJson()));
        return ExitOk;
    }
    for (const auto& scenario : plan->scenarios) {
        QString expected;
        if (spec.isEmpty()) {
            QStringList parts;
            for (auto it = scenario.expectations.begin(); it != scenario.expectations.end(); ++it)
                parts << it.key() + QStringLiteral(": ") + it->describe();
            expected = parts.join(QStringLiteral("; "));
        } else {
            const auto e = scenario.expectationFor(spec);
            expected = e ? e->describe() : QStringLiteral("(skipped under %1)").arg(spec);
        }
        io.out << scenario.id << '\n'
               << "  " << scenario.title << '\n'
               << "  expect: " << expected << '\n'
               << "  source: " << scenario.source << '\n';
    }
    io.out << plan->scenarios.size() << " scenario(s) in plan " << plan->name << '\n';
    io.out.flush();
    return ExitOk;
}

// The user's valid request: --claims, else the embedded sandbox kit's demo request.
Result<RegistrationRequest> baseRequest(const CommandLine& cmd, CliIo& io, Session& session,
                                        const Profile& profile) {
    if (cmd.isSet(QStringLiteral("claims"))) {
        auto bytes = readInput(cmd.value(QStringLiteral("claims")), io);
        if (!bytes)
            return bytes.error();
        return RegistrationRequest::fromJsonBytes(*bytes);
    }
    if (profile.embeddedSandbox) {
        if (auto ok = session.startSandbox(profile.sandboxMode); !ok)
            return ok.error();
        return session.sandboxKit()->draftRequest(profile.sandboxMode,
                                                  QDateTime::currentDateTimeUtc());
    }
    return Error{ErrorKind::InputUnreadable,
                 QStringLiteral("give --claims FILE: the valid request each scenario mutates")};
}

int runPlan(const CommandLine& cmd, CliIo& io) {
    auto plan = loadPlan(cmd);
    if (!plan)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + plan.error().message);
    const QString spec = cmd.value(QStringLiteral("spec"));
    if (auto ok = checkSpec(spec); !ok)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + ok.error().message);
    TestRunOptions options;
    options.spec = spec;
    if (cmd.isSet(QStringLiteral("alg"))) {
        const auto alg = algorithmFromName(cmd.value(QStringLiteral("alg")));
        if (!alg || *alg == JwsAlgorithm::HS256)
            return io.fail(ExitUsage,
                           QStringLiteral("test run: --alg must be PS256, ES256 or RS256"));
        options.alg = *alg;
    }
    if (cmd.isSet(QStringLiteral("scenario-timeout"))) {
        bool ok = false;
        options.timeoutSeconds = cmd.value(QStringLiteral("scenario-timeout")).toInt(&ok);
        if (!ok || options.timeoutSeconds <= 0 || options.timeoutSeconds > 600)
            return io.fail(ExitUsage,
                           QStringLiteral("test run: --scenario-timeout must be 1-600 seconds"));
    }
    FilePassphrases passphrases;
    if (auto ok = readPassphraseFiles(cmd, io, passphrases); !ok)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + ok.error().toString());
    auto session = openSession(cmd, io, &passphrases);
    auto profile = resolveProfile(cmd, io, *session);
    if (!profile)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + profile.error().toString());
    if (cmd.isSet(QStringLiteral("token-url")))
        profile->tokenEndpoint = QUrl(cmd.value(QStringLiteral("token-url")));
    if (cmd.isSet(QStringLiteral("discovery"))) {
        auto url =
            parseEndpointUrl(cmd.value(QStringLiteral("discovery")), QStringLiteral("--discovery"));
        if (!url)
            return io.fail(ExitUsage, QStringLiteral("test run: ") + url.error().toString());
        profile->discoveryUrl = *url;
    }
    if (cmd.isSet(QStringLiteral("token-auth"))) {
        const auto method = clientAuthMethodFromName(cmd.value(QStringLiteral("token-auth")));
        if (!method)
            return io.fail(ExitUsage, QStringLiteral("test run: --token-auth must be "
                                                     "private_key_jwt, tls_client_auth, "
                                                     "client_secret_basic or client_secret_post"));
        profile->tokenAuthMethod = *method;
    }
    if (cmd.isSet(QStringLiteral("lifecycle"))) {
        const auto auth = lifecycleAuthFromName(cmd.value(QStringLiteral("lifecycle")));
        if (!auth)
            return io.fail(ExitUsage,
                           QStringLiteral("test run: --lifecycle must be obie, rfc7592 or cdr"));
        profile->lifecycleAuth = *auth;
    }
    // An RFC 7591 JSON body is not signed (its lifecycle token may still be, which the token
    // request then says).
    if (profile->signingKeyPath.isEmpty() && profile->bodyFormat != RequestBodyFormat::Json)
        return io.fail(ExitUsage, QStringLiteral("test run: give --signing-key (or a profile "
                                                 "with a signing key)"));
    auto draft = baseRequest(cmd, io, *session, *profile);
    if (!draft)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + draft.error().toString());

    TestRunner runner(*session);
    const bool json = cmd.isSet(QStringLiteral("json"));
    QObject::connect(
        &runner, &TestRunner::progress, [&](int done, int total, const ScenarioResult& r) {
            if (json)
                return;
            io.out << '[' << done << '/' << total << "] "
                   << verdictName(r.verdict).toUpper().leftJustified(7) << ' ' << r.scenarioId;
            if (r.verdict != Verdict::Skipped)
                io.out << ": expected " << r.expected << ", got " << r.got;
            if (!r.reason.isEmpty() && r.verdict != Verdict::Passed)
                io.out << " (" << r.reason << ')';
            for (qint64 id : r.historyIds)
                io.out << " #" << id;
            io.out << '\n';
            io.out.flush();
        });
    QEventLoop loop;
    QObject::connect(&runner, &TestRunner::finished, &loop, &QEventLoop::quit);
    if (auto ok = runner.start(*plan, *profile, *draft, options); !ok)
        return io.fail(ExitUsage, QStringLiteral("test run: ") + ok.error().toString());
    loop.exec();
    const TestRunSummary& summary = runner.summary();

    // Streamed from the results (#26): a long run's report is never built whole in memory.
    for (const auto& [option, writer] : {std::pair{QStringLiteral("junit"), &writeTestRunJunitXml},
                                         std::pair{QStringLiteral("html"), &writeTestRunHtml}})
        if (cmd.isSet(option))
            if (auto ok = saveTestRunReport(cmd.value(option), summary, writer); !ok)
                return io.fail(ExitUsage, QStringLiteral("test run: ") + ok.error().message);
    if (!runner.sweepProblem().isEmpty()) {
        io.err << "WARNING: " << runner.sweepProblem() << '\n';
        io.err.flush();
    }
    if (!runner.spoolProblem().isEmpty()) {
        io.err << "WARNING: run " << summary.runId << " kept every scenario's details in memory ("
               << runner.spoolProblem() << ")\n";
        io.err.flush();
    }
    if (json) {
        const Status printed = summary.writeJson([&io](const QByteArray& bytes) -> Status {
            io.out << QString::fromUtf8(bytes);
            return {};
        });
        io.out.flush();
        if (!printed)
            return io.fail(ExitUsage, QStringLiteral("test run: ") + printed.error().message);
    } else {
        io.out << "run " << summary.runId << " (" << summary.spec
               << "): " << summary.count(Verdict::Passed) << " passed, "
               << summary.count(Verdict::Failed) << " failed, " << summary.count(Verdict::Error)
               << " errors, " << summary.count(Verdict::Skipped)
               << " skipped; history: dcrctl history list "
               << "--filter run:" << summary.runId << '\n';
        if (!summary.stopReason.isEmpty())
            io.out << summary.endNote() << '\n';
        io.out.flush();
    }
    if (!runner.shareProblem().isEmpty()) {
        io.err << "WARNING: run " << summary.runId
               << " was not shared with the team (it is kept in " << session->paths().testRunsDir
               << "): " << runner.shareProblem() << '\n';
        io.err.flush();
    }
    return summary.exitCode();
}

} // namespace

int testCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("test"),
        QStringLiteral(
            "QA test plans. 'list' shows a plan's scenarios (the built-in plan unless --plan); "
            "'run' sends each scenario, a mutation of your valid request, to the ASPSP through "
            "the history (every attempt kept, tagged run:ID and scenario:ID) and compares the "
            "classified answer with the expectation for the spec. Exit 0 when all met their "
            "expectations, 1 when any did not, 2 on usage or plan errors, 3 when the ASPSP could "
            "not be reached or stopped answering (the run stops at the first transport failure "
            "or timeout when nothing has answered, else after 3 in a row). On a team "
            "(PostgreSQL) history a finished run is shared with the team too. 'runs' lists the "
            "finished runs kept in the data folder and the team's, with who ran each. 'diff "
            "RUN_A RUN_B' compares two of them (run ids as 'runs' lists them, a team run's "
            "included, or saved run files) scenario by scenario: newly "
            "failing, newly passing, still failing, changed answer, added, removed, unchanged; "
            "exit 1 when anything fails in RUN_B that did not in RUN_A, 0 otherwise, 2 when a "
            "run is not found."),
        QStringLiteral("ACTION"), QStringLiteral("list, run, runs or diff RUN_A RUN_B"));
    addTargetOptions(cmd);
    addSigningOptions(cmd, QStringLiteral("request signing key file or pkcs11: URI (default: the "
                                          "profile's)"));
    addHistoryOption(cmd);
    cmd.addOption(QStringLiteral("claims"),
                  QStringLiteral("the valid request (claims JSON) each scenario mutates (default "
                                 "for the embedded sandbox profiles: the kit's demo request)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("body"),
                  QStringLiteral("jwt: each scenario's request is a signed JWT; json: RFC 7591 "
                                 "metadata as application/json, as Open Finance Brasil takes "
                                 "them (default: the profile's)"),
                  QStringLiteral("FORMAT"));
    cmd.addOption(QStringLiteral("plan"), QStringLiteral("a JSON test plan (default: built-in)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("spec"),
                  specVersionNames() + QStringLiteral(" (default: the profile's)"),
                  QStringLiteral("SPEC"));
    cmd.addOption(QStringLiteral("scenario-timeout"),
                  QStringLiteral("seconds each scenario may take (default 30)"),
                  QStringLiteral("SECONDS"));
    cmd.addOption(QStringLiteral("discovery"),
                  QStringLiteral("the ASPSP's OpenID configuration URL, for the discovery "
                                 "scenario DCR-001 (default: the profile's; none: skipped)"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("token-url"),
                  QStringLiteral("the token endpoint the lifecycle steps get their "
                                 "client_credentials token from (default: the profile's)"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("token-auth"),
                  QStringLiteral("how the lifecycle steps' client authenticates to the token "
                                 "endpoint: private_key_jwt, tls_client_auth, ... (default: the "
                                 "profile's)"),
                  QStringLiteral("METHOD"));
    cmd.addOption(QStringLiteral("lifecycle"),
                  QStringLiteral("how the lifecycle steps are authorised: obie (an access token), "
                                 "rfc7592 (the registration access token) or cdr (an access "
                                 "token with scope cdr:registration); default: the profile's"),
                  QStringLiteral("MODE"));
    cmd.addOption(QStringLiteral("junit"), QStringLiteral("write a JUnit XML report"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("html"),
                  QStringLiteral("write a standalone HTML report: of the run (run), or the "
                                 "regression report of the comparison (diff)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("json"),
                  QStringLiteral("print the plan (list), the run summary (run), the runs "
                                 "(runs) or the comparison (diff) as JSON"));
    if (auto stop = cmd.parse(args, io, 1, 3))
        return *stop;
    const QString action = cmd.positional().first();
    if (action == QStringLiteral("diff"))
        return testDiff(cmd, io);
    if (cmd.positional().size() > 1)
        return io.fail(ExitUsage, QStringLiteral("test %1: unexpected argument '%2'")
                                      .arg(action, cmd.positional().at(1)));
    if (action == QStringLiteral("list"))
        return listScenarios(cmd, io);
    if (action == QStringLiteral("run"))
        return runPlan(cmd, io);
    if (action == QStringLiteral("runs"))
        return listRuns(cmd, io);
    return io.fail(
        ExitUsage,
        QStringLiteral("test: ACTION must be list, run, runs or diff, not '%1'").arg(action));
}

} // namespace dcr::cli
