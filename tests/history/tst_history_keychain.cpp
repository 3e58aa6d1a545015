// A shared history's secrets in the desktop keychain: run by tests/support/with-keyring.sh inside
// a private D-Bus session with GNOME Keyring (the Secret Service) unlocked in a throwaway HOME,
// against a throwaway PostgreSQL. The keychain and the server are real; a missing one fails.
#include "LocalSecretRows.h"
#include "PostgresCluster.h"
#include "history/FileSecretStore.h"
#include "history/HistoryStore.h"
#include "history/KeychainModuleLoader.h"
#include "session/RegisteredClient.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>

using namespace dcr;
using namespace dcr::test;

namespace {

// Kept apart so that a test failure cannot print them.
const QByteArray kClientSecret = "cs-0d3e-keychain-only";
const QByteArray kAccessToken = "rat-77a1-keychain-only";

QByteArray registrationAnswer() {
    return "{\"client_id\":\"client-9\",\"client_secret\":\"" + kClientSecret +
           "\",\"registration_access_token\":\"" + kAccessToken +
           "\",\"registration_client_uri\":\"https://bank.example/register/client-9\"}";
}

SubmissionStart registrationStart(const QString& softwareId) {
    SubmissionStart reg;
    reg.profile = QStringLiteral("Bank");
    reg.url = QStringLiteral("https://bank.example/register");
    reg.softwareId = softwareId;
    return reg;
}

HttpExchange registrationExchange() {
    HttpExchange e;
    e.status = 201;
    e.responseBody = registrationAnswer();
    e.responseHeaders = {{"Content-Type", "application/json"}};
    return e;
}

// Every entry of the service, as the Secret Service's own tool shows it (secrets included).
QByteArray keychainEntries() {
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(QStringLiteral("secret-tool"),
            {QStringLiteral("search"), QStringLiteral("--all"), QStringLiteral("--unlock"),
             QStringLiteral("server"), KeychainSecretStore::serviceName()});
    if (!p.waitForFinished(10000)) {
        p.kill();
        p.waitForFinished();
        return "secret-tool did not finish";
    }
    return p.readAll();
}

// The rows of local_secrets in the machine's local file of the shared history (each test keeps
// its local file in a folder of its own).
QString localFileIn(const QString& dir) {
    const auto files = QDir(dir).entryList({QStringLiteral("alice-*.sqlite")});
    return files.size() == 1 ? QDir(dir).filePath(files.first()) : QString();
}
int fileSecretRows(const QString& dir) {
    const QString file = localFileIn(dir);
    return file.isEmpty() ? -1 : localSecretRows(file);
}
// Keychain deletions the local file still waits for.
int pendingDeletionRows(const QString& dir) {
    const QString file = localFileIn(dir);
    return file.isEmpty() ? -1 : localSecretRows(file, QStringLiteral("local_secret_deletions"));
}

HttpExchange registrationExchangeWith(const QByteArray& secret) {
    HttpExchange e = registrationExchange();
    e.responseBody = "{\"client_id\":\"client-r\",\"client_secret\":\"" + secret + "\"}";
    return e;
}

// A zero timer and a queued call, posted now: a nested event loop would run them.
struct EventLoopProbe {
    int timerRuns = 0;
    int queuedRuns = 0;
    QObject context;
    void post() {
        QTimer::singleShot(0, &context, [this] { ++timerRuns; });
        QMetaObject::invokeMethod(
            &context, [this] { ++queuedRuns; }, Qt::QueuedConnection);
    }
};

// The shared libraries this process has mapped (/proc/self/maps), one path a line.
QByteArray mappedLibraries() {
    QFile maps(QStringLiteral("/proc/self/maps"));
    if (!maps.open(QIODevice::ReadOnly))
        return "cannot read /proc/self/maps";
    return maps.readAll();
}

// The keychain module, as a shared history loads it.
KeychainModule& keychainModule() {
    return **KeychainModuleLoader::load();
}

struct ChildRun {
    int exitCode = -1;
    QByteArray out;
    QByteArray err;
};

} // namespace

