#pragma once

// A throwaway PostgreSQL server for tests: initdb in a temporary folder, postgres on 127.0.0.1 with
// an ephemeral port, the unix socket in the same folder, password authentication over TCP with
// the password in a private PGPASSFILE (so the code under test gets it the way users do, from
// libpq). As root (CI), the server tools run as the postgres user (they refuse root). A missing
// server binary is a failure of the test, never a skip.
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QStandardPaths>
#include <QString>
#include <QTcpServer>
#include <QTemporaryDir>

#include <memory>

#include <pwd.h>
#include <signal.h>
#include <unistd.h>

namespace dcr::test {

class PostgresCluster {
public:
    static constexpr const char* BinDir = "/usr/lib/postgresql/15/bin";
    static constexpr const char* Password = "cluster-pw-8d1f";

    PostgresCluster() { m_dir.setAutoRemove(true); }
    ~PostgresCluster() { stop(); }
    PostgresCluster(const PostgresCluster&) = delete;
    PostgresCluster& operator=(const PostgresCluster&) = delete;

    // Empty on success, else what went wrong (QFAIL it).
    QString start() {
        if (!QFile::exists(tool(QStringLiteral("initdb"))))
            return QStringLiteral("PostgreSQL 15 server binaries are missing (%1/initdb): install "
                                  "the Debian package postgresql (scripts/setup.sh does)")
                .arg(QLatin1String(BinDir));
        if (!m_dir.isValid())
            return QStringLiteral("cannot create a temporary folder");
        if (geteuid() == 0) {
            const passwd* pw = getpwnam("postgres");
            if (!pw)
                return QStringLiteral("running as root, but there is no postgres user to run the "
                                      "server as (install the postgresql package)");
            if (chown(qPrintable(m_dir.path()), pw->pw_uid, pw->pw_gid) != 0)
                return QStringLiteral("cannot hand %1 to the postgres user").arg(m_dir.path());
        }
        const QString pwfile = m_dir.filePath(QStringLiteral("pwfile"));
        if (!writePrivate(pwfile, QByteArray(Password) + '\n', geteuid() == 0))
            return QStringLiteral("cannot write %1").arg(pwfile);
        auto init = runServerTool(
            QStringLiteral("initdb"),
            {QStringLiteral("-D"), dataDir(), QStringLiteral("-U"), QStringLiteral("postgres"),
             QStringLiteral("--pwfile=") + pwfile, QStringLiteral("--auth-local=trust"),
             QStringLiteral("--auth-host=scram-sha-256"), QStringLiteral("-E"),
             QStringLiteral("UTF8"), QStringLiteral("--locale=C.UTF-8")});
        if (!init.isEmpty())
            return init;
        m_port = freePort();
        m_passFile = QDir::temp().filePath(
            QStringLiteral("dcr-pgpass-%1-%2").arg(QCoreApplication::applicationPid()).arg(m_port));
        if (!writePrivate(m_passFile,
                          QStringLiteral("127.0.0.1:%1:*:postgres:%2\n")
                              .arg(m_port)
                              .arg(QLatin1String(Password))
                              .toUtf8(),
                          false))
            return QStringLiteral("cannot write %1").arg(m_passFile);
        // libpq of the code under test (and of child processes) reads the password from here.
        qputenv("PGPASSFILE", m_passFile.toLocal8Bit());
        return resume();
    }

