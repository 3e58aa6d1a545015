// Issue #25.2 "Registrations never lost": a registration POST that got no answer (a bank silent
// until the timeout) is found in the history as a lost attempt for its software_id at its URL,
// until a later registration of the same software_id there is answered; another software_id or
// another bank is not concerned; a failure before the request left is no lost answer; and a
// bank's "already registered" answer is classified as such and linked to the lost attempt.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "history/HistoryStore.h"
#include "registration/RegistrationOutcome.h"
#include "sandbox/SandboxKit.h"
#include "session/LostRegistrationCheck.h"
#include "session/LostRegistrations.h"
#include "session/Session.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QTimeZone>

using namespace dcr;
using namespace dcr::test;

namespace {

// A bank whose answer the test chooses per request: silence, 409 "already registered", or 201.
class ScriptedBank {
public:
    enum class Mode { Silent, AlreadyRegistered, Created };

    explicit ScriptedBank(const QSslConfiguration& tls)
        : m_server(ScriptedServer::Behaviour::Custom, &tls) {
        m_server.setResponder([this](QTcpSocket* socket, const QByteArray&) {
            QByteArray status, body;
            switch (mode) {
            case Mode::Silent:
                return; // reads the request, never answers
            case Mode::AlreadyRegistered:
                status = "400 Bad Request";
                body = R"({"error":"invalid_client_metadata",)"
                       R"("error_description":"software_id already registered"})";
                break;
            case Mode::Created:
                status = "201 Created";
                body = R"({"client_id":"c-after-loss","software_id":"soft-lost"})";
                break;
            }
            socket->write(ScriptedServer::jsonResponse(status, body));
            socket->disconnectFromHost();
        });
    }
    quint16 port() const { return m_server.port(); }
    qsizetype received() const { return m_server.receivedRequests().size(); }
    Mode mode = Mode::Silent;

private:
    ScriptedServer m_server;
};

QJsonObject draft(const QString& softwareId) {
    return QJsonObject{{"software_id", softwareId},
                       {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
                       {"grant_types", QJsonArray{"client_credentials"}},
                       {"token_endpoint_auth_method", "tls_client_auth"},
                       {"client_name", "Lost answers TPP"}};
}

SubmissionRecord row(qint64 id, const char* state, const char* outcome, const char* failureClass,
                     int status = 0) {
    SubmissionRecord r;
    r.id = id;
    r.created = QDateTime::fromSecsSinceEpoch(1900000000 + id * 60, Qt::UTC);
    r.state = QString::fromLatin1(state);
    r.outcome = QString::fromLatin1(outcome);
    r.failureClass = QString::fromLatin1(failureClass);
    r.failureMessage =
        r.failureClass.isEmpty() ? QString() : r.failureClass + QStringLiteral(" msg");
    r.method = "POST";
    r.contentType = "application/json";
    r.url = QStringLiteral("https://bank.example/register");
    r.softwareId = QStringLiteral("soft-1");
    r.requestJwt = "{}";
    r.tlsSummary = QStringLiteral("TLSv1.3 TLS_AES_256_GCM_SHA384");
    r.responseStatus = status;
    return r;
}

} // namespace

class TestLostRegistrations : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    QSslConfiguration m_tls;

