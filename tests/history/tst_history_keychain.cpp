// A shared history's secrets in the desktop keychain: run by tests/support/with-keyring.sh inside
// a private D-Bus session with GNOME Keyring (the Secret Service) unlocked in a throwaway HOME,
// against a throwaway PostgreSQL. The keychain and the server are real; a missing one fails.
#include "LocalSecretRows.h"
#include "PostgresCluster.h"
#include "history/HistoryStore.h"
#include "history/KeychainSecretStore.h"
#include "session/RegisteredClient.h"

#include <QDir>
#include <QJsonDocument>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>

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

// The rows of local_secrets in the machine's local file of the shared history.
int fileSecretRows(const QString& dir) {
    const auto files = QDir(dir).entryList({QStringLiteral("alice-*.sqlite")});
    return files.size() == 1 ? localSecretRows(QDir(dir).filePath(files.first())) : -1;
}

} // namespace

class TestHistoryKeychain : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    PostgresCluster m_pg;

private slots:
    void initTestCase() {
        QVERIFY2(qEnvironmentVariableIsSet("DBUS_SESSION_BUS_ADDRESS"),
                 "no D-Bus session: run through tests/support/with-keyring.sh (ctest does)");
        QVERIFY2(KeychainSecretStore::serviceRunning(),
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
        HistoryOptions options;
        options.localPath = m_dir.filePath(QStringLiteral("alice.sqlite"));
        auto store = HistoryStore::open(url, options);
        QVERIFY2(store.ok(), store.ok() ? "" : qPrintable(store.error().message));
        QCOMPARE((*store)->localSecretStore(),
                 QStringLiteral("desktop keychain (service dcr-console)"));

        SubmissionStart reg;
        reg.profile = QStringLiteral("Bank");
        reg.url = QStringLiteral("https://bank.example/register");
        reg.softwareId = QStringLiteral("soft-kc");
        const qint64 id = *(*store)->begin(reg);
        HttpExchange e;
        e.status = 201;
        e.responseBody = registrationAnswer();
        e.responseHeaders = {{"Content-Type", "application/json"}};
        auto outcome = classifyResponse(201, {}, e.responseBody);
        QVERIFY((*store)->complete(id, e, &outcome).ok());
        const QString uid = (*store)->get(id)->uid;
        QVERIFY(!uid.isEmpty());

        const QByteArray entries = keychainEntries();
        QVERIFY2(entries.contains(uid.toLatin1()), "no keychain entry for the row");
        QVERIFY2(entries.contains(kAccessToken), "the token is not in the keychain entry");
        QCOMPARE(fileSecretRows(m_dir.path()), 0); // nothing in the local file
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
        const QByteArray after = keychainEntries();
        QVERIFY2(!after.contains(uid.toLatin1()), "the keychain entry survived forgetting");
        QVERIFY(!after.contains(kAccessToken));
        QVERIFY(!(*store)->get(id)->responseBody.contains(kAccessToken));
    }
};

QTEST_GUILESS_MAIN(TestHistoryKeychain)
#include "tst_history_keychain.moc"
