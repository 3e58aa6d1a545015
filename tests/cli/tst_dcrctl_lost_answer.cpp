// Issue #25.2 through dcrctl: a registration the bank read but never answered (silent until
// --timeout) makes the next `submit` of the same software_id at the same URL warn on stderr,
// naming the history row, and refuse (exit 2, nothing sent) unless --register-again; another
// software_id or another bank is sent without a word; `client list` shows the attempt as "answer
// lost" with what can be done, until a later registration there is answered. dcr-console --send
// says on stderr that it registers again.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

// Silent until told to answer; then 201 with a client.
class SilentThenAnsweringBank {
public:
    explicit SilentThenAnsweringBank(const QSslConfiguration& tls, QByteArray idPrefix = "c-")
        : m_server(ScriptedServer::Behaviour::Custom, &tls) {
        m_server.setResponder([this, idPrefix](QTcpSocket* socket, const QByteArray&) {
            if (!answering)
                return;
            socket->write(ScriptedServer::jsonResponse(
                "201 Created",
                R"({"client_id":")" + idPrefix + QByteArray::number(++m_clients) + "\"}"));
            socket->disconnectFromHost();
        });
    }
    quint16 port() const { return m_server.port(); }
    qsizetype received() const { return m_server.receivedRequests().size(); }
    bool answering = false;

private:
    ScriptedServer m_server;
    int m_clients = 0;
};

qint64 historyIdIn(const QByteArray& out) {
    static const QRegularExpression id(QStringLiteral("history: #(\\d+)"));
    const auto m = id.match(QString::fromUtf8(out));
    return m.hasMatch() ? m.captured(1).toLongLong() : 0;
}

} // namespace