    Profile profileFor(quint16 port, const QString& name) const {
        Profile p;
        p.name = name;
        p.registrationUrl = QUrl(QStringLiteral("https://localhost:%1/register").arg(port));
        p.transportCertPath = m_kit->path(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = m_kit->path(QStringLiteral("tpp-transport-key.pem"));
        p.caBundlePath = m_kit->path(QStringLiteral("ca.pem"));
        p.bodyFormat = RequestBodyFormat::Json;
        p.contentType = "application/json";
        // The silent bank's answer is given up on after 3 s. Not 1 s: the deadline covers the
        // connection and the TLS handshake too, which under ASan on a loaded 2-core machine took
        // over a second; a request that times out before it is sent is rightly no lost answer.
        p.timeoutSeconds = 3;
        return p;
    }

    static SubmissionPlan plan(Session& session, const Profile& p, const QString& softwareId) {
        auto planned = session.planRegistration(RegistrationRequest(draft(softwareId)), p, {});
        if (!planned)
            qFatal("plan: %s", qPrintable(planned.error().message));
        return *planned;
    }

    static SubmissionResult send(Session& session, const SubmissionPlan& plan) {
        QSignalSpy finished(&session, &Session::submissionFinished);
        auto id = session.submit(plan);
        if (!id)
            qFatal("submit: %s", qPrintable(id.error().message));
        if (!finished.wait(20000))
            qFatal("no result");
        return finished.first().at(1).value<SubmissionResult>();
    }

    // The console's way: read on the history reader's thread, the finding handed back here.
    static LostRegistrationCheck::Finding checkOnReader(Session& session,
                                                        const SubmissionPlan& plan) {
        LostRegistrationCheck check(&session);
        std::optional<LostRegistrationCheck::Finding> found;
        check.start(plan, [&found](const LostRegistrationCheck::Finding& f) { found = f; });
        if (!QTest::qWaitFor([&found] { return found.has_value(); }, 20000))
            qFatal("the lost-answer check never answered");
        return *found;
    }

    static quint16 closedPort() {
        QTcpServer probe;
        if (!probe.listen(QHostAddress::LocalHost, 0))
            qFatal("no port");
        return probe.serverPort(); // closed again when probe goes
    }

    static QList<qint64> ids(const Result<QList<LostRegistration>>& lost) {
        QList<qint64> out;
        if (!lost)
            qFatal("lost registrations: %s", qPrintable(lost.error().message));
        for (const LostRegistration& l : *lost)
            out << l.historyId;
        return out;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        auto kit = SandboxKit::create(m_dir.filePath(QStringLiteral("kit")));
        QVERIFY2(kit, kit ? "" : qPrintable(kit.error().message));
        m_kit = *kit;
        m_tls = ScriptedBankKit::serverTls(*m_kit);
    }

    // The whole story against a real bank that stays silent, then answers.
    void aSilentBankLeavesALostRegistrationUntilOneIsAnswered() {
        ScriptedBank bank(m_tls);
        ScriptedBank otherBank(m_tls);
        Session session(AppPaths::under(m_dir.filePath(QStringLiteral("story"))));
        session.open();
        const Profile p = profileFor(bank.port(), QStringLiteral("bank"));
        const Profile other = profileFor(otherBank.port(), QStringLiteral("other bank"));
        const SubmissionPlan first = plan(session, p, QStringLiteral("soft-lost"));

        // Nothing lost yet: no warning (the check without the earlier row).
        QCOMPARE(ids(session.lostRegistrationsFor(first)), QList<qint64>{});

        const SubmissionResult silent = send(session, first);
        QVERIFY(!silent.exchange.completed());
        QCOMPARE(silent.exchange.failure->kind, ErrorKind::NetworkTimeout);
        QCOMPARE(bank.received(), 1); // the request reached the bank
        QVERIFY(silent.historyId > 0);

        // The next registration of the same software_id at the same bank is warned of it.
        const SubmissionPlan again = plan(session, p, QStringLiteral("soft-lost"));
        auto lost = session.lostRegistrationsFor(again);
        QCOMPARE(ids(lost), QList<qint64>{silent.historyId});
        const LostRegistration& l = lost->first();
        QCOMPARE(l.softwareId, QStringLiteral("soft-lost"));
        QCOMPARE(l.failureClass, QStringLiteral("timeout"));
        QCOMPARE(l.url, p.registrationUrl.toString());
        QVERIFY2(l.why.contains(QStringLiteral("no complete answer within 3 s")),
                 qPrintable(l.why));
        const QString warning = lostRegistrationWarning(l);
        const QString id = QString::number(silent.historyId);
        QVERIFY2(warning.contains(QStringLiteral("history #") + id) &&
                     warning.contains(QStringLiteral("dcrctl history show ") + id) &&
                     warning.contains(QStringLiteral("got no answer")),
                 qPrintable(warning));
        // The Clients view's list of the profile holds it; another profile's does not.
        QCOMPARE(ids(session.lostRegistrations(p.name)), QList<qint64>{silent.historyId});
        QCOMPARE(ids(session.lostRegistrations(other.name)), QList<qint64>{});

        // Another software_id at the same bank, or the same one at another bank: not concerned.
        QCOMPARE(ids(session.lostRegistrationsFor(plan(session, p, QStringLiteral("soft-2")))),
                 QList<qint64>{});
        QCOMPARE(
            ids(session.lostRegistrationsFor(plan(session, other, QStringLiteral("soft-lost")))),
            QList<qint64>{});

        // The bank answers "already registered": classified, and linked to the lost attempt.
        bank.mode = ScriptedBank::Mode::AlreadyRegistered;
        const SubmissionResult refused = send(session, again);
        QCOMPARE(refused.outcome.kind, OutcomeKind::Error);
        QVERIFY(refused.outcome.alreadyRegistered);
        QVERIFY2(refused.outcome.likelyFix.contains(
                     QStringLiteral("may have created a client on history #") + id),
                 qPrintable(refused.outcome.likelyFix));
        QCOMPARE(refused.outcome.toJson().value("already_registered").toBool(), true);
        // A refusal is no answered registration: still lost.
        QCOMPARE(ids(session.lostRegistrationsFor(again)), QList<qint64>{silent.historyId});

        // A registration answered with a client: the lost attempt is settled.
        bank.mode = ScriptedBank::Mode::Created;
        const SubmissionResult created =
            send(session, plan(session, p, QStringLiteral("soft-lost")));
        QCOMPARE(created.outcome.kind, OutcomeKind::Registered);
        QCOMPARE(ids(session.lostRegistrationsFor(again)), QList<qint64>{});
        QCOMPARE(ids(session.lostRegistrations(p.name)), QList<qint64>{});

        // An "already registered" answer with no lost attempt before it says nothing of one.
        bank.mode = ScriptedBank::Mode::AlreadyRegistered;
        const SubmissionResult unlinked = send(session, again);
        QVERIFY(unlinked.outcome.alreadyRegistered);
        QVERIFY2(!unlinked.outcome.likelyFix.contains(QStringLiteral("history #")),
                 qPrintable(unlinked.outcome.likelyFix));

        // Silence after the answered one is lost again: order decides, not presence.
        bank.mode = ScriptedBank::Mode::Silent;
        const SubmissionResult silentAgain = send(session, again);
        QVERIFY(!silentAgain.exchange.completed());
        QCOMPARE(ids(session.lostRegistrationsFor(again)), QList<qint64>{silentAgain.historyId});
    }

    // Review of #25.2: one rule in every view. An attempt lost with one profile is settled by an
    // answer to the same software_id at the same endpoint sent with another profile, for the
    // Send check and the Clients view of the first profile alike; a warning about an attempt of
    // another profile names that profile.
    void anAnswerInAnotherProfileSettlesTheAttempt() {
        ScriptedBank bank(m_tls);
        const AppPaths paths = AppPaths::under(m_dir.filePath(QStringLiteral("profiles")));
        Session session(paths);
        session.open();
        const Profile first = profileFor(bank.port(), QStringLiteral("first"));
        const Profile second = profileFor(bank.port(), QStringLiteral("second"));
        const SubmissionResult silent =
            send(session, plan(session, first, QStringLiteral("soft-shared")));
        QVERIFY(!silent.exchange.completed());
        const SubmissionPlan fromSecond = plan(session, second, QStringLiteral("soft-shared"));
        auto lost = session.lostRegistrationsFor(fromSecond);
        QCOMPARE(ids(lost), QList<qint64>{silent.historyId});
        const QString warning = lostRegistrationWarning(lost->first(), second.name);
        QVERIFY2(warning.contains(QStringLiteral("profile \"first\"")), qPrintable(warning));
        QVERIFY2(!lostRegistrationWarning(lost->first(), first.name)
                      .contains(QStringLiteral("profile \"")),
                 qPrintable(lostRegistrationWarning(lost->first(), first.name)));

        bank.mode = ScriptedBank::Mode::Created;
        QCOMPARE(send(session, fromSecond).outcome.kind, OutcomeKind::Registered);
        QCOMPARE(
            ids(session.lostRegistrationsFor(plan(session, first, QStringLiteral("soft-shared")))),
            QList<qint64>{});
        QCOMPARE(ids(session.lostRegistrations(first.name)), QList<qint64>{});
        // The Clients view's rows of the first profile hold no lost attempt, and no client of
        // the second profile.
        auto store = HistoryStore::open(paths.historyDb);
        QVERIFY2(store, store ? "" : qPrintable(store.error().message));
        auto rows = clientsViewRows(**store, first.name);
        QVERIFY2(rows, rows ? "" : qPrintable(rows.error().message));
        QCOMPARE(findLostRegistrations(*rows).size(), 0);
        for (const SubmissionRecord& r : *rows)
            QCOMPARE(r.profile, first.name);
    }

    // A request that never left (connection refused) is no lost answer.
    void aFailureBeforeSendingIsNoLostAnswer() {
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        Session session(AppPaths::under(m_dir.filePath(QStringLiteral("refused"))));
        session.open();
        const Profile p = profileFor(closedPort, QStringLiteral("closed"));
        const SubmissionPlan attempt = plan(session, p, QStringLiteral("soft-refused"));
        const SubmissionResult result = send(session, attempt);
        QVERIFY(!result.exchange.completed());
        QCOMPARE(result.exchange.failure->kind, ErrorKind::NetworkConnectionRefused);
        QVERIFY(result.historyId > 0);
        QCOMPARE(ids(session.lostRegistrationsFor(attempt)), QList<qint64>{});
    }

    // The rule before a Send (LostRegistrationCheck), the same for dcrctl, which reads on its
    // own thread, and the console, which reads on the history reader's: the newest lost attempt
    // and how many more, for the same software_id only; a cancelled check never answers.
    void theCheckFindsTheSameOnEitherThread() {
        using Kind = LostRegistrationCheck::Finding::Kind;
        ScriptedBank bank(m_tls);
        Session session(AppPaths::under(m_dir.filePath(QStringLiteral("check"))));
        session.open();
        const Profile p = profileFor(bank.port(), QStringLiteral("bank"));
        const SubmissionPlan first = plan(session, p, QStringLiteral("soft-check"));
        QCOMPARE(LostRegistrationCheck::checkNow(session, first).kind, Kind::Clear);
        QCOMPARE(checkOnReader(session, first).kind, Kind::Clear);

        QVERIFY(!send(session, first).exchange.completed());
        const SubmissionResult newest =
            send(session, plan(session, p, QStringLiteral("soft-check")));
        QVERIFY(!newest.exchange.completed());
        const SubmissionPlan again = plan(session, p, QStringLiteral("soft-check"));
        const auto now = LostRegistrationCheck::checkNow(session, again);
        QCOMPARE(now.kind, Kind::Lost);
        QVERIFY(now.mustAsk());
        QVERIFY2(now.text.contains(QStringLiteral("see history #%1").arg(newest.historyId)) &&
                     now.text.endsWith(QStringLiteral(" (1 earlier one(s) too)")),
                 qPrintable(now.text));
        const auto onReader = checkOnReader(session, again);
        QCOMPARE(onReader.kind, Kind::Lost);
        QCOMPARE(onReader.text, now.text);

        const SubmissionPlan other = plan(session, p, QStringLiteral("soft-other"));
        QCOMPARE(LostRegistrationCheck::checkNow(session, other).kind, Kind::Clear);
        QCOMPARE(checkOnReader(session, other).kind, Kind::Clear);

        // Cancelled (the console's Cancel while checking): the reader's answer is dropped.
        LostRegistrationCheck check(&session);
        bool answered = false;
        check.start(again, [&answered](const LostRegistrationCheck::Finding&) { answered = true; });
        QVERIFY(check.isRunning());
        check.cancel();
        QVERIFY(!check.isRunning());
        QTRY_VERIFY(!session.historyReader()->isLoading()); // its answer has been delivered
        QVERIFY(!answered);
    }

    // Review of #25.2: a history that cannot be read is asked about (unchecked is not "nothing
    // lost"), on either thread, naming the history. A history that is not open at all is not:
    // nothing recorded can be sent then, and the send's own refusal says why (advising
    // --register-again there would advise what cannot work either).
    void anUnreadableHistoryIsAskedAboutAMissingOneIsNot() {
        using Kind = LostRegistrationCheck::Finding::Kind;
        const quint16 port = closedPort();
        AppPaths awayPaths = AppPaths::under(m_dir.filePath(QStringLiteral("away")));
        awayPaths.historyDb =
            QStringLiteral("postgresql://postgres@127.0.0.1:%1/team?sslmode=disable").arg(port);
        Session away(awayPaths);
        away.open();
        QVERIFY(away.hasHistory()); // open, its server away
        const Profile p = profileFor(closedPort(), QStringLiteral("any bank"));
        const SubmissionPlan toAway = plan(away, p, QStringLiteral("soft-away"));
        const QString where = QStringLiteral("127.0.0.1:%1").arg(port);
        for (const auto& found :
             {LostRegistrationCheck::checkNow(away, toAway), checkOnReader(away, toAway)}) {
            QCOMPARE(found.kind, Kind::Unchecked);
            QVERIFY(found.mustAsk());
            QVERIFY2(found.text.contains(QStringLiteral("could not be looked for")) &&
                         found.text.contains(where) &&
                         found.text.contains(QStringLiteral("soft-away")),
                     qPrintable(found.text));
        }

        AppPaths nonePaths = AppPaths::under(m_dir.filePath(QStringLiteral("none")));
        const QString file = m_dir.filePath(QStringLiteral("a-file"));
        writeFile(file, "not a folder");
        nonePaths.historyDb = file + QStringLiteral("/history.sqlite");
        Session none(nonePaths);
        none.open();
        QVERIFY(!none.hasHistory());
        const SubmissionPlan unrecordable = plan(none, p, QStringLiteral("soft-none"));
        QCOMPARE(LostRegistrationCheck::checkNow(none, unrecordable).kind, Kind::Clear);
        LostRegistrationCheck check(&none);
        std::optional<LostRegistrationCheck::Finding> found;
        check.start(unrecordable, [&found](const LostRegistrationCheck::Finding& f) { found = f; });
        QVERIFY(found); // at once: there is no reader to ask
        QCOMPARE(found->kind, Kind::Clear);
        const auto refused = none.submit(unrecordable);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(
                     QStringLiteral("not sent, because every attempt must be recorded")),
                 qPrintable(refused.error().message));
    }

