// What only a shared (PostgreSQL) history does: locations and their errors, the password from
// libpq's password file only, the outbox while the server is away, secrets kept on the machine
// that received them, and many processes writing into one database at once.
#include "LocalSecretRows.h"
#include "PostgresCluster.h"
#include "TestSupport.h"
#include "history/HistoryReader.h"
#include "history/HistoryStore.h"
#include "history/PostgresConnectFailure.h"
#include "session/RegisteredClient.h"
#include "session/Session.h"

#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <optional>

using namespace dcr;
using namespace dcr::test;

namespace {

QString errorOf(const Result<std::unique_ptr<HistoryStore>>& r) {
    return r.ok() ? QString() : r.error().message;
}

// Kept apart so that a test failure cannot print them; any of them in the dump is a leak.
const QByteArray kClientSecret = "cs-5f0c2f7e-never-shared";
const QByteArray kAccessToken = "rat-91b7d3a0-never-shared";
const QByteArray kRotatedToken = "rat-2c44e1d9-rotated-never-shared";

QByteArray registrationAnswer(const QByteArray& token) {
    return "{\"client_id\":\"client-77\",\"client_secret\":\"" + kClientSecret +
           "\",\"registration_access_token\":\"" + token +
           "\",\"registration_client_uri\":\"https://bank.example/register/client-77\","
           "\"token_endpoint_auth_method\":\"client_secret_basic\"}";
}

// A registration at the test bank, as the session would start it.
SubmissionStart bankRegistration(const QString& softwareId) {
    SubmissionStart reg;
    reg.profile = QStringLiteral("Bank");
    reg.url = QStringLiteral("https://bank.example/register");
    reg.softwareId = softwareId;
    return reg;
}

HttpExchange answer(int status, const QByteArray& body) {
    HttpExchange e;
    e.status = status;
    e.responseBody = body;
    e.responseHeaders = {{"Content-Type", "application/json"}};
    return e;
}

// Points libpq at another password file for a while (PGPASSFILE is read at every connect).
class PassFileSwap {
public:
    PassFileSwap(const QString& path, const QByteArray& content)
        : m_saved(qgetenv("PGPASSFILE")) {
        writeFile(path, content);
        QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        qputenv("PGPASSFILE", path.toLocal8Bit());
    }
    ~PassFileSwap() { restore(); }
    void restore() { qputenv("PGPASSFILE", m_saved); }

private:
    QByteArray m_saved;
};

const QByteArray kWrongPassword = "wrong-pw-3e7a91";

} // namespace

class TestHistoryPostgres : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    PostgresCluster m_pg;
    int m_n = 0;

    QString freshDatabase() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("pg%1").arg(++m_n), &error);
        if (url.isEmpty())
            qWarning("%s", qPrintable(error));
        return url;
    }
    HistoryOptions optionsFor(const QString& machine, int retryMs = 10000) const {
        HistoryOptions o;
        o.localPath = m_dir.filePath(machine + QStringLiteral(".sqlite"));
        o.offlineRetryMs = retryMs;
        return o;
    }

