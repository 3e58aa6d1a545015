// A process that starts a throwaway PostgreSQL server, prints the postmaster's pid and then waits
// to be killed: tst_cluster_lifetime kills it and checks that the server dies with it.
#include "PostgresCluster.h"

#include <QCoreApplication>

#include <cstdio>

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    dcr::test::PostgresCluster cluster;
    const QString started = cluster.start();
    if (!started.isEmpty()) {
        std::fprintf(stderr, "%s\n", qPrintable(started));
        return 1;
    }
    std::printf("%lld\n", static_cast<long long>(cluster.serverPid()));
    std::fflush(stdout);
    return app.exec(); // until SIGKILL
}