    // The rule on rows: which failures may have left, interrupted rows, TLS, token requests,
    // ordering and endpoint spelling.
    void whichRowsCount() {
        QVERIFY(isLostRegistrationRow(row(1, "completed", "transport", "timeout")));
        QVERIFY(isLostRegistrationRow(row(1, "completed", "transport", "cancelled")));
        QVERIFY(isLostRegistrationRow(row(1, "completed", "transport", "reset")));
        QVERIFY(isLostRegistrationRow(row(1, "interrupted", "interrupted", "")));
        for (const char* before :
             {"dns", "connection-refused", "tls", "tls-refused", "origin-refused", "oversize"})
            QVERIFY2(!isLostRegistrationRow(row(1, "completed", "transport", before)), before);
        SubmissionRecord noTls = row(1, "completed", "transport", "timeout");
        noTls.tlsSummary.clear(); // over https, no TLS session: the request never left
        QVERIFY(!isLostRegistrationRow(noTls));
        SubmissionRecord token = row(1, "completed", "transport", "timeout");
        token.contentType = "application/x-www-form-urlencoded";
        QVERIFY(!isLostRegistrationRow(token));
        SubmissionRecord update = row(1, "completed", "transport", "timeout");
        update.method = "PUT";
        QVERIFY(!isLostRegistrationRow(update));

        QVERIFY(sameRegistrationEndpoint(QStringLiteral("https://Bank.example:443/register/"),
                                         QStringLiteral("https://bank.example/register")));
        QVERIFY(!sameRegistrationEndpoint(QStringLiteral("https://bank.example:8443/register"),
                                          QStringLiteral("https://bank.example/register")));
        // Review of #25.2: the query names another endpoint (a tenant), an empty path is "/",
        // and URLs naming no endpoint are never the same one.
        QVERIFY(
            !sameRegistrationEndpoint(QStringLiteral("https://bank.example/register?tenant=a"),
                                      QStringLiteral("https://bank.example/register?tenant=b")));
        QVERIFY(!sameRegistrationEndpoint(QStringLiteral("https://bank.example/register?tenant=a"),
                                          QStringLiteral("https://bank.example/register")));
        QVERIFY(
            sameRegistrationEndpoint(QStringLiteral("https://bank.example/register?tenant=a"),
                                     QStringLiteral("HTTPS://bank.example:443/register?tenant=a")));
        QVERIFY(sameRegistrationEndpoint(QStringLiteral("https://bank.example"),
                                         QStringLiteral("https://bank.example/")));
        QVERIFY(!sameRegistrationEndpoint(QStringLiteral("not a url"),
                                          QStringLiteral("also not a url")));
        QVERIFY(
            !sameRegistrationEndpoint(QStringLiteral("/register"), QStringLiteral("/register")));
        QVERIFY(!sameRegistrationEndpoint(QString(), QString()));

        const SubmissionRecord lost = row(2, "completed", "transport", "timeout");
        SubmissionRecord earlierSuccess = row(1, "completed", "registered", "", 201);
        SubmissionRecord laterSuccess = row(3, "completed", "registered", "", 201);
        SubmissionRecord laterElsewhere = laterSuccess;
        laterElsewhere.url = QStringLiteral("https://other.example/register");
        SubmissionRecord laterRefused = row(3, "completed", "error", "", 409);
        auto found = [](const QList<SubmissionRecord>& rows) {
            QList<qint64> out;
            for (const auto& l : findLostRegistrations(rows))
                out << l.historyId;
            return out;
        };
        QCOMPARE(found({lost}), QList<qint64>{2});
        QCOMPARE(found({earlierSuccess, lost}), QList<qint64>{2});
        QCOMPARE(found({lost, laterSuccess}), QList<qint64>{});
        QCOMPARE(found({lost, laterElsewhere}), QList<qint64>{2});
        QCOMPARE(found({lost, laterRefused}), QList<qint64>{2});
    }