    // Starts the server again after suspend() (same data, same port).
    //
    // The postmaster is our own child, not a daemon that pg_ctl leaves behind: setpriv execs it
    // with a parent-death signal, so the kernel kills it whenever this process ends, even by
    // SIGKILL or a crash (its backends notice the postmaster's death and exit too). A killed test
    // or benchmark therefore never leaves a server running. The death signal follows the thread
    // that started the server: start it from the main thread.
    QString resume() {
        if (m_running)
            return {};
        m_server = std::make_unique<QProcess>();
        m_server->setWorkingDirectory(QDir::tempPath()); // postgres cannot enter root's folders
        m_server->setStandardInputFile(QProcess::nullDevice());
        m_server->setStandardOutputFile(m_dir.filePath(QStringLiteral("server.log")),
                                        QIODevice::Append);
        m_server->setStandardErrorFile(m_dir.filePath(QStringLiteral("server.log")),
                                       QIODevice::Append);
        QStringList argv{QStringLiteral("--pdeathsig"), QStringLiteral("KILL")};
        if (geteuid() == 0)
            argv << QStringLiteral("--reuid=postgres") << QStringLiteral("--regid=postgres")
                 << QStringLiteral("--init-groups");
        argv << QStringLiteral("--") << tool(QStringLiteral("postgres")) << QStringLiteral("-D")
             << dataDir() << QStringLiteral("-c") << QStringLiteral("listen_addresses=127.0.0.1")
             << QStringLiteral("-p") << QString::number(m_port) << QStringLiteral("-k")
             << m_dir.path() << QStringLiteral("-c") << QStringLiteral("fsync=off")
             << QStringLiteral("-c") << QStringLiteral("full_page_writes=off")
             << QStringLiteral("-c") << QStringLiteral("max_connections=60");
        m_server->start(QStringLiteral("setpriv"), argv);
        if (!m_server->waitForStarted(10000)) {
            m_server.reset();
            return QStringLiteral("cannot start setpriv (util-linux) to run postgres");
        }
        m_running = true;
        // What pg_ctl -w does: wait until the server accepts connections (at most 30 s).
        for (int tries = 0; tries < 300; ++tries) {
            if (m_server->state() == QProcess::NotRunning) {
                m_running = false;
                return QStringLiteral("postgres exited at start (exit code %1)\n%2")
                    .arg(m_server->exitCode())
                    .arg(serverLog());
            }
            if (client(QStringLiteral("pg_isready"), {QStringLiteral("-q")}, nullptr).isEmpty())
                return {};
            m_server->waitForFinished(100);
        }
        suspend();
        return QStringLiteral("postgres did not accept connections within 30 s\n") + serverLog();
    }

    // Stops the server at once (as a crash or a network outage would look to clients): SIGQUIT
    // is PostgreSQL's immediate shutdown.
    void suspend() {
        if (!m_running || !m_server)
            return;
        ::kill(static_cast<pid_t>(m_server->processId()), SIGQUIT);
        if (!m_server->waitForFinished(30000)) {
            m_server->kill();
            m_server->waitForFinished(5000);
        }
        m_server.reset();
        m_running = false;
    }

    void stop() {
        suspend();
        if (!m_passFile.isEmpty())
            QFile::remove(m_passFile);
    }

    bool running() const { return m_running; }
    // The postmaster's process id (0 when stopped).
    qint64 serverPid() const { return m_server ? m_server->processId() : 0; }
    int port() const { return m_port; }
    QString passFile() const { return m_passFile; }
    QString url(const QString& database) const {
        return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2?sslmode=disable")
            .arg(m_port)
            .arg(database);
    }

    // A history URL to a 127.0.0.1 port nobody listens on (connections are refused at once).
    static QString unreachableUrl(const QString& database) {
        return QStringLiteral("postgresql://postgres@127.0.0.1:%1/%2?sslmode=disable")
            .arg(freePort())
            .arg(database);
    }

    // Runs SQL as the superuser over the unix socket; empty on success, else the error.
    QString psql(const QString& sql, const QString& database = QStringLiteral("postgres"),
                 QByteArray* out = nullptr) const {
        return client(QStringLiteral("psql"),
                      {QStringLiteral("-X"), QStringLiteral("-q"), QStringLiteral("-A"),
                       QStringLiteral("-t"), QStringLiteral("-v"),
                       QStringLiteral("ON_ERROR_STOP=1"), QStringLiteral("-d"), database,
                       QStringLiteral("-c"), sql},
                      out);
    }

