#pragma once

// A team (PostgreSQL) history for the tests of what a team shares: a throwaway PostgresCluster
// with the team's database in it, colleagues' sessions on it, and dcrctl run against it. Start it
// in initTestCase and stop it in cleanupTestCase; the server dies with the test process however
// that ends (see PostgresCluster::resume).
#include "PostgresCluster.h"
#include "TestSupport.h"
#include "session/Session.h"

#include <QString>
#include <QStringList>

#include <memory>

namespace dcr::test {

class TeamHistoryServer {
public:
    // Starts the server and creates the team's database; empty on success, else what went wrong
    // (QVERIFY2 it: a missing PostgreSQL is a failure, not a skip). Also turns the keychain off
    // for this process and the programs it starts (no Secret Service, as in CI, even on a
    // desktop), so that this machine's secrets go to the local file the tests look in.
    QString start(const QString& database = QStringLiteral("team")) {
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dcr-no-bus");
        const QString started = m_cluster.start();
        if (!started.isEmpty())
            return started;
        QString error;
        m_url = m_cluster.createDatabase(database, &error);
        return m_url.isEmpty() ? error : QString();
    }
    void stop() { m_cluster.stop(); }

    // The team's history location (a postgresql:// URL the password of which is in PGPASSFILE).
    QString url() const { return m_url; }
    const PostgresCluster& cluster() const { return m_cluster; }

    // A colleague's session on the history at `url`, opened as their console would open it: a
    // folder of its own and a writer identity of its own.
    static std::unique_ptr<Session> openSession(const QString& folder, const WriterIdentity& writer,
                                                const QString& url) {
        AppPaths paths = AppPaths::under(folder);
        paths.historyDb = url;
        auto session = std::make_unique<Session>(paths);
        session->setHistoryWriter(writer);
        session->open();
        return session;
    }
    std::unique_ptr<Session> openAs(const QString& folder, const WriterIdentity& writer) const {
        return openSession(folder, writer, m_url);
    }

    // Runs one of our command-line programs with its XDG folders under `home` (runWithHome) on
    // the team's history, or on `history` where given (a file, an unreachable server).
    ProcessResult run(const QString& program, QStringList args, const QString& home,
                      const QString& history = {}) const {
        args << QStringLiteral("--history-db") << (history.isEmpty() ? m_url : history);
        return runWithHome(program, args, home);
    }

private:
    PostgresCluster m_cluster;
    QString m_url;
};

} // namespace dcr::test