    // Only clear signals are "already registered".
    void alreadyRegisteredIsClassified_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<bool>("already");
        QTest::addColumn<QByteArray>("contentType");
        QTest::newRow("409 OBIE error")
            << 409 << QByteArray(R"({"Code":"409","Message":"Conflict","Errors":[]})") << true
            << QByteArray("application/json");
        QTest::newRow("400 invalid_client_metadata, already registered")
            << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("software_id already registered"})")
            << true << QByteArray("application/json");
        QTest::newRow("400 client already exists")
            << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("a client for this software already exists"})")
            << true << QByteArray("application/json");
        QTest::newRow("400 other invalid_client_metadata")
            << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("redirect_uri not allowed"})")
            << false << QByteArray("application/json");
        QTest::newRow("500 already exists")
            << 500
            << QByteArray(R"({"error":"server_error",)"
                          R"("error_description":"already exists"})")
            << false << QByteArray("application/json");
        // Review of #25.2: the phrase about something else than the client is no such signal.
        QTest::newRow("400 invalid_redirect_uri already registered to another client")
            << 400
            << QByteArray(R"({"error":"invalid_redirect_uri","error_description":)"
                          "\"https://tpp/cb is already registered to another client\"}")
            << false << QByteArray("application/json");
        QTest::newRow("400 invalid_software_statement jti already exists")
            << 400
            << QByteArray(R"({"error":"invalid_software_statement","error_description":)"
                          R"("software statement jti already exists"})")
            << false << QByteArray("application/json");
        QTest::newRow("400 invalid_client_metadata jti already exists")
            << 400
            << QByteArray(R"({"error":"invalid_client_metadata","error_description":)"
                          R"("software statement jti already exists"})")
            << false << QByteArray("application/json");
        QTest::newRow("403 HTML WAF session already exists")
            << 403
            << QByteArray("<html><body><h1>403 Forbidden</h1><p>session already exists</p>"
                          "</body></html>")
            << false << QByteArray("text/html");
        QTest::newRow("403 text client already exists")
            << 403 << QByteArray("client already exists") << false << QByteArray("text/plain");
        QTest::newRow("403 JSON client already registered")
            << 403
            << QByteArray(R"({"error":"forbidden","error_description":)"
                          R"("a client is already registered for this software"})")
            << true << QByteArray("application/json");
        QTest::newRow("201") << 201 << QByteArray(R"({"client_id":"c1"})") << false
                             << QByteArray("application/json");
    }
    void alreadyRegisteredIsClassified() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(bool, already);
        QFETCH(QByteArray, contentType);
        const RegistrationOutcome o =
            classifyResponse(status, {{"Content-Type", contentType}}, body);
        QCOMPARE(o.alreadyRegistered, already);
        if (already)
            QVERIFY2(o.explanation.startsWith(QStringLiteral("Already registered")),
                     qPrintable(o.explanation));
        else
            QVERIFY2(!o.explanation.contains(QStringLiteral("Already registered")),
                     qPrintable(o.explanation));
        // What the status said stays: a 403's certificate advice is kept beside it.
        if (status == 403) {
            QVERIFY2(o.explanation.contains(QStringLiteral("transport certificate")),
                     qPrintable(o.explanation));
            QVERIFY2(o.likelyFix.contains(QStringLiteral("Check the client certificate")),
                     qPrintable(o.likelyFix));
        }
        // An update refused with 409 concerns an existing client: not "already registered".
        const RegistrationOutcome update =
            classifyResponse({RegistrationOperation::Update, {}, std::nullopt}, status,
                             {{"Content-Type", contentType}}, body);
        QVERIFY(!update.alreadyRegistered);
    }
};

QTEST_GUILESS_MAIN(TestLostRegistrations)
#include "tst_lost_registrations.moc"