class TestHistoryKeychain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    PostgresCluster m_pg;

    // A folder of its own for a test's local file (fileSecretRows looks for exactly one).
    QString localDir(const QString& name) {
        QDir(m_dir.path()).mkpath(name);
        return m_dir.filePath(name);
    }
    static HistoryOptions optionsIn(const QString& dir) {
        HistoryOptions options;
        options.localPath = QDir(dir).filePath(QStringLiteral("alice.sqlite"));
        return options;
    }

    // history_child MODE URL ARGS..., its local file in dir.
    static ChildRun runChild(const QString& dir, const QString& mode, const QString& url,
                             const QStringList& args) {
        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DCR_TEST_HISTORY_LOCAL"), optionsIn(dir).localPath);
        child.setProcessEnvironment(env);
        child.start(QStringLiteral(HISTORY_CHILD_PATH), QStringList{mode, url} + args);
        if (!child.waitForFinished(60000)) {
            child.kill();
            child.waitForFinished();
        }
        return {child.exitStatus() == QProcess::NormalExit ? child.exitCode() : -1,
                child.readAllStandardOutput(), child.readAllStandardError()};
    }
    // A registration whose answer carries secret, recorded and copied to the keychain (the local
    // file no longer holds it, so reading its secrets means asking the keychain).
    qint64 registerInKeychain(HistoryStore& store, const QString& local, const QByteArray& secret,
                              QString* uid) {
        const auto id = store.begin(registrationStart(QString::fromLatin1(secret)));
        if (!id)
            return 0;
        const HttpExchange e = registrationExchangeWith(secret);
        auto outcome = classifyResponse(201, {}, e.responseBody);
        if (!store.complete(*id, e, &outcome))
            return 0;
        *uid = store.get(*id)->uid;
        if (!QTest::qWaitFor([&] { return keychainEntries().contains(secret); }, 10000) ||
            !QTest::qWaitFor([&] { return fileSecretRows(local) == 0; }, 10000))
            return 0;
        return *id;
    }