private slots:
    void initTestCase() {
        // No keychain service (as in CI, even on a desktop): this machine's secrets go to the
        // local file (tst_history_keychain covers the desktop keychain).
        qputenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/dcr-no-bus");
        const QString error = m_pg.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_pg.stop(); }
    // A test that failed while the server was suspended must not take the next tests with it.
    void cleanup() {
        if (!m_pg.running()) {
            const QString resumed = m_pg.resume();
            QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        }
    }

    void locationsAreParsed() {
        auto file = HistoryLocation::parse(QStringLiteral("/home/qa/history.sqlite"));
        QVERIFY(file.ok());
        QVERIFY(!file->isShared());
        QCOMPARE(file->path, QStringLiteral("/home/qa/history.sqlite"));

        auto pg = HistoryLocation::parse(QStringLiteral(
            "postgresql://qa@db.bank.example:6432/dcr_history?sslmode=verify-full&sslrootcert="
            "/etc/ssl/team-ca.pem"));
        QVERIFY2(pg.ok(), qPrintable(pg.ok() ? QString() : pg.error().message));
        QVERIFY(pg->isShared());
        QCOMPARE(pg->host, QStringLiteral("db.bank.example"));
        QCOMPARE(pg->port, 6432);
        QCOMPARE(pg->user, QStringLiteral("qa"));
        QCOMPARE(pg->database, QStringLiteral("dcr_history"));
        QVERIFY(pg->connectOptions.contains(QStringLiteral("sslmode=verify-full")));
        QVERIFY(pg->connectOptions.contains(QStringLiteral("sslrootcert=/etc/ssl/team-ca.pem")));
        QVERIFY(pg->connectOptions.contains(QStringLiteral("connect_timeout=5")));
        QCOMPARE(HistoryLocation::parse(QStringLiteral("postgres://h/d"))->port, 5432);
    }

    void badLocationsSayWhatIsWrong_data() {
        QTest::addColumn<QString>("location");
        QTest::addColumn<QString>("says");
        QTest::newRow("password") << "postgresql://qa:hunter2@db/h"
                                  << ".pgpass";
        QTest::newRow("scheme") << "mysql://qa@db/h"
                                << "'mysql' is not supported";
        QTest::newRow("no database") << "postgresql://qa@db:5432/"
                                     << "database name is missing";
        QTest::newRow("no host") << "postgresql:///h"
                                 << "host is missing";
        QTest::newRow("sslmode") << "postgresql://db/h?sslmode=maybe"
                                 << "sslmode 'maybe'";
        QTest::newRow("unknown parameter") << "postgresql://db/h?passfile=/x"
                                           << "unknown parameter";
        QTest::newRow("timeout") << "postgresql://db/h?connect_timeout=0"
                                 << "connect_timeout";
        QTest::newRow("empty") << "  "
                               << "empty";
        // Broken URLs that still carry a password: QUrl rejects them before the password check,
        // so only a textual redaction keeps hunter2 out of the message.
        QTest::newRow("password, bad port") << "postgresql://qa:hunter2@db:54x2/h"
                                            << "not a valid URL";
        QTest::newRow("password, mistyped scheme") << "postgre://qa:hunter2@db/h"
                                                   << "'postgre' is not supported";
        QTest::newRow("password with @ and %") << "postgresql://qa:hun@ter%2@db/h"
                                               << "history location postgresql://qa:…@db/h";
    }
    void badLocationsSayWhatIsWrong() {
        QFETCH(QString, location);
        QFETCH(QString, says);
        auto parsed = HistoryLocation::parse(location);
        QVERIFY(!parsed.ok());
        QVERIFY2(parsed.error().message.contains(says), qPrintable(parsed.error().message));
        for (const char* part : {"hunter2", "hun@ter", "ter%2"})
            QVERIFY2(!parsed.error().message.contains(QString::fromLatin1(part)),
                     qPrintable(parsed.error().message));
        auto opened = HistoryStore::open(location, optionsFor(QStringLiteral("bad")));
        QVERIFY(!opened.ok());
    }

    // The password comes from $PGPASSFILE (libpq), nowhere else: without it the server says no,
    // and the error says where the password belongs.
    void passwordComesFromThePasswordFile() {
        const QString url = freshDatabase();
        QVERIFY(!url.isEmpty());
        QVERIFY2(HistoryStore::open(url, optionsFor(QStringLiteral("pw"))).ok(), "with .pgpass");
        PassFileSwap empty(m_dir.filePath(QStringLiteral("empty-pgpass")), {});
        auto refused = HistoryStore::open(url, optionsFor(QStringLiteral("pw2")));
        empty.restore();
        QVERIFY(refused.ok()); // opens offline: the outbox keeps what is sent meanwhile
        QVERIFY((*refused)->serverUnreachable());
        QCOMPARE((*refused)->connection(), HistoryStore::Connection::LoginRefused);
        QVERIFY2((*refused)->recoveryNotice().contains(QStringLiteral("no password")),
                 qPrintable((*refused)->recoveryNotice()));
        QVERIFY((*refused)->recoveryNotice().contains(QStringLiteral(".pgpass")));
        auto page = (*refused)->page({});
        QVERIFY(!page.ok());
    }

    // A server that answers and refuses the login is not an outage: the message says what was
    // refused and how to fix it (never "unreachable", never a password), the rows sent meanwhile
    // wait in the outbox, and they are shared once the login works.
    void aRefusedLoginSaysWhatToFix_data() {
        QTest::addColumn<QString>("user");
        QTest::addColumn<QString>("database"); // empty: a fresh database
        QTest::addColumn<QByteArray>("passFile");
        QTest::addColumn<QStringList>("says");
        QTest::addColumn<bool>("fixable"); // by the right password file and the database
        // "%1" is the server's port.
        QTest::newRow("wrong password")
            << "postgres" << QString() << QByteArray("127.0.0.1:%1:*:postgres:" + kWrongPassword)
            << QStringList{QStringLiteral("the password of user \"postgres\" was rejected"),
                           QStringLiteral("put the password in ~/.pgpass or $PGPASSFILE"),
                           QStringLiteral("password authentication failed for user")}
            << true;
        QTest::newRow("no password") << "postgres" << QString() << QByteArray()
                                     << QStringList{QStringLiteral("no password for user "
                                                                   "\"postgres\" was found"),
                                                    QStringLiteral(":postgres:PASSWORD, mode "
                                                                   "0600")}
                                     << true;
        QTest::newRow("missing database")
            << "postgres" << QStringLiteral("nodb_c7") << QByteArray()
            << QStringList{QStringLiteral("the database \"nodb_c7\" does not exist"),
                           QStringLiteral("createdb --owner=postgres --encoding=UTF8 "
                                          "--locale=C.UTF-8 --template=template0 nodb_c7")}
            << true;
        // Under password authentication the server does not tell a missing role from a wrong
        // password; the message names both fixes.
        QTest::newRow("missing role")
            << "ghost" << QString() << QByteArray("127.0.0.1:%1:*:ghost:" + kWrongPassword)
            << QStringList{QStringLiteral("the password of user \"ghost\" was rejected (or the "
                                          "role does not exist)"),
                           QStringLiteral("createuser --pwprompt ghost")}
            << false;
    }
    void aRefusedLoginSaysWhatToFix() {
        QFETCH(QString, user);
        QFETCH(QString, database);
        QFETCH(QByteArray, passFile);
        QFETCH(QStringList, says);
        QFETCH(bool, fixable);
        const bool missingDatabase = !database.isEmpty();
        if (!missingDatabase) {
            QVERIFY(!freshDatabase().isEmpty());
            database = QStringLiteral("pg%1").arg(m_n);
        }
        const QString url = QStringLiteral("postgresql://%1@127.0.0.1:%2/%3?sslmode=disable")
                                .arg(user)
                                .arg(m_pg.port())
                                .arg(database);
        const QString machine = QStringLiteral("refused-%1").arg(QTest::currentDataTag());
        std::unique_ptr<HistoryStore> store;
        qint64 kept = 0;
        {
            // Without a swap the cluster's own (right) password file is used.
            std::optional<PassFileSwap> swap;
            if (!missingDatabase)
                swap.emplace(m_dir.filePath(machine + QStringLiteral(".pgpass")),
                             QString::fromLatin1(passFile).arg(m_pg.port()).toLatin1());
            auto opened = HistoryStore::open(url, optionsFor(machine));
            QVERIFY2(opened.ok(), qPrintable(errorOf(opened)));
            store = std::move(opened.value());
            QCOMPARE(store->connection(), HistoryStore::Connection::LoginRefused);
            const QString notice = store->recoveryNotice();
            QVERIFY2(notice.startsWith(QStringLiteral("Login to the shared history refused: the "
                                                      "PostgreSQL server of the shared history ") +
                                       url + QStringLiteral(" refused the login: ")),
                     qPrintable(notice));
            for (const QString& part : says)
                QVERIFY2(notice.contains(part), qPrintable(part + QStringLiteral("\n") + notice));
            QVERIFY2(!notice.contains(QStringLiteral("unreachable"), Qt::CaseInsensitive),
                     qPrintable(notice));
            QVERIFY(!notice.contains(QString::fromLatin1(kWrongPassword)));
            QVERIFY(!notice.contains(QLatin1String(PostgresCluster::Password)));
            // Reads say the same, not "unreachable".
            auto count = store->count();
            QVERIFY(!count.ok());
            QCOMPARE(count.error().kind, ErrorKind::StorageLoginRefused);
            QCOMPARE(count.error().message, store->connectionProblem());
            // Sending is not blocked, and nothing is lost: the row waits in the outbox.
            SubmissionStart s;
            s.softwareId = QStringLiteral("sent-while-refused");
            auto id = store->begin(s);
            QVERIFY(id.ok());
            QVERIFY(*id < 0);
            QCOMPARE(store->unsharedCount(), 1);
            QCOMPARE(store->get(*id)->softwareId, QStringLiteral("sent-while-refused"));
            kept = *id;
            QVERIFY(!store->reconnect().ok()); // still refused
        }
        if (!fixable)
            return;
        if (missingDatabase)
            QCOMPARE(m_pg.psql(QStringLiteral("CREATE DATABASE %1").arg(database)), QString());
        const Status fixed = store->reconnect();
        QVERIFY2(fixed.ok(), qPrintable(fixed.ok() ? QString() : fixed.error().message));
        QCOMPARE(store->connection(), HistoryStore::Connection::Connected);
        QCOMPARE(store->connectionProblem(), QString());
        QCOMPARE(*store->shareOutbox(), 0); // the row is still being sent: it waits
        HttpExchange done = answer(200, "{}");
        auto outcome = classifyResponse(200, {}, "{}");
        QVERIFY(store->complete(kept, done, &outcome).ok());
        QCOMPARE(store->unsharedCount(), 0); // completing shared it
        QCOMPARE(*store->count({QStringLiteral("sent-while-refused"), {}, {}, {}, {}}), 1);
    }

    // What the tests above cannot make this server say, as libpq and PostgreSQL 15 word it
    // (src/backend/libpq/auth.c, src/interfaces/libpq/fe-connect.c).
    void connectFailuresAreClassified_data() {
        using Reason = PostgresConnectFailure::Reason;
        QTest::addColumn<QString>("message");
        QTest::addColumn<int>("reason");
        QTest::addColumn<QString>("says");
        const QString prefix =
            QStringLiteral("connection to server at \"10.0.0.5\", port 5432 failed: FATAL:  ");
        QTest::newRow("no pg_hba entry")
            << prefix + QStringLiteral("no pg_hba.conf entry for host \"10.0.0.9\", user "
                                       "\"qa\", database \"dcr_history\", SSL encryption")
            << int(Reason::NotAllowed) << "ask the database administrator to add a line";
        QTest::newRow("pg_hba reject")
            << prefix + QStringLiteral("pg_hba.conf rejects connection for host \"10.0.0.9\", "
                                       "user \"qa\", database \"dcr_history\", SSL encryption")
            << int(Reason::NotAllowed) << "(pg_hba.conf)";
        QTest::newRow("role missing (trust)")
            << prefix + QStringLiteral("role \"qa\" does not exist") << int(Reason::RoleMissing)
            << "createuser --pwprompt qa";
        QTest::newRow("peer") << prefix + QStringLiteral("Peer authentication failed for user "
                                                         "\"qa\"")
                              << int(Reason::OtherRefusal) << "may not log in";
        QTest::newRow("refused port")
            << QStringLiteral("connection to server at \"10.0.0.5\", port 5432 failed: "
                              "Connection refused\n\tIs the server running on that host and "
                              "accepting TCP/IP connections?")
            << int(Reason::Unreachable) << "cannot reach the PostgreSQL history";
        QTest::newRow("silent host")
            << QStringLiteral("timeout expired") << int(Reason::Unreachable) << "cannot reach";
        QTest::newRow("starting up")
            << prefix + QStringLiteral("the database system is starting up")
            << int(Reason::Unreachable) << "cannot reach";
    }
    void connectFailuresAreClassified() {
        QFETCH(QString, message);
        QFETCH(int, reason);
        QFETCH(QString, says);
        const auto failure = PostgresConnectFailure::classify(message);
        QCOMPARE(int(failure.reason), reason);
        const auto location = HistoryLocation::parse(
            QStringLiteral("postgresql://qa@10.0.0.5:5432/dcr_history?sslmode=verify-full"));
        const Error error = failure.toError(*location);
        QVERIFY2(error.message.contains(says), qPrintable(error.message));
        QCOMPARE(error.kind, failure.loginRefused() ? ErrorKind::StorageLoginRefused
                                                    : ErrorKind::StorageUnavailable);
        QVERIFY(error.message.contains(
            QStringLiteral("postgresql://qa@10.0.0.5:5432/dcr_history?sslmode=verify-full")));
    }

    // The console opens a shared history without connecting: the first write goes to the
    // outbox (write-ahead: the row exists before the request leaves) even though the server
    // runs, and reconnect() (after the reader's probe) shares it.
    void openingWithoutConnectingKeepsWritesInTheOutbox() {
        const QString url = freshDatabase();
        HistoryOptions options = optionsFor(QStringLiteral("deferred"));
        options.reconnectInline = false;
        options.connectAtOpen = false;
        auto store = HistoryStore::open(url, options);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QCOMPARE((*store)->connection(), HistoryStore::Connection::NotYetConnected);
        QVERIFY((*store)->recoveryNotice().isEmpty());
        auto count = (*store)->count();
        QVERIFY(!count.ok());
        QVERIFY2(count.error().message.contains(QStringLiteral("not connected to the shared "
                                                               "history")),
                 qPrintable(count.error().message));
        auto id = (*store)->begin({});
        QVERIFY(id.ok());
        QVERIFY(*id < 0);
        QVERIFY((*store)->reconnect().ok());
        QCOMPARE((*store)->connection(), HistoryStore::Connection::Connected);
        auto plain = classifyResponse(200, {}, "{}");
        QVERIFY((*store)->complete(*id, answer(200, "{}"), &plain).ok());
        QCOMPARE((*store)->unsharedCount(), 0);
        QCOMPARE(*(*store)->count(), 1);
    }

    // The console's session opens without waiting on the server and learns its state from the
    // reader thread's probes: away, then connected (and the session's own store with it).
    void theConsoleSessionConnectsFromTheReaderThread() {
        const QString url = freshDatabase();
        {
            // A row left "sending" by a writer that is gone (one from before writer identity):
            // the first connection sweeps it, and the user hears of it then, even after failed
            // probes.
            auto earlier = HistoryStore::open(url, optionsFor(QStringLiteral("earlier")));
            QVERIFY2(earlier.ok(), qPrintable(errorOf(earlier)));
            QVERIFY(*(*earlier)->begin({}) > 0);
        }
        const QString orphaned = m_pg.psql(
            QStringLiteral("UPDATE submissions SET writer_user = NULL WHERE state = 'sending'"),
            QStringLiteral("pg%1").arg(m_n));
        QVERIFY2(orphaned.isEmpty(), qPrintable(orphaned));
        m_pg.suspend();
        QTemporaryDir home;
        AppPaths paths = AppPaths::under(home.path());
        paths.historyDb = url;
        paths.historyDbIsDefault = false;
        Session session(paths);
        session.setConnectHistoryInBackground(true);
        session.setShareRetryMs(100);
        QSignalSpy notices(&session, &Session::historyNotice);
        for (const Notice& n : session.open())
            QVERIFY2(n.level != Notice::Level::Error, qPrintable(n.text));
        // open() did not try the server (it would know it is away by now).
        QCOMPARE(session.historyConnection(), HistoryStore::Connection::NotYetConnected);
        QVERIFY(session.hasHistory());
        QTRY_COMPARE_WITH_TIMEOUT(session.historyConnection(),
                                  HistoryStore::Connection::Unreachable, 20000);
        QCOMPARE(notices.count(), 1);
        const auto away = notices.last().at(0).value<Notice>();
        QCOMPARE(away.level, Notice::Level::Warning);
        QVERIFY2(away.text.startsWith(QStringLiteral("The shared history is unreachable")),
                 qPrintable(away.text));
        const QString resumed = m_pg.resume();
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        QTRY_COMPARE_WITH_TIMEOUT(session.historyConnection(), HistoryStore::Connection::Connected,
                                  20000);
        QCOMPARE(notices.last().at(0).value<Notice>().text,
                 QStringLiteral("Connected to the shared history at %1.").arg(url));
        QStringList texts;
        for (const auto& n : notices)
            texts << n.at(0).value<Notice>().text;
        QVERIFY2(texts.contains(QStringLiteral("1 submission(s) were still being sent when DCR "
                                               "Console last stopped; they are kept as "
                                               "\"interrupted\".")),
                 qPrintable(texts.join(u'\n')));
        auto count = session.historyCount();
        QVERIFY2(count.ok(), qPrintable(count.ok() ? QString() : count.error().message));
        QCOMPARE(*count, 1);
        QCOMPARE(*session.historyCount({{}, QStringLiteral("interrupted"), {}, {}, {}}), 1);
    }

    // dcrctl (connecting at open) and the console (from the reader thread) say the same thing
    // about a refused login, and neither says "unreachable" nor shows a password.
    void theSessionReportsARefusedLogin() {
        const QString url = freshDatabase();
        QTemporaryDir home;
        AppPaths paths = AppPaths::under(home.path());
        paths.historyDb = url;
        paths.historyDbIsDefault = false;
        PassFileSwap wrong(m_dir.filePath(QStringLiteral("session.pgpass")),
                           QStringLiteral("127.0.0.1:%1:*:postgres:%2")
                               .arg(m_pg.port())
                               .arg(QString::fromLatin1(kWrongPassword))
                               .toLatin1());
        auto checked = [](const QString& text) {
            QVERIFY2(text.startsWith(QStringLiteral("Login to the shared history refused: ")),
                     qPrintable(text));
            QVERIFY(text.contains(QStringLiteral("the password of user \"postgres\" was "
                                                 "rejected")));
            QVERIFY(!text.contains(QStringLiteral("unreachable"), Qt::CaseInsensitive));
            QVERIFY(!text.contains(QString::fromLatin1(kWrongPassword)));
            QVERIFY(!text.contains(QLatin1String(PostgresCluster::Password)));
        };
        QString cliText;
        {
            Session cli(paths); // as dcrctl opens it
            const Notices notices = cli.open();
            QCOMPARE(cli.historyConnection(), HistoryStore::Connection::LoginRefused);
            for (const Notice& n : notices)
                if (n.level == Notice::Level::Error)
                    cliText = n.text;
            checked(cliText);
        }
        Session console(paths);
        console.setConnectHistoryInBackground(true);
        // Probes due every 5 ms, well before a scram login can answer: one at a time, or a newer
        // one would supersede each in flight and no answer would ever arrive.
        console.setShareRetryMs(5);
        QSignalSpy notices(&console, &Session::historyNotice);
        console.open();
        QTRY_COMPARE_WITH_TIMEOUT(console.historyConnection(),
                                  HistoryStore::Connection::LoginRefused, 20000);
        const auto refused = notices.first().at(0).value<Notice>();
        QCOMPARE(refused.level, Notice::Level::Error);
        checked(refused.text);
        QCOMPARE(refused.text, cliText);
        // Each further try is another failed login at the server: they come less and less
        // often (5, 10, 20 ... 640 ms ... up to 5 minutes), and tell the user nothing new.
        QTRY_VERIFY_WITH_TIMEOUT(console.loginRetryMs() >= 400, 30000);
        QCOMPARE(console.historyConnection(), HistoryStore::Connection::LoginRefused);
        QCOMPARE(notices.count(), 1);
    }

    // sslmode reaches libpq: this test server has no TLS, so "require" must fail, saying so.
    void sslModeIsPassedToTheServer() {
        const QString url = freshDatabase();
        QVERIFY(!url.isEmpty());
        QString tls = url;
        tls.replace(QStringLiteral("sslmode=disable"), QStringLiteral("sslmode=require"));
        auto store = HistoryStore::open(tls, optionsFor(QStringLiteral("tls")));
        QVERIFY(store.ok());
        QVERIFY((*store)->serverUnreachable());
        QVERIFY2((*store)->recoveryNotice().contains(QStringLiteral("SSL")),
                 qPrintable((*store)->recoveryNotice()));
    }

    void unreachableServerIsReportedQuickly() {
        const QString url = PostgresCluster::unreachableUrl(QStringLiteral("nowhere"));
        QElapsedTimer t;
        t.start();
        auto store = HistoryStore::open(url, optionsFor(QStringLiteral("nowhere")));
        QVERIFY(t.elapsed() < 6000);
        QVERIFY(store.ok());
        QVERIFY2((*store)->recoveryNotice().contains(QStringLiteral("cannot reach the PostgreSQL "
                                                                    "history at postgresql://")),
                 qPrintable((*store)->recoveryNotice()));
        auto count = (*store)->count();
        QVERIFY(!count.ok());
        QVERIFY2(count.error().message.contains(QStringLiteral("unreachable")),
                 qPrintable(count.error().message));
        // Sending is not blocked: the row waits in the outbox.
        auto id = (*store)->begin({});
        QVERIFY(id.ok());
        QVERIFY(*id < 0);
        QCOMPARE((*store)->unsharedCount(), 1);
        auto opened = HistoryStore::open(url, HistoryOptions{}); // no local file
        QVERIFY(!opened.ok());
        QVERIFY(opened.error().message.contains(QStringLiteral("local file")));
    }

    // The server stops while a request is in flight: its answer is kept in the outbox, so is the
    // next submission, and both reach the server when it is back.
    void serverStoppedDuringSendGoesToOutboxAndIsUploaded() {
        const QString url = freshDatabase();
        // The store's time: moved past offlineRetryMs below instead of waiting for it to pass.
        const auto clock = std::make_shared<ManualHistoryClock>();
        HistoryOptions options = optionsFor(QStringLiteral("outbox"), 300);
        options.clock = clock;
        auto store = HistoryStore::open(url, options);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        SubmissionStart s;
        s.softwareId = QStringLiteral("in-flight-when-stopped");
        const qint64 first = *(*store)->begin(s);
        QVERIFY(first > 0);
        m_pg.suspend();
        auto outcome = classifyResponse(201, {}, registrationAnswer(kAccessToken));
        QVERIFY((*store)
                    ->complete(first, answer(201, registrationAnswer(kAccessToken)), &outcome)
                    .ok());
        QCOMPARE((*store)->unsharedCount(), 1);
        s.softwareId = QStringLiteral("sent-while-away");
        QElapsedTimer t;
        t.start();
        const qint64 second = *(*store)->begin(s);
        QVERIFY(second < 0);
        QVERIFY(t.elapsed() < 2000); // the store knows the server is away: no connect wait
        auto plain = classifyResponse(200, {}, "{\"message\":\"ok\"}");
        QVERIFY((*store)->complete(second, answer(200, "{\"message\":\"ok\"}"), &plain).ok());
        QCOMPARE((*store)->unsharedCount(), 2);
        QCOMPARE((*store)->get(second)->softwareId, QStringLiteral("sent-while-away"));
        QVERIFY((*store)->get(second)->unshared);
        QVERIFY(!(*store)->shareOutbox().ok());

        const QString resumed = m_pg.resume();
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        // Not tried again before offlineRetryMs has passed, though the server is back.
        clock->advance(299);
        QVERIFY(!(*store)->shareOutbox().ok());
        QCOMPARE((*store)->unsharedCount(), 2);
        clock->advance(1); // offlineRetryMs after the server was found away
        auto shared = (*store)->shareOutbox();
        QVERIFY2(shared.ok(), qPrintable(shared.ok() ? QString() : shared.error().message));
        QCOMPARE(*shared, 2);
        QCOMPARE((*store)->unsharedCount(), 0);
        QCOMPARE(*(*store)->count(), 2);
        auto completed = (*store)->get(first);
        QVERIFY(completed.ok());
        QCOMPARE(completed->state, QStringLiteral("completed")); // the same row, now answered
        QCOMPARE(completed->outcome, QStringLiteral("registered"));
        QVERIFY(completed->responseBody.contains(kAccessToken)); // clear here, on this machine
        QCOMPARE(*(*store)->count({QStringLiteral("sent-while-away"), {}, {}, {}, {}}), 1);
        const QByteArray dump = m_pg.dump(QStringLiteral("pg%1").arg(m_n));
        QVERIFY2(dump.contains("sent-while-away"), dump.left(300).constData()); // it has the rows
        QVERIFY2(dump.contains("registration_client_uri"), "response bodies are searchable");
        QVERIFY(!dump.contains(kAccessToken));
    }

    // While the server is away, writes go to the outbox; it is tried again after offlineRetryMs
    // even when submissions keep coming (a retry time postponed by every failed write would
    // never come while a test plan runs). The store's clock moves 10 ms per write: counts, not
    // timings.
    void aReturningServerIsFoundWhileSendingContinues() {
        const QString url = freshDatabase();
        const auto clock = std::make_shared<ManualHistoryClock>();
        HistoryOptions options = optionsFor(QStringLiteral("busy"), 300);
        options.clock = clock;
        auto store = HistoryStore::open(url, options);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        m_pg.suspend();
        const int kept = 25;
        for (int i = 0; i < kept; ++i)
            QVERIFY2(*(*store)->begin({}) < 0, qPrintable(QStringLiteral("write %1").arg(i)));
        QVERIFY((*store)->serverUnreachable());
        const QString resumed = m_pg.resume();
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        qint64 id = -1;
        int whileAway = 0;
        for (int write = 0; id < 0 && write < 100; ++write) {
            clock->advance(10);
            id = *(*store)->begin({});
            whileAway += id < 0 ? 1 : 0;
        }
        QVERIFY2(id > 0, "the server was not tried again while sending went on");
        // Tried exactly when offlineRetryMs had passed since it was found away: the writes
        // meanwhile did not postpone it, nor did they try it early.
        QCOMPARE(whileAway, 29);
        // Rows still being sent wait in the outbox for their answers.
        QCOMPARE(*(*store)->shareOutbox(), 0);
        QCOMPARE((*store)->unsharedCount(), kept + whileAway);
    }

    // A store that must not wait on a connect (the console's) never tries an away server by
    // itself: a probe on the reader's thread finds it back, then reconnect() is quick.
    void probesFromTheReaderThreadBringTheServerBack() {
        const QString url = freshDatabase();
        HistoryOptions options = optionsFor(QStringLiteral("probing"), 0);
        options.reconnectInline = false;
        auto store = HistoryStore::open(url, options);
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        HistoryReader reader(url, options);
        QSignalSpy answers(&reader, &HistoryReader::answered);
        m_pg.suspend();
        QVERIFY(*(*store)->begin({}) < 0);
        QVERIFY((*store)->serverUnreachable());
        reader.requestProbe(HistoryLane::Probe);
        QTRY_COMPARE(answers.count(), 1);
        QVERIFY(answers.last().at(0).value<HistoryAnswer>().error() != nullptr);
        const QString resumed = m_pg.resume();
        QVERIFY2(resumed.isEmpty(), qPrintable(resumed));
        QVERIFY(*(*store)->begin({}) < 0); // not tried: still the outbox
        reader.requestProbe(HistoryLane::Probe);
        QTRY_COMPARE(answers.count(), 2);
        QVERIFY(answers.last().at(0).value<HistoryAnswer>().error() == nullptr);
        QVERIFY((*store)->reconnect().ok());
        QVERIFY(*(*store)->begin({}) > 0);
    }

    // One local file per shared database: what waits for one server is never uploaded to another.
    void anOutboxBelongsToItsOwnServer() {
        const QString away = PostgresCluster::unreachableUrl(QStringLiteral("other"));
        {
            auto waiting = HistoryStore::open(away, optionsFor(QStringLiteral("shared-base")));
            QVERIFY(waiting.ok());
            QVERIFY(*(*waiting)->begin({}) < 0);
            QCOMPARE((*waiting)->unsharedCount(), 1);
        }
        const QString url = freshDatabase();
        auto here = HistoryStore::open(url, optionsFor(QStringLiteral("shared-base")));
        QVERIFY2(here.ok(), qPrintable(errorOf(here)));
        QCOMPARE((*here)->unsharedCount(), 0);
        QCOMPARE(*(*here)->shareOutbox(), 0);
        QCOMPARE(*(*here)->count(), 0);
        auto again = HistoryStore::open(away, optionsFor(QStringLiteral("shared-base")));
        QCOMPARE((*again)->unsharedCount(), 1);
    }

    // An answer whose secrets cannot be found to mask (cut short at the size limit: not JSON
    // any more) is withheld from the shared database as a whole and kept here in clear.
    void unparseableSecretsAreWithheld() {
        const QString url = freshDatabase();
        auto store = HistoryStore::open(url, optionsFor(QStringLiteral("alice")));
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        const SubmissionStart reg = bankRegistration(QStringLiteral("soft-cut"));
        const qint64 id = *(*store)->begin(reg);
        const QByteArray full = registrationAnswer(kAccessToken);
        HttpExchange cut = answer(201, full.left(full.indexOf("registration_client_uri")));
        cut.truncated = true;
        QVERIFY(cut.responseBody.contains(kAccessToken));
        auto outcome = classifyResponse(201, cut.responseHeaders, cut.responseBody);
        QVERIFY((*store)->complete(id, cut, &outcome).ok());
        const QByteArray dump = m_pg.dump(QStringLiteral("pg%1").arg(m_n));
        QVERIFY2(dump.contains("soft-cut"), dump.left(300).constData());
        QVERIFY2(dump.contains("body withheld from the shared history"), "the placeholder");
        QVERIFY2(!dump.contains(kAccessToken), "a secret in a cut-short body reached the server");
        QVERIFY(!dump.contains(kClientSecret));
        auto here = (*store)->get(id);
        QVERIFY(here.ok());
        QCOMPARE(here->responseBody, cut.responseBody); // this machine keeps what it received
        // Deleting the entry deletes this machine's copy of its secrets too.
        const QString kept = (*store)->localSecretStore().mid(11);
        QCOMPARE(localSecretRows(kept), 1);
        QVERIFY((*store)->remove({id}).ok());
        QCOMPARE(localSecretRows(kept), 0);
    }

    // #21.2: base64 hid secrets from the shared-history guard. A JWS with '=' padding sent as
    // text/plain (not a compact JWS to decodeCompactJws, not labelled a JWT) was stored raw, and
    // its payload decodes to client_secret and registration_access_token. The guard decodes any
    // base64 / base64url segment, whatever the Content-Type, before calling a body clean.
    void base64SecretsNeverReachTheSharedDatabase() {
        const QString url = freshDatabase();
        auto store = HistoryStore::open(url, optionsFor(QStringLiteral("alice")));
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        const QByteArray client = registrationAnswer(kAccessToken);
        const QByteArray padded =
            QByteArray("{\"alg\":\"PS256\",\"kid\":\"bank\"}")
                .toBase64(QByteArray::Base64UrlEncoding) +
            '.' + client.toBase64(QByteArray::Base64UrlEncoding) + '.' +
            QByteArray("signature-bytes!").toBase64(QByteArray::Base64UrlEncoding);
        const QByteArray wrapped = client.toBase64().insert(40, "\r\n");
        QList<qint64> ids;
        for (const auto& [body, type] :
             {std::pair{padded, QByteArray("text/plain")},
              std::pair{"<pre>" + wrapped + "</pre>", QByteArray("text/html")},
              std::pair{"{\"blob\":\"" + client.toBase64() + "\"}",
                        QByteArray("application/json")}}) {
            const qint64 id = *(*store)->begin(bankRegistration(QStringLiteral("soft-b64")));
            HttpExchange e = answer(201, body);
            e.responseHeaders = {{"Content-Type", type}};
            auto outcome = classifyResponse(201, e.responseHeaders, e.responseBody);
            QVERIFY((*store)->complete(id, e, &outcome).ok());
            ids << id;
        }
        const QByteArray dump = m_pg.dump(QStringLiteral("pg%1").arg(m_n));
        QVERIFY2(dump.contains("soft-b64"), dump.left(300).constData());
        QVERIFY2(!dump.contains(padded.split('.').at(1)), "the padded JWS's payload was shared");
        QVERIFY2(!dump.contains(client.toBase64().left(40)), "the base64 client was shared");
        QVERIFY2(!dump.contains(kAccessToken) && !dump.contains(kClientSecret),
                 "a secret in clear");
        QVERIFY2(dump.contains("body withheld from the shared history"), "the placeholder");
        // This machine keeps what it received.
        QCOMPARE((*store)->get(ids.first())->responseBody, padded);
    }

    // client_secret and registration_access_token stay on the machine that received them: the
    // shared row has them masked and names the holder; the lifecycle still finds the token here,
    // another machine sees that it is elsewhere.
    void secretsNeverReachTheSharedDatabase() {
        const QString url = freshDatabase();
        auto store = HistoryStore::open(url, optionsFor(QStringLiteral("alice")));
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        const SubmissionStart reg = bankRegistration(QStringLiteral("soft-secret"));
        const qint64 registered = *(*store)->begin(reg);
        auto outcome = classifyResponse(201, {}, registrationAnswer(kAccessToken));
        QVERIFY((*store)
                    ->complete(registered, answer(201, registrationAnswer(kAccessToken)), &outcome)
                    .ok());
        // An RFC 7592 update repeats client_secret in its request and rotates the token.
        SubmissionStart update = reg;
        update.method = "PUT";
        update.clientId = QStringLiteral("client-77");
        update.contentType = "application/json";
        update.requestJwt =
            "{\"client_id\":\"client-77\",\"client_secret\":\"" + kClientSecret + "\"}";
        update.requestClaims = QJsonDocument::fromJson(update.requestJwt).object();
        const qint64 updated = *(*store)->begin(update);
        auto rotated = classifyResponse(200, {}, registrationAnswer(kRotatedToken));
        QVERIFY((*store)
                    ->complete(updated, answer(200, registrationAnswer(kRotatedToken)), &rotated)
                    .ok());

        const QByteArray dump = m_pg.dump(QStringLiteral("pg%1").arg(m_n));
        QVERIFY2(dump.contains("soft-secret"), dump.left(300).constData()); // the dump has rows
        QVERIFY2(dump.contains("masked"), "the shared rows keep the masked bodies");
        QVERIFY2(dump.contains("registration_client_uri"), "response bodies are searchable");
        for (const QByteArray& secret : {kClientSecret, kAccessToken, kRotatedToken})
            QVERIFY2(!dump.contains(secret), "a secret reached the shared database in clear");

        // No keychain service runs: the secrets are in this machine's local file.
        const QString kept = (*store)->localSecretStore();
        QVERIFY2(kept.startsWith(QStringLiteral("local file ") +
                                 m_dir.filePath(QStringLiteral("alice-"))),
                 qPrintable(kept));
        QCOMPARE(localSecretRows(kept.mid(11)), 2);

        // Here: in clear, and the lifecycle finds the newest token.
        auto rows = (*store)->clientRecords(QStringLiteral("Bank"));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 2);
        QCOMPARE(rows->first().secretsHolder, (*store)->writer().person());
        QVERIFY(!rows->first().secretsElsewhere);
        QCOMPARE(newestRegistrationAccessToken(*rows, QStringLiteral("Bank"),
                                               QStringLiteral("client-77")),
                 std::optional<QByteArray>(kRotatedToken));
        QVERIFY((*store)->get(updated)->requestJwt.contains(kClientSecret));

        // Another machine (another local file): masked, says who holds the secrets, no token.
        HistoryOptions bobOptions = optionsFor(QStringLiteral("bob"));
        bobOptions.writer = {QStringLiteral("bob"), QStringLiteral("bobs-laptop"), 4242, {}};
        auto bob = HistoryStore::open(url, bobOptions);
        QVERIFY2(bob.ok(), qPrintable(errorOf(bob)));
        auto seen = (*bob)->clientRecords(QStringLiteral("Bank"));
        QVERIFY(seen.ok());
        QVERIFY(seen->first().secretsElsewhere);
        QVERIFY(!seen->first().responseBody.contains(kAccessToken));
        QVERIFY((*bob)->exportJson({registered}, true)->contains("secrets_held_by"));
        QCOMPARE(newestRegistrationAccessToken(*seen, QStringLiteral("Bank"),
                                               QStringLiteral("client-77")),
                 std::nullopt);

        // Forgetting drops this machine's copy too.
        QVERIFY((*store)->forgetSecrets({registered, updated}).ok());
        QVERIFY(!(*store)->get(updated)->responseBody.contains(kRotatedToken));
        QCOMPARE(localSecretRows(kept.mid(11)), 0);
    }

    // Several consoles starting at once on a new database: one creates the schema (the others
    // wait on the migration lock), and every row of every writer arrives.
    void manyWritersOnANewDatabaseLoseNothing() {
        const QString url = freshDatabase();
        QList<QProcess*> writers;
        for (int i = 0; i < 4; ++i) {
            auto* p = new QProcess(this);
            QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
            env.insert(QStringLiteral("DCR_TEST_HISTORY_LOCAL"),
                       m_dir.filePath(QStringLiteral("writer%1.sqlite").arg(i)));
            p->setProcessEnvironment(env);
            p->start(QStringLiteral(HISTORY_CHILD_PATH),
                     {"write", url, "150", QStringLiteral("W%1").arg(i)});
            writers << p;
        }
        for (QProcess* p : writers) {
            QVERIFY(p->waitForFinished(60000));
            QVERIFY2(p->exitCode() == 0, p->readAllStandardError().constData());
        }
        qDeleteAll(writers);
        auto store = HistoryStore::open(url, optionsFor(QStringLiteral("reader")));
        QVERIFY2(store.ok(), qPrintable(errorOf(store)));
        QCOMPARE(*(*store)->count(), 600);
        for (int i = 0; i < 4; ++i)
            QCOMPARE(*(*store)->count({QStringLiteral("W%1-").arg(i), {}, {}, {}, {}}), 150);
        QCOMPARE((*store)->schemaVersion(), HistoryStore::SchemaVersion);
    }
};

QTEST_GUILESS_MAIN(TestHistoryPostgres)
#include "tst_history_pg.moc"
