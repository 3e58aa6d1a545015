// dcrctl on a shared PostgreSQL history (a throwaway server, tests/support/PostgresCluster.h):
// a registration and its RFC 7592 lifecycle against dcr-sandbox, the token found on this machine
// while the shared database never holds it; who sent what; and an unreachable server.
#include "TeamHistoryServer.h"
#include "TestSupport.h"
#include "history/HistoryStore.h"
#include "sandbox/SandboxKit.h"
#include "session/Session.h"

#include <QDir>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlPostgres : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    TeamHistoryServer m_team;
    QProcess m_sandbox;
    quint16 m_port = 0;
    std::optional<SandboxKit> m_kit;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    ProcessResult dcrctl(QStringList args, const QString& history = {}) {
        return m_team.run(QStringLiteral(DCRCTL_PATH), args, m_dir.path(), history);
    }

private slots:
    void initTestCase() {
        // No keychain service (TeamHistoryServer::start): the secrets go to the local file.
        const QString started = m_team.start();
        QVERIFY2(started.isEmpty(), qPrintable(started));
        auto created = SandboxKit::create(p(QStringLiteral("kit")));
        QVERIFY(created.ok());
        m_kit = *created;
        m_port =
            startSandboxProcess(m_sandbox, QStringLiteral(SANDBOX_PATH), p(QStringLiteral("kit")),
                                QStringLiteral("obie"), {QStringLiteral("--rfc7592")});
        QVERIFY(m_port);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti", "aud"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p(QStringLiteral("claims.json")), QJsonDocument(claims).toJson());
        auto r = runWithHome(
            QStringLiteral(DCRCTL_PATH),
            {"profile", "add", "team", "--url",
             QStringLiteral("https://localhost:%1/register").arg(m_port), "--cert",
             m_kit->path("tpp-transport.pem"), "--key", m_kit->path("tpp-transport-key.pem"),
             "--cacert", m_kit->path("ca.pem"), "--signing-key", m_kit->path("tpp-signing-key.pem"),
             "--aud", m_kit->aud(), "--lifecycle", "rfc7592"},
            m_dir.path());
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

    void cleanupTestCase() {
        m_sandbox.terminate();
        if (!m_sandbox.waitForFinished(3000))
            m_sandbox.kill();
        m_team.stop();
    }

    void registrationLifecycleKeepsSecretsOnThisMachine() {
        auto reg = dcrctl({"submit", "--profile", "team", "--claims", p("claims.json"), "--json",
                           "--reveal-secrets"});
        QVERIFY2(reg.exitCode == 0, (reg.out + reg.err).constData());
        const QJsonObject client =
            QJsonDocument::fromJson(reg.out).object()["outcome"].toObject()["client"].toObject();
        const QString clientId = client["client_id"].toString();
        const QByteArray token = client["registration_access_token"].toString().toUtf8();
        QVERIFY(!clientId.isEmpty() && token.size() > 8);

        // The lifecycle finds the registration access token in this machine's store.
        auto get =
            dcrctl({"client", "get", "--profile", "team", "--client-id", clientId, "--json"});
        QVERIFY2(get.exitCode == 0, (get.out + get.err).constData());
        auto update = dcrctl({"client", "update", "--profile", "team", "--client-id", clientId,
                              "--claims", p("claims.json")});
        QVERIFY2(update.exitCode == 0, (update.out + update.err).constData());

        const QByteArray dump = m_team.cluster().dump(QStringLiteral("team"));
        QVERIFY2(dump.contains(clientId.toUtf8()), "the shared database has the rows");
        QVERIFY2(dump.contains("\"registration_client_uri\""), "response bodies are searchable");
        QVERIFY2(!dump.contains(token), "the registration access token reached the server");
        QVERIFY(dump.contains("secrets_holder"));

        // Rows say who sent them, and list filters by person.
        const QString me = WriterIdentity::current().person();
        auto mine = dcrctl({"history", "list", "--by", WriterIdentity::current().user});
        QVERIFY2(mine.exitCode == 0, mine.err.constData());
        QVERIFY2(mine.out.contains(me.toUtf8()), mine.out.constData());
        QVERIFY(mine.out.contains("3 of 3 submission(s)"));
        // Where this machine keeps the secrets: no keychain service here, so the local file.
        QVERIFY2(mine.out.contains("secrets of this machine: local file " +
                                   p(QStringLiteral("data/dcr-console/history-local-")).toUtf8()),
                 mine.out.constData());
        auto nobody = dcrctl({"history", "list", "--by", "somebody-else"});
        QVERIFY(nobody.out.contains("0 of 0 submission(s)"));
    }

    void unreachableServerIsReportedAndTheOutboxCounted() {
        const QString away = PostgresCluster::unreachableUrl(QStringLiteral("team"));
        {
            // A submission made while the server was away waits in this machine's outbox.
            HistoryOptions options;
            options.localPath = p(QStringLiteral("data/dcr-console/history-local.sqlite"));
            auto store = HistoryStore::open(away, options);
            QVERIFY(store.ok());
            QVERIFY(*(*store)->begin({}) < 0);
        }
        auto list = dcrctl({"history", "list"}, away);
        QCOMPARE(list.exitCode, 2);
        QVERIFY2(list.err.contains("unreachable"), list.err.constData());
        QVERIFY2(list.err.contains("1 submission(s) not yet shared"), list.err.constData());
        auto bad = dcrctl({"history", "list"}, QStringLiteral("postgresql://qa:pw@db/h"));
        QVERIFY2(bad.err.contains(".pgpass"), bad.err.constData());
        QVERIFY2(!bad.err.contains("pw@"), bad.err.constData());
    }

    // The console's History location setting: checked before it is saved (no password), and
    // every program without --history-db or DCR_HISTORY_DB follows it from its next start.
    void historyLocationSettingPointsEveryProgramAtTheServer() {
        AppPaths paths = AppPaths::under(p(QStringLiteral("console")));
        paths.settingsFile = p(QStringLiteral("config/dcr-console/dcr-console.ini"));
        {
            Session console(paths);
            console.open();
            auto refused =
                console.setHistoryLocationSetting(QStringLiteral("postgresql://qa:pw@db/h"));
            QVERIFY(!refused.ok());
            QVERIFY(refused.error().message.contains(QStringLiteral(".pgpass")));
            QVERIFY(console.historyLocationSetting().isEmpty());
            QVERIFY(console.setHistoryLocationSetting(m_team.url()).ok());
        }
        Session next(paths);
        next.open();
        QCOMPARE(next.historyLocation(), m_team.url());
        QVERIFY(next.hasHistory());
        QCOMPARE(*next.historyCount(), 3); // the rows the first test sent
        auto list = runWithHome(QStringLiteral(DCRCTL_PATH), {"history", "list"}, m_dir.path());
        QVERIFY2(list.exitCode == 0, list.err.constData());
        QVERIFY2(list.out.contains("3 of 3 submission(s)"), list.out.constData());
        QFile::remove(paths.settingsFile);
    }

    // #26: the desktop keychain is a module (libdcr_keychain_store.so) that a program loads only
    // when a shared history is opened, from ../lib/<multiarch>/dcr-console/ beside its own folder
    // once installed. dcrctl is copied into such a layout outside the build tree (as the Debian
    // package unpacks it): without the module, with a file that is no module, and with the module.
    void theKeychainModuleIsFoundBesideTheInstalledProgram() {
        const QString root = p(QStringLiteral("installed/usr"));
        const QString program = root + QStringLiteral("/bin/dcrctl");
        const QString module = root + QStringLiteral("/" KEYCHAIN_MODULE_INSTALLED);
        QVERIFY(!program.startsWith(QStringLiteral(BUILD_TREE) + u'/')); // else it uses the build's
        QVERIFY(QDir().mkpath(QFileInfo(program).path()));
        QVERIFY(QDir().mkpath(QFileInfo(module).path()));
        QVERIFY(QFile::copy(QStringLiteral(DCRCTL_PATH), program));
        const auto list = [&] {
            return runWithHome(program, {"history", "list", "--history-db", m_team.url()},
                               m_dir.path());
        };
        const QByteArray local = "secrets of this machine: local file " +
                                 p(QStringLiteral("data/dcr-console/history-local-")).toUtf8();

        // No module: the secrets stay in the local file, as without a keychain service, and the
        // line that names the store says why, with the file looked for and the loader's reason.
        auto missing = list();
        QVERIFY2(missing.exitCode == 0, missing.err.constData());
        const QByteArray moduleNotLoaded =
            "the desktop keychain module " + QFile::encodeName(module) + " could not be loaded (";
        const QByteArray notLoaded = ", not the desktop keychain: " + moduleNotLoaded;
        QVERIFY2(missing.out.contains(local) && missing.out.contains(notLoaded),
                 missing.out.constData());
        QVERIFY2(missing.out.contains("(The shared library was not found.)"),
                 missing.out.constData()); // QPluginLoader's words
        QVERIFY2(missing.out.contains("apt install --reinstall dcr-console"),
                 missing.out.constData());
        QVERIFY2(missing.err.contains("history: " + moduleNotLoaded), missing.err.constData());

        // A file that is not the module: named, with the reason.
        writeFile(module, "not a shared library");
        auto garbage = list();
        QVERIFY2(garbage.exitCode == 0, garbage.err.constData());
        QVERIFY2(garbage.out.contains(local) && garbage.out.contains(notLoaded),
                 garbage.out.constData());
        QVERIFY2(!garbage.out.contains("was not found"), garbage.out.constData());
        QVERIFY2(garbage.out.contains("Failed to extract plugin meta data"),
                 garbage.out.constData());

        // The module, installed: loaded (the loader's own record of the files it opened), and the
        // secrets in the local file only because no keychain service runs here.
        QVERIFY(QFile::remove(module));
        QVERIFY(QFile::copy(QStringLiteral(KEYCHAIN_MODULE_PATH), module));
        const QString trace = p(QStringLiteral("installed/ld-trace"));
        qputenv("LD_DEBUG", "files");
        qputenv("LD_DEBUG_OUTPUT", QFile::encodeName(trace));
        auto installed = list();
        qunsetenv("LD_DEBUG");
        qunsetenv("LD_DEBUG_OUTPUT");
        QVERIFY2(installed.exitCode == 0, installed.err.constData());
        QVERIFY2(installed.out.contains(local), installed.out.constData());
        QVERIFY2(!installed.out.contains("not the desktop keychain"), installed.out.constData());
        QVERIFY2(!installed.err.contains("keychain module"), installed.err.constData());
        QByteArray loaded;
        for (const QString& f : QDir(p(QStringLiteral("installed")))
                                    .entryList({QStringLiteral("ld-trace.*")}, QDir::Files)) {
            QFile file(p(QStringLiteral("installed/") + f));
            QVERIFY(file.open(QIODevice::ReadOnly));
            loaded += file.readAll();
        }
        QVERIFY2(loaded.contains("file=" + QFile::encodeName(module)),
                 loaded.left(2000).constData());
        QVERIFY2(loaded.contains("libqt6keychain"), loaded.left(2000).constData());
    }
};

QTEST_GUILESS_MAIN(TestDcrctlPostgres)
#include "tst_dcrctl_postgres.moc"