private slots:
    void initTestCase() {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "no D-Bus session: run through tests/support/with-keyring.sh (ctest does)");
        // The keychain is the module's (#26): nothing of QtKeychain is in the process before it is
        // loaded, and the module that the build made is what brings it.
        QVERIFY2(!mappedLibraries().contains("libqt6keychain"),
                 "QtKeychain is loaded before the keychain module: something links it");
        const auto module = KeychainModuleLoader::load();
        QVERIFY2(module.ok(), module.ok() ? "" : qPrintable(module.error().message));
        QCOMPARE(KeychainModuleLoader::path(), QStringLiteral(KEYCHAIN_MODULE_PATH));
        const QByteArray maps = mappedLibraries();
        QVERIFY2(maps.contains(QFile::encodeName(KeychainModuleLoader::path())), maps.constData());
        QVERIFY2(maps.contains("libqt6keychain"), maps.constData());
        QVERIFY2((*module)->serviceRunning(),
                 "no Secret Service answers: GNOME Keyring did not start (scripts/setup.sh test "
                 "installs gnome-keyring, dbus-daemon and libsecret-tools)");
        const QString error = m_pg.start();
        QVERIFY2(error.isEmpty(), qPrintable(error));
    }
    void cleanupTestCase() { m_pg.stop(); }

    // The registration's secrets go to the keychain, not to the local file; the lifecycle finds
    // the token there; forgetting deletes the keychain entry.
    void secretsGoToTheKeychainAndAreForgottenThere() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("forget"));
        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QCOMPARE((*store)->localSecretStore(),
                 QStringLiteral("desktop keychain (service dcr-console)"));

        const qint64 id = *(*store)->begin(registrationStart(QStringLiteral("soft-kc")));
        const HttpExchange e = registrationExchange();
        auto outcome = classifyResponse(201, {}, e.responseBody);
        QVERIFY((*store)->complete(id, e, &outcome).ok());
        const QString uid = (*store)->get(id)->uid;
        QVERIFY(!uid.isEmpty());

        // The keychain gets its copy once the event loop runs; then the file's copy goes.
        QTRY_VERIFY2(keychainEntries().contains(uid.toLatin1()), "no keychain entry for the row");
        QVERIFY2(keychainEntries().contains(kAccessToken),
                 "the token is not in the keychain entry");
        QTRY_COMPARE(fileSecretRows(local), 0); // nothing left in the local file
        const QByteArray dump = m_pg.dump(QStringLiteral("kc"));
        QVERIFY2(dump.contains("soft-kc"), "the dump has no rows");
        QVERIFY2(!dump.contains(kAccessToken), "the token reached the shared database");

        auto rows = (*store)->clientRecords(QStringLiteral("Bank"));
        QVERIFY(rows.ok());
        QCOMPARE(rows->size(), 1);
        QVERIFY(!rows->first().secretsElsewhere);
        QCOMPARE(newestRegistrationAccessToken(*rows, QStringLiteral("Bank"),
                                               QStringLiteral("client-9")),
                 std::optional<QByteArray>(kAccessToken));

        QVERIFY((*store)->forgetSecrets({id}).ok());
        QTRY_VERIFY2(!keychainEntries().contains(uid.toLatin1()),
                     "the keychain entry survived forgetting");
        QVERIFY(!keychainEntries().contains(kAccessToken));
        QVERIFY(!(*store)->get(id)->responseBody.contains(kAccessToken));
    }
    // Recording a submission runs no event loop: a zero timer and a queued call posted before
    // begin() and complete() run only after they return (with the keychain written in a local
    // event loop, both ran inside complete()). Reading the row back at once runs none either:
    // its secrets are still in the local file, waiting for the keychain.
    void aHistoryWriteRunsNoEventLoop() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_noloop"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("noloop"));
        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));

        int timerRuns = 0;
        int queuedRuns = 0;
        QObject context;
        auto postBoth = [&] {
            QTimer::singleShot(0, &context, [&] { ++timerRuns; });
            QMetaObject::invokeMethod(
                &context, [&] { ++queuedRuns; }, Qt::QueuedConnection);
        };

        postBoth();
        const auto id = (*store)->begin(registrationStart(QStringLiteral("soft-noloop")));
        QVERIFY(id.ok());
        QCOMPARE(timerRuns, 0);
        QCOMPARE(queuedRuns, 0);

        const HttpExchange e = registrationExchange();
        auto outcome = classifyResponse(201, {}, e.responseBody);
        const Status completed = (*store)->complete(*id, e, &outcome);
        QVERIFY2(completed.ok(), completed.ok() ? "" : qPrintable(completed.error().message));
        QCOMPARE(timerRuns, 0); // the keychain copy has not run inside the write
        QCOMPARE(queuedRuns, 0);
        QCOMPARE(fileSecretRows(local), 1); // the secrets wait in the 0600 local file

        const auto row = (*store)->get(*id);
        QVERIFY(row.ok());
        QVERIFY(row->responseBody.contains(kAccessToken));
        QCOMPARE(timerRuns, 0);
        QCOMPARE(queuedRuns, 0);

        // Once the caller's event loop runs, everything posted runs, and the keychain's copy too.
        QTRY_COMPARE(timerRuns, 1);
        QTRY_COMPARE(queuedRuns, 1);
        QTRY_VERIFY2(keychainEntries().contains(row->uid.toLatin1()), "no keychain entry");
        QTRY_COMPARE(fileSecretRows(local), 0);
        QVERIFY((*store)->forgetSecrets({*id}).ok()); // leaves the shared keyring clean
        QTRY_VERIFY(!keychainEntries().contains(row->uid.toLatin1()));
    }

    // The secrets written are read back once the keychain holds them (and the local file no
    // longer does), by this store and by a new one (the next start).
    void secretsAreReadBackFromTheKeychain() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_readback"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("readback"));
        qint64 id = 0;
        QString uid;
        {
            auto store = HistoryStore::open(url, optionsIn(local));
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            id = *(*store)->begin(registrationStart(QStringLiteral("soft-readback")));
            const HttpExchange e = registrationExchange();
            auto outcome = classifyResponse(201, {}, e.responseBody);
            QVERIFY((*store)->complete(id, e, &outcome).ok());
            uid = (*store)->get(id)->uid;
            QTRY_VERIFY2(keychainEntries().contains(uid.toLatin1()), "no keychain entry");
            QTRY_COMPARE(fileSecretRows(local), 0);
            const auto row = (*store)->get(id);
            QVERIFY(row.ok());
            QVERIFY(!row->secretsElsewhere);
            QVERIFY(row->responseBody.contains(kAccessToken));
            QVERIFY(row->responseBody.contains(kClientSecret));
        }
        auto again = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(again.ok(), again.ok() ? "" : qPrintable(again.error().message));
        const auto row = (*again)->get(id);
        QVERIFY(row.ok());
        QVERIFY(row->responseBody.contains(kAccessToken));
        QCOMPARE(fileSecretRows(local), 0);
        const QByteArray dump = m_pg.dump(QStringLiteral("kc_readback"));
        QVERIFY2(dump.contains("soft-readback"), "the dump has no rows");
        QVERIFY2(!dump.contains(kAccessToken), "the token reached the shared database");
        QVERIFY2(!dump.contains(kClientSecret), "the client secret reached the shared database");
        QVERIFY((*again)->forgetSecrets({id}).ok());
        QTRY_VERIFY(!keychainEntries().contains(uid.toLatin1()));
    }

    // A process that ends between the write and the keychain's answer (history_child register
    // leaves without running an event loop, as a crash would) leaves the secrets in the local
    // file, 0600, and nowhere else: the next start reads them from there, copies them to the
    // keychain, and then reads them from the keychain.
    void secretsSurviveAnEndBeforeTheKeychainAnswers() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_restart"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("restart"));
        const QByteArray secret = "cs-5b9e-written-then-gone";

        QProcess child;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("DCR_TEST_HISTORY_LOCAL"), optionsIn(local).localPath);
        child.setProcessEnvironment(env);
        child.start(QStringLiteral(HISTORY_CHILD_PATH),
                    {QStringLiteral("register"), url, QStringLiteral("client-gone"),
                     QString::fromLatin1(secret)});
        QVERIFY(child.waitForFinished(60000));
        QVERIFY2(child.exitCode() == 0, child.readAllStandardError().constData());
        bool numeric = false;
        const qint64 id = child.readAllStandardOutput().trimmed().toLongLong(&numeric);
        QVERIFY(numeric);
        QVERIFY(id > 0); // on the server, not in the outbox

        QVERIFY2(!keychainEntries().contains(secret), "the keychain has it already");
        QCOMPARE(fileSecretRows(local), 1);
        const auto files = QDir(local).entryInfoList({QStringLiteral("alice-*.sqlite")});
        QCOMPARE(files.size(), 1);
        const QFileDevice::Permissions others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                                QFileDevice::ReadOther | QFileDevice::WriteOther;
        QVERIFY2(!(files.first().permissions() & others), "the local file is not 0600");
        QVERIFY2(!m_pg.dump(QStringLiteral("kc_restart")).contains(secret),
                 "the secret reached the shared database");

        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        auto row = (*store)->get(id); // before the keychain has it: from the file
        QVERIFY(row.ok());
        QVERIFY(!row->secretsElsewhere);
        QVERIFY(row->responseBody.contains(secret));

        QTRY_VERIFY2(keychainEntries().contains(secret), "the next start did not copy it over");
        QTRY_COMPARE(fileSecretRows(local), 0);
        row = (*store)->get(id); // from the keychain now
        QVERIFY(row.ok());
        QVERIFY(row->responseBody.contains(secret));
        QVERIFY((*store)->forgetSecrets({id}).ok());
        QTRY_VERIFY(!keychainEntries().contains(secret));
    }
    // Forgetting a row's secrets and deleting a row run no event loop either, although the
    // secrets are only in the keychain by then (the old code read them there, and deleted them,
    // each in a nested loop): the keychain's delete is asynchronous, and done once the caller's
    // event loop runs.
    void forgettingAndDeletingRunNoEventLoop() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_forget_noloop"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("forget-noloop"));
        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QString forgottenUid;
        QString removedUid;
        const qint64 forgotten =
            registerInKeychain(**store, local, "cs-31f0-forgotten-noloop", &forgottenUid);
        QVERIFY(forgotten > 0);
        const qint64 removed =
            registerInKeychain(**store, local, "cs-42a1-removed-noloop", &removedUid);
        QVERIFY(removed > 0);

        EventLoopProbe probe;
        probe.post();
        const Status forgot = (*store)->forgetSecrets({forgotten});
        QVERIFY2(forgot.ok(), forgot.ok() ? "" : qPrintable(forgot.error().message));
        QCOMPARE(probe.timerRuns, 0);
        QCOMPARE(probe.queuedRuns, 0);
        const auto row = (*store)->get(forgotten);
        QVERIFY(row.ok());
        QVERIFY(!row->responseBody.contains("cs-31f0-forgotten-noloop"));

        const Status deleted = (*store)->remove({removed});
        QVERIFY2(deleted.ok(), deleted.ok() ? "" : qPrintable(deleted.error().message));
        QCOMPARE(probe.timerRuns, 0);
        QCOMPARE(probe.queuedRuns, 0);
        QVERIFY(!(*store)->get(removed).ok());

        QTRY_COMPARE(probe.timerRuns, 1);
        QTRY_COMPARE(probe.queuedRuns, 1);
        QTRY_VERIFY2(!keychainEntries().contains("cs-31f0-forgotten-noloop"),
                     "the forgotten secret stayed in the keychain");
        QTRY_VERIFY2(!keychainEntries().contains("cs-42a1-removed-noloop"),
                     "the deleted row's secret stayed in the keychain");
        QVERIFY(!keychainEntries().contains(forgottenUid.toLatin1()));
        QVERIFY(!keychainEntries().contains(removedUid.toLatin1()));
        QCOMPARE(fileSecretRows(local), 0);
    }

    // A process that forgets a row's secrets and ends before the keychain confirms the delete
    // (history_child forget: _Exit, no event loop) leaves the keychain entry, but the local file
    // records the deletion: no store shows those secrets again, and the next writing store
    // deletes the entry.
    void aForgottenSecretDoesNotComeBackAfterARestart() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_forget_restart"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("forget-restart"));
        const QByteArray secret = "cs-6d17-forgotten-then-gone";
        qint64 id = 0;
        QString uid;
        {
            auto store = HistoryStore::open(url, optionsIn(local));
            QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
            id = registerInKeychain(**store, local, secret, &uid);
            QVERIFY(id > 0);
        }

        const ChildRun child =
            runChild(local, QStringLiteral("forget"), url, {QString::number(id)});
        QVERIFY2(child.exitCode == 0, child.err.constData());
        QVERIFY2(keychainEntries().contains(secret),
                 "the keychain deleted it before the child ended: nothing left to test");
        QCOMPARE(pendingDeletionRows(local), 1);
        QCOMPARE(fileSecretRows(local), 0);

        // A store over the same file counts the row as having no secrets, although the keychain
        // still holds them.
        const QString connection = QStringLiteral("forget-restart-peek");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(localFileIn(local));
            QVERIFY(db.open());
        }
        {
            const QUrl parsed(url);
            FileSecretStore fileStore(connection, QStringLiteral("peek"), localFileIn(local));
            const auto keychain = keychainModule().open(
                QStringLiteral("%1:%2%3").arg(parsed.host()).arg(parsed.port()).arg(parsed.path()),
                fileStore);
            QVERIFY(!keychain->find(uid));
        }
        QSqlDatabase::removeDatabase(connection);

        // The reader's store does not resume; the row shows no secret.
        HistoryOptions readerOptions = optionsIn(local);
        readerOptions.sweepInterrupted = false;
        {
            auto reader = HistoryStore::open(url, readerOptions);
            QVERIFY2(reader.ok(), reader.ok() ? "" : qPrintable(reader.error().message));
            const auto row = (*reader)->get(id);
            QVERIFY(row.ok());
            QVERIFY(!row->responseBody.contains(secret));
        }

        // The next writing store deletes the entry and then the record of the deletion.
        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QVERIFY((*store)->flushSecrets(10000).ok());
        QVERIFY2(!keychainEntries().contains(secret), "the next start did not delete it");
        QCOMPARE(pendingDeletionRows(local), 0);
        QVERIFY(!(*store)->get(id)->responseBody.contains(secret));
    }

    // What dcrctl does before it exits (HistoryStore::flushSecrets, from its session's end): a
    // child that records a registration and flushes leaves the secret in the keychain and
    // nothing in the local file, although it then ends without running an event loop.
    void flushingLeavesTheSecretInTheKeychainAndTheFileEmpty() {
        QString error;
        const QString url = m_pg.createDatabase(QStringLiteral("kc_flush"), &error);
        QVERIFY2(!url.isEmpty(), qPrintable(error));
        const QString local = localDir(QStringLiteral("flush"));
        const QByteArray secret = "cs-8e40-flushed-before-exit";

        const ChildRun child =
            runChild(local, QStringLiteral("register-flush"), url,
                     {QStringLiteral("client-flushed"), QString::fromLatin1(secret)});
        QVERIFY2(child.exitCode == 0, child.err.constData());
        bool numeric = false;
        const qint64 id = child.out.trimmed().toLongLong(&numeric);
        QVERIFY(numeric);
        QVERIFY2(keychainEntries().contains(secret), "the flush did not wait for the keychain");
        QCOMPARE(fileSecretRows(local), 0);
        QVERIFY2(!m_pg.dump(QStringLiteral("kc_flush")).contains(secret),
                 "the secret reached the shared database");

        // And the same for a delete: flushed, the entry is gone at once.
        auto store = HistoryStore::open(url, optionsIn(local));
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QVERIFY((*store)->forgetSecrets({id}).ok());
        QVERIFY((*store)->flushSecrets(10000).ok());
        QVERIFY(!keychainEntries().contains(secret));
        QCOMPARE(pendingDeletionRows(local), 0);
    }

    // Two writes of one row before the keychain answers either: the keychain ends with the newer
    // secrets, and the file keeps its copy until that one is confirmed, so a read finds the newer
    // at every moment.
    void theNewerOfTwoWritesWins() {
        const QString file = m_dir.filePath(QStringLiteral("two-writes.sqlite"));
        const QString connection = QStringLiteral("two-writes");
        {
            QSqlDatabase db = QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), connection);
            db.setDatabaseName(file);
            QVERIFY(db.open());
        }
        QVERIFY(FileSecretStore::prepare(connection).ok());
        {
            FileSecretStore fileStore(connection, QStringLiteral("two-writes"), file);
            const auto keychainStore =
                keychainModule().open(QStringLiteral("test:5432/two-writes"), fileStore);
            KeychainSecretStore& keychain = *keychainStore;
            const QString uid = QStringLiteral("row-two-writes");
            const LocalSecrets older{{}, {}, "{\"client_secret\":\"cs-older-a41\"}"};
            const LocalSecrets newer{{}, {}, "{\"client_secret\":\"cs-newer-b52\"}"};
            QVERIFY(keychain.keep(uid, older).ok());
            QVERIFY(keychain.keep(uid, newer).ok());
            QCOMPARE(keychain.find(uid)->responseBody, newer.responseBody); // from the file

            QTRY_VERIFY2(keychainEntries().contains("cs-newer-b52"), "the newer never arrived");
            QTRY_COMPARE(localSecretRows(file), 0);
            QVERIFY(!keychainEntries().contains("cs-older-a41"));
            QCOMPARE(keychain.find(uid)->responseBody, newer.responseBody); // from the keychain
            QVERIFY(keychain.forget(uid).ok());
            QVERIFY(!keychain.find(uid)); // at once, before the keychain confirms
            QCOMPARE(keychain.flush(10000), 0);
            QVERIFY(!keychainEntries().contains("cs-newer-b52"));
            QCOMPARE(localSecretRows(file, QStringLiteral("local_secret_deletions")), 0);
        }
        QSqlDatabase::removeDatabase(connection);
    }
};

QTEST_GUILESS_MAIN(TestHistoryKeychain)
#include "tst_history_keychain.moc"
