// #21.17 through dcrctl (a child process): a bank offering only the TLS 1.2 suite AES128-SHA (no
// forward secrecy), served by a QSslServer in this process. On a profile of a FAPI spec the
// request is refused before a byte of it leaves, with an error naming the suite and the rule;
// on a seed profile it is sent, and the warning is printed on stderr and kept in the history.
//
// FAPI 1.0 Advanced (Part 2) §8.5: "For TLS versions below 1.3, only the following 4 cipher
// suites shall be permitted: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
// TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
// TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384".
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlTls : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    std::unique_ptr<ScriptedServer> m_bank;

    QString p(const QString& n) const { return m_dir.filePath(n); }

    // Runs dcrctl with its own folders, keeping this event loop turning so that the in-process
    // server answers meanwhile.
    ProcessResult dcrctl(const QStringList& args) {
        return runWhileServing(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }

    void addProfile(const QString& name, const QString& spec) {
        const auto r =
            dcrctl({"profile", "add", name, "--url",
                    QStringLiteral("https://127.0.0.1:%1/register").arg(m_bank->port()), "--spec",
                    spec, "--cert", m_kit->path(QStringLiteral("tpp-transport.pem")), "--key",
                    m_kit->path(QStringLiteral("tpp-transport-key.pem")), "--cacert",
                    m_kit->path(QStringLiteral("ca.pem"))});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(p(QStringLiteral("kit")));
        QVERIFY2(kit.ok(), qPrintable(kit.ok() ? QString() : kit.error().message));
        m_kit = *kit;
        QSslConfiguration tls = ScriptedBankKit::serverTls(*m_kit);
        tls.setProtocol(QSsl::TlsV1_2);
        tls.setCiphers(QStringLiteral("AES128-SHA"));
        m_bank = std::make_unique<ScriptedServer>(ScriptedServer::Behaviour::Ok, &tls);
        // Any compact JWS will do: the bank answers 200 to whatever arrives.
        writeFile(p(QStringLiteral("request.jwt")), "eyJhbGciOiJQUzI1NiJ9.eyJhIjoxfQ.c2ln");
    }

    void fapiProfileRefusesTheSuite_item17() {
        addProfile(QStringLiteral("fapi"), QStringLiteral("obie-3.3"));
        const auto r = dcrctl({"submit", "--profile", "fapi", "--token", p("request.jwt")});
        QVERIFY2(r.exitCode == 3, (r.out + r.err).constData()); // a transport failure
        for (const char* words : {"FAILED (tls)", "AES128-SHA", "TLS_RSA_WITH_AES_128_CBC_SHA",
                                  "FAPI 1.0 Advanced §8.5", "nothing was sent"})
            QVERIFY2(r.out.contains(words), r.out.constData());
        QVERIFY(m_bank->receivedRequests().isEmpty());
    }

    void seedProfileSendsAndWarns_item17() {
        addProfile(QStringLiteral("seed"), QStringLiteral("seed"));
        const auto r =
            dcrctl({"submit", "--profile", "seed", "--token", p("request.jwt"), "--json"});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.err.contains("warning: the TLS 1.2 suite AES128-SHA "
                                "(TLS_RSA_WITH_AES_128_CBC_SHA) has no forward secrecy"),
                 r.err.constData());
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        const QJsonObject tls = out.value("exchange").toObject().value("tls").toObject();
        QVERIFY2(tls.value("warning").toString().contains("no forward secrecy"), r.out.constData());
        QCOMPARE(m_bank->receivedRequests().size(), 1);
        // Kept with the exchange in the history.
        const auto shown =
            dcrctl({"history", "show", QString::number(out.value("history_id").toInteger())});
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.out.contains("WARNING: the TLS 1.2 suite AES128-SHA") &&
                     shown.out.contains("no forward secrecy"),
                 shown.out.constData());
    }
};

QTEST_GUILESS_MAIN(TestDcrctlTls)
#include "tst_dcrctl_tls.moc"
