// The console and dcrctl as two processes over one set of folders: the same history, profiles
// and sandbox kit; DCR_HISTORY_DB moves the history for both; what older versions left in
// dcrctl's own folder is imported, not lost; and what dcrctl records is what went over the wire.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "history/HistoryStore.h"
#include "sandbox/SandboxKit.h"
#include "transport/Profile.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestSharedStore : public QObject {
    Q_OBJECT
    std::unique_ptr<QTemporaryDir> m_home;
    QString m_historyOverride;

    QString path(const QString& relative) const { return m_home->filePath(relative); }

    QProcessEnvironment environment() const {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("XDG_CONFIG_HOME"), path(QStringLiteral("config")));
        env.insert(QStringLiteral("XDG_DATA_HOME"), path(QStringLiteral("data")));
        env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
        env.remove(QStringLiteral("DCR_HISTORY_DB"));
        if (!m_historyOverride.isEmpty())
            env.insert(QStringLiteral("DCR_HISTORY_DB"), m_historyOverride);
        return env;
    }

    // Runs a program and keeps this test's event loop turning meanwhile (in-process servers
    // answer while the child waits for them).
    ProcessResult runProgram(const QString& program, const QStringList& args) {
        QProcess proc;
        proc.setProcessEnvironment(environment());
        QSignalSpy finished(&proc, &QProcess::finished);
        proc.start(program, args);
        proc.closeWriteChannel();
        if (!finished.wait(90000)) {
            proc.kill();
            proc.waitForFinished();
            return {-2, proc.readAllStandardOutput(), "timed out: " + proc.readAllStandardError()};
        }
        return {proc.exitStatus() == QProcess::NormalExit ? proc.exitCode() : -3,
                proc.readAllStandardOutput(), proc.readAllStandardError()};
    }
    ProcessResult dcrctl(const QStringList& args) {
        return runProgram(QStringLiteral(DCRCTL_PATH), args);
    }
    ProcessResult consoleSend() {
        return runProgram(QStringLiteral(CONSOLE_PATH), {QStringLiteral("--send")});
    }
    QJsonArray historyRows() {
        const auto r = dcrctl({"history", "list", "--json", "--limit", "1000"});
        if (r.exitCode != 0)
            qWarning("history list failed: %s", r.err.constData());
        return QJsonDocument::fromJson(r.out).array();
    }
    QJsonObject historyRecord(qint64 id) {
        const auto r = dcrctl({"history", "show", QString::number(id), "--json"});
        return QJsonDocument::fromJson(r.out).object();
    }