    // A new empty database; returns its URL, or an empty string (and the error in *error).
    QString createDatabase(const QString& name, QString* error = nullptr) const {
        const QString e = psql(QStringLiteral("CREATE DATABASE %1").arg(name));
        if (error)
            *error = e;
        return e.isEmpty() ? url(name) : QString();
    }

    // Everything the server stores for a database, as pg_dump writes it (the data included).
    // bytea columns (the request and response bodies) are written in the escape format, where
    // printable ASCII stays as it is: with the default hex format a token in a body would be
    // "\\x7b22..." and a search for it could never match.
    QByteArray dump(const QString& database) const {
        QByteArray out;
        const QString e = client(QStringLiteral("pg_dump"), {QStringLiteral("-d"), database}, &out,
                                 QStringLiteral("-c bytea_output=escape"));
        return e.isEmpty() ? out : QByteArray("pg_dump failed: ") + e.toUtf8();
    }

    QString serverLog() const {
        QFile f(m_dir.filePath(QStringLiteral("server.log")));
        return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll().right(3000)) : QString();
    }

private:
    QString dataDir() const { return m_dir.filePath(QStringLiteral("data")); }
    static QString tool(const QString& name) { return QLatin1String(BinDir) + u'/' + name; }

    static int freePort() {
        QTcpServer probe;
        probe.listen(QHostAddress::LocalHost, 0);
        return probe.serverPort();
    }

    static bool writePrivate(const QString& path, const QByteArray& bytes, bool forPostgres) {
        QFile f(path);
        if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate))
            return false;
        f.write(bytes);
        f.close();
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        if (forPostgres)
            if (const passwd* pw = getpwnam("postgres"))
                return chown(qPrintable(path), pw->pw_uid, pw->pw_gid) == 0;
        return true;
    }

    // initdb refuses to run as root: as root it runs as postgres.
    static QString runServerTool(const QString& name, const QStringList& args) {
        QString program = tool(name);
        QStringList argv = args;
        if (geteuid() == 0) {
            argv.prepend(program);
            argv.prepend(QStringLiteral("--"));
            argv.prepend(QStringLiteral("postgres"));
            argv.prepend(QStringLiteral("-u"));
            program = QStringLiteral("runuser");
        }
        return runProgram(program, argv, nullptr);
    }

    QString client(const QString& name, QStringList args, QByteArray* out,
                   const QString& pgOptions = {}) const {
        args << QStringLiteral("-h") << m_dir.path() << QStringLiteral("-p")
             << QString::number(m_port) << QStringLiteral("-U") << QStringLiteral("postgres");
        return runProgram(tool(name), args, out, pgOptions);
    }

    static QString runProgram(const QString& program, const QStringList& args, QByteArray* out,
                              const QString& pgOptions = {}) {
        QProcess p;
        p.setWorkingDirectory(QDir::tempPath()); // postgres cannot enter root's folders
        if (!pgOptions.isEmpty()) {
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("PGOPTIONS"), pgOptions);
            p.setProcessEnvironment(env);
        }
        p.start(program, args);
        if (!p.waitForStarted(10000))
            return QStringLiteral("cannot start %1").arg(program);
        if (!p.waitForFinished(60000)) {
            p.kill();
            p.waitForFinished();
            return QStringLiteral("%1 timed out").arg(program);
        }
        if (out)
            *out = p.readAllStandardOutput();
        if (p.exitStatus() != QProcess::NormalExit || p.exitCode() != 0)
            return QStringLiteral("%1 %2 failed: %3")
                .arg(program, args.join(u' '), QString::fromUtf8(p.readAllStandardError()));
        return {};
    }

    QTemporaryDir m_dir;
    std::unique_ptr<QProcess> m_server;
    QString m_passFile;
    int m_port = 0;
    bool m_running = false;
};

} // namespace dcr::test
