#include "TestDiffCommand.h"

#include "CliSession.h"
#include "common/AtomicFile.h"
#include "testplan/TeamTestRuns.h"
#include "testplan/TestRunDiff.h"
#include "testplan/TestRunDiffReport.h"

#include <algorithm>

namespace dcr::cli {

namespace {

QString runLine(const TestRunDiff::RunInfo& run) {
    QString line =
        QStringLiteral("%1  %2  %3 (%4)")
            .arg(run.runId, run.started.toUTC().toString(Qt::ISODate), run.profile, run.spec);
    if (!run.endNote.isEmpty())
        line += QStringLiteral("  ") + run.endNote;
    return line;
}

QString sideText(const std::optional<ScenarioSide>& side) {
    if (!side)
        return QStringLiteral("(not played)");
    const QString got = side->shownGot();
    return got.isEmpty() ? verdictName(side->verdict)
                         : QStringLiteral("%1 %2").arg(verdictName(side->verdict), got);
}

// The table: one block per kind of change that has scenarios, each row the scenario and both
// sides ("passed 401 WrongRequiredFields -> failed 201 registered").
void printTable(const TestRunDiff& diff, QTextStream& out) {
    out << "before: " << runLine(diff.before()) << '\n'
        << "after:  " << runLine(diff.after()) << '\n';
    for (const QString& note : diff.notes())
        out << "note: " << note << '\n';
    qsizetype idWidth = 0;
    for (const ScenarioChange& c : diff.changes())
        idWidth = std::max(idWidth, c.scenarioId.size());
    for (ChangeKind kind : AllChangeKinds) {
        const QList<ScenarioChange> changes = diff.changes(kind);
        if (changes.isEmpty())
            continue;
        out << '\n' << changeKindTitle(kind).toUpper() << " (" << changes.size() << ")\n";
        for (const ScenarioChange& c : changes)
            out << "  " << c.scenarioId.leftJustified(idWidth) << "  " << sideText(c.before)
                << "  ->  " << sideText(c.after) << '\n';
    }
    QStringList counts;
    for (ChangeKind kind : AllChangeKinds)
        counts << QStringLiteral("%1 %2").arg(QString::number(diff.count(kind)),
                                              changeKindTitle(kind).toLower());
    out << '\n' << counts.join(QStringLiteral(", ")) << '\n';
    out << (diff.hasNewFailures() ? "something fails now that did not before\n"
                                  : "nothing fails now that did not before\n");
    out.flush();
}

// The options diff reads; 'dcrctl test' defines more for its other actions (--junit, --profile,
// --url, …), which diff would silently ignore.
const QStringList DiffOptions{QStringLiteral("html"), QStringLiteral("json"),
                              QStringLiteral("history-db"), QStringLiteral("db")};

// The first option given that diff does not take, as the user wrote it; empty when none.
QString optionDiffIgnores(const CommandLine& cmd) {
    for (const QString& name : cmd.givenOptions())
        if (!DiffOptions.contains(name))
            return name;
    return {};
}

} // namespace

int testDiff(const CommandLine& cmd, CliIo& io) {
    const QStringList runs = cmd.positional().mid(1);
    if (runs.size() != 2)
        return io.fail(ExitUsage,
                       QStringLiteral("test diff: give two runs, RUN_A (before) and RUN_B (after): "
                                      "run ids as 'dcrctl test runs' lists them, or saved run "
                                      "files"));
    if (const QString option = optionDiffIgnores(cmd); !option.isEmpty())
        return io.fail(
            ExitUsage,
            QStringLiteral("test diff: %1%2 does not apply to diff, which compares two "
                           "saved runs and takes only --html FILE, --json and --history-db")
                .arg(option.size() == 1 ? QStringLiteral("-") : QStringLiteral("--"), option));
    // The history is opened: a run may be one the team shares (another machine's).
    auto session = openSession(cmd, io);
    auto diff = TestRunDiff::compareFound(
        [&](const QString& idOrPath) { return findLocalOrTeamRun(*session, idOrPath); }, runs.at(0),
        runs.at(1));
    if (!diff)
        return io.fail(ExitUsage,
                       QStringLiteral("test diff: %1; 'dcrctl test runs' lists the saved runs")
                           .arg(diff.error().message));
    if (cmd.isSet(QStringLiteral("html")))
        if (auto ok =
                writeFileAtomically(cmd.value(QStringLiteral("html")), testRunDiffHtml(*diff));
            !ok)
            return io.fail(ExitUsage, QStringLiteral("test diff: ") + ok.error().message);
    if (cmd.isSet(QStringLiteral("json")))
        io.printJson(QJsonDocument(diff->toJson()));
    else
        printTable(*diff, io.out);
    return diff->exitCode();
}

} // namespace dcr::cli