private slots:
    void init() {
        m_home = std::make_unique<QTemporaryDir>();
        m_historyOverride.clear();
    }

    void consoleSendIsSeenByDcrctlWithDefaultSettings() {
        const auto sent = consoleSend();
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        // Both programs default to the same XDG folders: no option needed.
        const QJsonArray rows = historyRows();
        QCOMPARE(rows.size(), 1);
        const QJsonObject row = rows.first().toObject();
        QCOMPARE(row.value(QStringLiteral("outcome")).toString(), QStringLiteral("accepted"));
        QCOMPARE(row.value(QStringLiteral("profile")).toString(), QStringLiteral("Local sandbox"));
        const auto profiles = dcrctl({"profile", "list", "--json"});
        QVERIFY(QJsonDocument::fromJson(profiles.out)
                    .array()
                    .first()
                    .toObject()
                    .value(QStringLiteral("name")) == QStringLiteral("Local sandbox"));
        // One sandbox kit: dcrctl sends through the console's profile and kit, its in-process
        // sandbox serving the same demo TPP.
        auto kit = SandboxKit::load(path(QStringLiteral("data/dcr-console/sandbox-kit")));
        QVERIFY2(kit, kit ? "" : qPrintable(kit.error().message));
        writeFile(path(QStringLiteral("claims.json")),
                  kit->demoRequest(QDateTime::currentDateTimeUtc()).toJsonBytes());
        const auto submitted =
            dcrctl({"submit", "--profile", "Local sandbox", "--claims", path("claims.json")});
        QVERIFY2(submitted.exitCode == 0, (submitted.out + submitted.err).constData());
        QCOMPARE(historyRows().size(), 2);
    }

    void historyEnvironmentVariableMovesBoth() {
        m_historyOverride = path(QStringLiteral("team/shared-history.sqlite"));
        const auto sent = consoleSend();
        QVERIFY2(sent.exitCode == 0, sent.err.constData());
        QVERIFY(QFile::exists(m_historyOverride));
        QCOMPARE(historyRows().size(), 1);
        // The default location did not get the row.
        m_historyOverride.clear();
        QCOMPARE(historyRows().size(), 0);
        // --history-db names the same file explicitly (and --db is its alias).
        for (const char* option : {"--history-db", "--db"}) {
            const auto r = dcrctl({"history", "list", "--json", QString::fromLatin1(option),
                                   path(QStringLiteral("team/shared-history.sqlite"))});
            QCOMPARE(QJsonDocument::fromJson(r.out).array().size(), 1);
        }
    }

    void olderVersionsFilesAreImportedNotLost() {
        // dcrctl's own history, as versions before the shared session kept it.
        const QString legacy = path(QStringLiteral("data/dcrctl/history.sqlite"));
        {
            auto store = HistoryStore::open(legacy);
            QVERIFY(store);
            for (int i = 0; i < 3; ++i) {
                SubmissionStart s;
                s.profile = QStringLiteral("old");
                s.softwareId = QStringLiteral("legacy-%1").arg(i);
                s.requestJwt = "eyJhbGciOiJQUzI1NiJ9.e30.c2ln";
                auto id = (*store)->begin(s);
                QVERIFY(id);
                HttpExchange e;
                e.status = 201;
                e.responseBody = "{\"client_id\":\"c-" + QByteArray::number(i) +
                                 "\",\"client_secret\":\"s3cret\"}";
                auto outcome = classifyResponse(e.status, {}, e.responseBody);
                QVERIFY((*store)->complete(*id, e, &outcome).ok());
            }
        }
        // The console's settings, as they were kept in its data folder.
        {
            QSettings old(path(QStringLiteral("data/dcr-console/dcr-console.ini")),
                          QSettings::IniFormat);
            Profile p;
            p.name = QStringLiteral("Old bank");
            p.registrationUrl = QUrl(QStringLiteral("https://old.example/register"));
            QVERIFY(ProfileStore(old).save(p).ok());
        }
        const auto first = dcrctl({"history", "list", "--json"});
        QCOMPARE(first.exitCode, 0);
        QVERIFY2(first.err.contains("Imported 3 submission(s)"), first.err.constData());
        const QJsonArray rows = QJsonDocument::fromJson(first.out).array();
        QCOMPARE(rows.size(), 3);
        QStringList ids;
        for (const auto& r : rows)
            ids << r.toObject().value(QStringLiteral("software_id")).toString();
        ids.sort();
        QCOMPARE(ids, (QStringList{"legacy-0", "legacy-1", "legacy-2"}));
        // Every column came along, the response body (secrets masked in the export) included.
        const QJsonObject full = historyRecord(rows.first().toObject().value("id").toInteger());
        QCOMPARE(full.value("response").toObject().value("status").toInt(), 201);
        QVERIFY(!QJsonDocument(full).toJson().contains("s3cret"));
        // The old file is kept beside, renamed, so it is not imported twice.
        QVERIFY(!QFile::exists(legacy));
        QCOMPARE(QDir(path(QStringLiteral("data/dcrctl")))
                     .entryList({QStringLiteral("history.sqlite.imported-*")}, QDir::Files)
                     .size(),
                 1);
        QCOMPARE(historyRows().size(), 3);
        const auto profiles = dcrctl({"profile", "list"});
        QVERIFY2(profiles.out.contains("Old bank"), profiles.out.constData());
    }

    // dcrctl submit --claims: the history row holds byte for byte the body the server received,
    // and each send has its own jti unless --keep-jti asks for a deliberate replay.
    void dcrctlRecordsTheBytesItSent() {
        auto kit = SandboxKit::create(path(QStringLiteral("kit")));
        QVERIFY(kit);
        QSslConfiguration tls = ScriptedBankKit::serverTls(*kit);
        ScriptedServer recorder(ScriptedServer::Behaviour::Ok, &tls);
        RegistrationRequest claims = kit->demoRequest(QDateTime::currentDateTimeUtc());
        claims.setString(QStringLiteral("jti"),
                         QStringLiteral("4f1c5b5e-3f7e-4a52-9c1a-0d5e2b7c9a11"));
        writeFile(path(QStringLiteral("claims.json")), claims.toJsonBytes());
        const QStringList target{
            "--url",         QStringLiteral("https://localhost:%1/register").arg(recorder.port()),
            "--cert",        kit->path("tpp-transport.pem"),
            "--key",         kit->path("tpp-transport-key.pem"),
            "--cacert",      kit->path("ca.pem"),
            "--signing-key", kit->path("tpp-signing-key.pem"),
            "--claims",      path(QStringLiteral("claims.json")),
            "--json"};
        QStringList jtis;
        for (int send = 0; send < 3; ++send) {
            QStringList args = QStringList{"submit"} + target;
            if (send == 2)
                args << "--keep-jti";
            const auto r = dcrctl(args);
            QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
            const qint64 id =
                QJsonDocument::fromJson(r.out).object().value("history_id").toInteger();
            const QJsonObject record = historyRecord(id);
            const QByteArray jwt =
                record.value("request").toObject().value("jwt").toString().toLatin1();
            QVERIFY(!jwt.isEmpty());
            QList<QByteArray> bodies;
            for (const QByteArray& raw : recorder.receivedRequests())
                bodies << raw.mid(raw.indexOf("\r\n\r\n") + 4);
            QVERIFY2(bodies.contains(jwt), jwt.constData());
            auto jws = Jws::parse(jwt);
            QVERIFY(jws);
            QCOMPARE(record.value("request").toObject().value("claims").toObject(), jws->claims());
            jtis << jws->claims().value(QStringLiteral("jti")).toString();
        }
        QVERIFY(jtis.at(0) != jtis.at(1));
        QVERIFY(jtis.at(0) != claims.claims().value("jti").toString());
        QCOMPARE(jtis.at(2), claims.claims().value("jti").toString()); // --keep-jti
    }
};

QTEST_MAIN(TestSharedStore)
#include "tst_shared_store.moc"