class TestDcrctlLostAnswer : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    ScriptedBankKit m_kit;

    QString path(const QString& relative) const { return m_home.filePath(relative); }

    ProcessResult dcrctl(const QStringList& args) {
        return runWhileServing(QStringLiteral(DCRCTL_PATH), args, m_home.path(), 60000);
    }

    QStringList submit(quint16 port, const QString& claims) const {
        return QStringList{"submit"} + m_kit.transportArgs(port) +
               QStringList{"--body",    "json",
                           "--timeout", // 3 s, not 1: the deadline covers the connection and TLS
                           "3",         // handshake, over a second under ASan on a loaded machine
                           "--claims",  path(claims)};
    }

    void writeClaims(const QString& name, const QString& softwareId) {
        writeFile(path(name),
                  QJsonDocument(QJsonObject{{"software_id", softwareId},
                                            {"redirect_uris", QJsonArray{"https://tpp.example/cb"}},
                                            {"grant_types", QJsonArray{"client_credentials"}},
                                            {"token_endpoint_auth_method", "tls_client_auth"}})
                      .toJson());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        const QString created = m_kit.create(path(QStringLiteral("kit")));
        QVERIFY2(created.isEmpty(), qPrintable(created));
        writeClaims(QStringLiteral("lost.json"), QStringLiteral("soft-lost-cli"));
        writeClaims(QStringLiteral("other.json"), QStringLiteral("soft-other-cli"));
    }

    void aLostAnswerIsWarnedOfUntilOneIsAnswered() {
        SilentThenAnsweringBank bank(m_kit.tls());
        SilentThenAnsweringBank otherBank(m_kit.tls(), "other-");
        otherBank.answering = true;

        // The first attempt: nothing earlier, so no warning; the bank reads it and stays silent.
        const auto silent = dcrctl(submit(bank.port(), QStringLiteral("lost.json")));
        QCOMPARE(silent.exitCode, 3);
        QVERIFY2(silent.out.contains("FAILED (timeout)"), silent.out.constData());
        // The warning always names --register-again (a stable option name, not wording).
        QVERIFY2(!silent.err.contains("--register-again"), silent.err.constData());
        QCOMPARE(bank.received(), 1);
        const qint64 lostId = historyIdIn(silent.out);
        QVERIFY2(lostId > 0, silent.out.constData());
        const QByteArray id = QByteArray::number(lostId);

        // The same software_id at the same bank: warned, naming the row, and refused unsent.
        bank.answering = true;
        const auto refused = dcrctl(submit(bank.port(), QStringLiteral("lost.json")));
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(
            refused.err.contains("warning: an earlier registration of software_id "
                                 "soft-lost-cli at ") &&
                refused.err.contains("got no answer (timeout)") &&
                refused.err.contains("see history #" + id + " (dcrctl history show " + id + ")") &&
                refused.err.contains("Send anyway with --register-again."),
            refused.err.constData());
        QCOMPARE(bank.received(), 1); // nothing was sent
        QVERIFY2(refused.out.isEmpty(), refused.out.constData());

        // Another software_id at the same bank, and the same one at another bank: sent, no word.
        const auto otherId = dcrctl(submit(bank.port(), QStringLiteral("other.json")));
        QCOMPARE(otherId.exitCode, 0);
        QVERIFY2(!otherId.err.contains("--register-again") && !otherId.err.contains("#" + id),
                 otherId.err.constData());
        QCOMPARE(bank.received(), 2);
        const auto elsewhere = dcrctl(submit(otherBank.port(), QStringLiteral("lost.json")));
        QCOMPARE(elsewhere.exitCode, 0);
        QVERIFY2(!elsewhere.err.contains("--register-again") && !elsewhere.err.contains("#" + id),
                 elsewhere.err.constData());

        // client list: the attempt as "answer lost" with what can be done, text and JSON.
        const auto listed = dcrctl({"client", "list"});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains("(answer lost)  answer lost: registration of soft-lost-cli") &&
                     listed.out.contains("history #" + id) &&
                     listed.out.contains("advice: If the bank's answer becomes known, read the "
                                         "client by its client_id") &&
                     listed.out.contains("register again deliberately") &&
                     listed.out.contains("1 registration(s) with the answer lost"),
                 listed.out.constData());
        // --json keeps its array of clients, each with a client_id; the lost attempt is not one.
        const auto json = dcrctl({"client", "list", "--json"});
        QCOMPARE(json.exitCode, 0);
        const QJsonArray clients = QJsonDocument::fromJson(json.out).array();
        QCOMPARE(clients.size(), 2); // soft-other-cli here, soft-lost-cli at the other bank
        for (const auto& v : clients)
            QVERIFY2(!v.toObject().value("client_id").toString().isEmpty(), json.out.constData());
        // --with-lost: the clients and, apart, the lost attempts.
        const auto withLost = dcrctl({"client", "list", "--json", "--with-lost"});
        QCOMPARE(withLost.exitCode, 0);
        const QJsonObject both = QJsonDocument::fromJson(withLost.out).object();
        QCOMPARE(both.value("clients").toArray(), clients);
        QCOMPARE(both.value("answer_lost").toArray().size(), 1);
        const QJsonObject lostEntry = both.value("answer_lost").toArray().first().toObject();
        QCOMPARE(lostEntry.value("status").toString(), QStringLiteral("answer lost"));
        QCOMPARE(lostEntry.value("history_id").toInteger(), lostId);
        QCOMPARE(lostEntry.value("software_id").toString(), QStringLiteral("soft-lost-cli"));
        QCOMPARE(lostEntry.value("failure_class").toString(), QStringLiteral("timeout"));

        // --register-again: said, and sent.
        const auto again = dcrctl(submit(bank.port(), QStringLiteral("lost.json")) +
                                  QStringList{"--register-again"});
        QCOMPARE(again.exitCode, 0);
        QVERIFY2(again.err.contains("see history #" + id) &&
                     again.err.contains("Sending again, as --register-again asks."),
                 again.err.constData());
        QCOMPARE(bank.received(), 3);

        // Answered since: no more warning, and client list no longer shows the lost attempt.
        const auto after = dcrctl(submit(bank.port(), QStringLiteral("lost.json")));
        QCOMPARE(after.exitCode, 0);
        QVERIFY2(!after.err.contains("--register-again") && !after.err.contains("#" + id),
                 after.err.constData());
        QCOMPARE(bank.received(), 4);
        const auto settled = dcrctl({"client", "list"});
        QCOMPARE(settled.exitCode, 0);
        QVERIFY2(!settled.out.contains("history #" + id) && !settled.out.contains("(answer lost)"),
                 settled.out.constData());
        QVERIFY2(settled.out.contains("c-"), settled.out.constData()); // the clients are listed
    }

    // Review of #25.2: a history that cannot be read (a shared server that is away) is no
    // "nothing lost": the send is refused (exit 2, nothing sent), naming the history, unless
    // --register-again, which sends unchecked.
    void anUncheckableHistoryRefusesUnlessRegisterAgain() {
        SilentThenAnsweringBank bank(m_kit.tls());
        bank.answering = true;
        quint16 closedPort = 0;
        {
            QTcpServer probe;
            QVERIFY(probe.listen(QHostAddress::LocalHost, 0));
            closedPort = probe.serverPort();
        }
        const QString away =
            QStringLiteral("postgresql://postgres@127.0.0.1:%1/team?sslmode=disable")
                .arg(closedPort);
        const QStringList history{"--history-db", away};
        const auto refused = dcrctl(submit(bank.port(), QStringLiteral("other.json")) + history);
        QCOMPARE(refused.exitCode, 2);
        QCOMPARE(bank.received(), 0);
        QVERIFY2(refused.err.contains("127.0.0.1:" + QByteArray::number(closedPort)) &&
                     refused.err.contains("--register-again to send unchecked"),
                 refused.err.constData());
        const auto unchecked = dcrctl(submit(bank.port(), QStringLiteral("other.json")) + history +
                                      QStringList{"--register-again"});
        QCOMPARE(unchecked.exitCode, 0);
        QCOMPARE(bank.received(), 1);
    }

    // dcr-console --send never waits on a dialog: after a lost answer it says on stderr that it
    // registers again, naming the row, and sends.
    void consoleSendSaysItRegistersAgain() {
        writeClaims(QStringLiteral("console.json"), QStringLiteral("soft-console-cli"));
        SilentThenAnsweringBank bank(m_kit.tls());
        const auto silent = dcrctl(submit(bank.port(), QStringLiteral("console.json")));
        QCOMPARE(silent.exitCode, 3);
        const QByteArray id = QByteArray::number(historyIdIn(silent.out));
        auto added =
            dcrctl({"profile", "add", "console-lost", "--url",
                    QStringLiteral("https://localhost:%1/register").arg(bank.port()), "--cert",
                    m_kit->path("tpp-transport.pem"), "--key", m_kit->path("tpp-transport-key.pem"),
                    "--cacert", m_kit->path("ca.pem"), "--body", "json"});
        QVERIFY2(added.exitCode == 0, added.err.constData());
        bank.answering = true;
        const auto sent = runWhileServing(
            QStringLiteral(CONSOLE_PATH),
            {"--profile", "console-lost", "--send", path(QStringLiteral("console.json"))},
            m_home.path(), 60000);
        QVERIFY2(sent.exitCode == 0, (sent.out + sent.err).constData());
        QVERIFY2(sent.err.contains("dcr-console: registering again: an earlier registration of "
                                   "software_id soft-console-cli") &&
                     sent.err.contains("see history #" + id),
                 sent.err.constData());
        QCOMPARE(bank.received(), 2);
    }
};

QTEST_MAIN(TestDcrctlLostAnswer)
#include "tst_dcrctl_lost_answer.moc"
