// Child process for the test-run spool tests: another program (the console or dcrctl) in the
// middle of a long run, sharing the test-runs folder with the test.
//   spool_child DIR — opens a run's details spool in DIR (ResultDetailsSpool::create, as
//                     TestRunner does past its first results), writes one result to it, prints
//                     the spool's file name, then waits for a line on stdin. "end" (or stdin
//                     closed) ends the run as a run ends: the spool is removed. SIGKILL leaves
//                     it behind, as a crash or a power loss does.
#include "testplan/ResultDetailsSpool.h"

#include <QCoreApplication>

#include <cstdio>

using namespace dcr;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() != 2)
        return 2;
    auto spool = ResultDetailsSpool::create(args[1]);
    if (!spool) {
        fprintf(stderr, "%s\n", qPrintable(spool.error().message));
        return 1;
    }
    ScenarioResult result;
    result.scenarioId = QStringLiteral("S-1");
    result.got = QStringLiteral("201");
    if (auto index = (*spool)->append(result); !index) {
        fprintf(stderr, "%s\n", qPrintable(index.error().message));
        return 1;
    }
    printf("%s\n", qPrintable((*spool)->fileName()));
    fflush(stdout);
    char line[16];
    // Blocks: the run is live until a line comes or stdin closes; either ends it.
    if (fgets(line, sizeof line, stdin) == nullptr)
        return 0;
    return 0;
}
