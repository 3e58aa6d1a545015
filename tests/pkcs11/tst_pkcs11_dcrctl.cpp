// dcrctl with keys in a SoftHSM2 token: listing a token, signing through a pkcs11: URI, a
// mutual-TLS registration against dcr-sandbox whose transport key never leaves the token, and every
// token error as exit 2 naming the URI. Each dcrctl run is its own process, as a user's would be.
#include "SoftHsmToken.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/Jws.h"
#include "jose/JwsVerifier.h"
#include "jose/KeyMaterial.h"
#include "sandbox/SandboxKit.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestPkcs11Dcrctl : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    SoftHsmToken m_token{QStringLiteral("dcr-cli"), "112233"};
    std::optional<SandboxKit> m_kit;
    QProcess m_sandbox;
    quint16 m_port = 0;

    QString p(const QString& name) const { return m_dir.filePath(name); }
    QString kit(const QString& name) const { return m_kit->path(name); }

    ProcessResult dcrctl(const QStringList& args, const QString& module = SoftHsmToken::module()) {
        qputenv("DCR_PKCS11_MODULE", module.toUtf8());
        return runWithHome(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }

    ProcessResult openssl(const QStringList& args) { return run(QStringLiteral("openssl"), args); }

    // dcrctl through the test module that counts PIN tries like a smart card, starting from
    // `tries` ("left/max") for the test token; returns the C_Login calls it made in m_logins.
    ProcessResult dcrctlCounted(const QStringList& args, const QByteArray& tries) {
        QFile::remove(p("logins.log"));
        qputenv("DCR_TEST_PIN_TRIES", "dcr-cli=" + tries);
        qputenv("DCR_TEST_PKCS11_LOG", p("logins.log").toUtf8());
        const ProcessResult r = dcrctl(args, QStringLiteral(PIN_COUNTER_MODULE));
        qunsetenv("DCR_TEST_PIN_TRIES");
        qunsetenv("DCR_TEST_PKCS11_LOG");
        QFile log(p("logins.log")); // absent when nothing logged in
        m_logins = log.open(QIODevice::ReadOnly)
                       ? static_cast<int>(log.readAll().count("C_Login dcr-cli "))
                       : 0;
        return r;
    }
    int m_logins = -1;

    // dcrctl must fail with exit 2 and say which key, and why.
    void expectUsageError(const ProcessResult& r, const QString& uri, const QString& why) {
        QVERIFY2(r.exitCode == 2, r.err.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(uri), r.err.constData());
        QVERIFY2(QString::fromUtf8(r.err).contains(why), r.err.constData());
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        if (!SoftHsmToken::prepare(m_dir.path(), &why))
            QFAIL(qPrintable(why)); // a missing token stack is a failure, never a skip
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        QVERIFY2(m_token.init(&why), qPrintable(why));
        // The transport key is born in the token and never leaves it.
        QVERIFY2(m_token.generate("rsa:2048", "10", "transport", &why), qPrintable(why));
        QVERIFY2(m_token.generate("EC:prime256v1", "02", "ec-signing", &why), qPrintable(why));
        // The software's signing key (the one the sandbox directory knows) is imported, as an HSM
        // imports a key it is given.
        QCOMPARE(openssl({"pkey", "-in", kit("tpp-signing-key.pem"), "-outform", "DER", "-out",
                          p("signing.der")})
                     .exitCode,
                 0);
        QCOMPARE(openssl({"pkey", "-in", kit("tpp-signing-key.pem"), "-pubout", "-outform", "DER",
                          "-out", p("signing-pub.der")})
                     .exitCode,
                 0);
        QVERIFY2(
            m_token.importKeyPair(p("signing.der"), p("signing-pub.der"), "01", "signing", &why),
            qPrintable(why));
        QFile::remove(p("signing.der"));
        writeFile(p("pin.txt"), "112233\n");
        writeFile(p("wrong-pin.txt"), "999999\n");

        // A transport certificate for the token key: the CSR is signed by the token through the
        // openssl CLI's pkcs11 engine (same subject as the kit's demo certificate, which the
        // registration's tls_client_auth_subject_dn names), then issued by the kit's CA.
        const ProcessResult csr =
            openssl({"x509", "-x509toreq", "-in", kit("tpp-transport.pem"), "-engine", "pkcs11",
                     "-keyform", "engine", "-key", m_token.uri("transport") + "?pin-value=112233",
                     "-out", p("transport.csr")});
        QVERIFY2(csr.exitCode == 0, csr.err.constData());
        writeFile(p("ext.cnf"), "[v3]\nextendedKeyUsage=clientAuth\nkeyUsage=digitalSignature\n");
        const ProcessResult issued =
            openssl({"x509", "-req", "-in", p("transport.csr"), "-CA", kit("ca.pem"), "-CAkey",
                     kit("ca-key.pem"), "-set_serial", "4242", "-days", "30", "-extfile",
                     p("ext.cnf"), "-extensions", "v3", "-out", p("token-transport.pem")});
        QVERIFY2(issued.exitCode == 0, issued.err.constData());

        m_port = startSandboxProcess(m_sandbox, QStringLiteral(SANDBOX_PATH), p("kit"),
                                     QStringLiteral("seed"));
        QVERIFY(m_port);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti", "aud"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p("claims.json"), QJsonDocument(claims).toJson());
    }

    void keysListsTheToken() {
        const ProcessResult r = dcrctl({"keys", "pkcs11:token=dcr-cli", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        const QJsonArray objects = QJsonDocument::fromJson(r.out).object()["objects"].toArray();
        QHash<QString, QJsonObject> byUri;
        for (const QJsonValue& o : objects)
            byUri.insert(o["uri"].toString(), o.toObject());
        const QString signing = "pkcs11:token=dcr-cli;id=%01;object=signing;type=public";
        QVERIFY2(byUri.contains(signing), r.out.constData());
        // The thumbprint is the RFC 7638 thumbprint of the key the directory knows.
        QCOMPARE(byUri[signing]["thumbprint"].toString(), jwk::thumbprint(m_kit->tppSigningKey()));
        QCOMPARE(byUri[signing]["public_jwk"].toObject()["kid"].toString(),
                 jwk::thumbprint(m_kit->tppSigningKey()));
        QCOMPARE(byUri[signing]["private_key_uri"].toString(),
                 QStringLiteral("pkcs11:token=dcr-cli;id=%01;object=signing;type=private"));
        const QString ec = "pkcs11:token=dcr-cli;id=%02;object=ec-signing;type=public";
        QVERIFY(byUri.contains(ec));
        QCOMPARE(byUri[ec]["key"].toString(), QStringLiteral("EC P-256"));
        QCOMPARE(byUri[ec]["public_jwk"].toObject()["crv"].toString(), QStringLiteral("P-256"));

        // A certificate stored in the token is listed with its subject.
        QCOMPARE(openssl({"x509", "-in", p("token-transport.pem"), "-outform", "DER", "-out",
                          p("token-transport.der")})
                     .exitCode,
                 0);
        QString why;
        QVERIFY2(m_token.writeCertificate(p("token-transport.der"), "10", "transport", &why),
                 qPrintable(why));
        const ProcessResult text = dcrctl({"keys", "pkcs11:token=dcr-cli;object=transport"});
        QVERIFY2(text.exitCode == 0, text.err.constData());
        QVERIFY2(text.out.contains("Certificate: pkcs11:token=dcr-cli;id=%10;object=transport;"
                                   "type=cert"),
                 text.out.constData());
        QVERIFY(text.out.contains(
            "Private key: pkcs11:token=dcr-cli;id=%10;object=transport;type=private"));
        QVERIFY(text.out.contains(m_kit->tppTransportCertificate().subjectDn().toUtf8()));

        expectUsageError(dcrctl({"keys", "pkcs11:token=no-such-token"}),
                         "pkcs11:token=no-such-token", "no key or certificate");
    }

    void signsThroughTheUri_data() {
        QTest::addColumn<QString>("object");
        QTest::addColumn<QString>("alg");
        QTest::newRow("PS256") << "signing"
                               << "PS256";
        QTest::newRow("RS256") << "signing"
                               << "RS256";
        QTest::newRow("ES256") << "ec-signing"
                               << "ES256";
    }

    void signsThroughTheUri() {
        QFETCH(QString, object);
        QFETCH(QString, alg);
        const ProcessResult r =
            dcrctl({"sign", "--claims", p("claims.json"), "--key", m_token.uri(object),
                    "--passphrase-file", p("pin.txt"), "--alg", alg});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        auto jws = Jws::parse(r.out.trimmed());
        QVERIFY(jws.ok());
        QCOMPARE(jws->header()["alg"].toString(), alg);
        QString why;
        auto pub = keyloader::load(
            m_token.publicKeyPem(object == "signing" ? "01" : "02", m_dir.path(), &why));
        QVERIFY2(pub.ok(), qPrintable(why));
        QVERIFY(JwsVerifier::verifyWithKey(*jws, pub->publicKey, {*algorithmFromName(alg)}).ok());
        // dcrctl verify takes the token's public key by URI too (no PIN needed), and refuses a
        // JWS whose payload was changed.
        writeFile(p("signed.jwt"), r.out.trimmed());
        const QString publicUri =
            QStringLiteral("pkcs11:token=dcr-cli;object=%1;type=public").arg(object);
        const ProcessResult verified =
            dcrctl({"verify", "--key", publicUri, "--alg", alg, p("signed.jwt")});
        QVERIFY2(verified.exitCode == 0, verified.out + verified.err);
        QList<QByteArray> parts = r.out.trimmed().split('.');
        parts[1] = parts[1].left(parts[1].size() - 2) + (parts[1].endsWith("AA") ? "BB" : "AA");
        writeFile(p("tampered.jwt"), parts.join('.'));
        QCOMPARE(dcrctl({"verify", "--key", publicUri, "--alg", alg, p("tampered.jwt")}).exitCode,
                 1);
    }

    void mutualTlsRegistrationWithTheTokenKey() {
        const QString url =
            QStringLiteral("https://localhost:%1/api/open-banking/v3.1/tpp/register").arg(m_port);
        // The PIN in a URI given to profile add is used, never saved.
        ProcessResult r =
            dcrctl({"profile", "add", "token", "--url", url, "--cert", p("token-transport.pem"),
                    "--key", m_token.uri("transport") + "?pin-value=112233", "--cacert",
                    kit("ca.pem"), "--signing-key", m_token.uri("signing"), "--aud", m_kit->aud(),
                    "--pkcs11-module", SoftHsmToken::module()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        r = dcrctl({"profile", "show", "token", "--json"});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(!r.out.contains("112233"));
        const QJsonObject profile = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(profile["transport_key"].toString(), m_token.uri("transport"));
        QCOMPARE(profile["pkcs11_module"].toString(), SoftHsmToken::module());

        // The module comes from the profile: DCR_PKCS11_MODULE points nowhere here.
        r = dcrctl({"submit", "--profile", "token", "--claims", p("claims.json"), "--json",
                    "--passphrase-file", p("pin.txt"), "--signing-passphrase-file", p("pin.txt")},
                   p("unset.so"));
        QVERIFY2(r.exitCode == 0, r.out + r.err);
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        // The sandbox verifies the peer against the kit CA and answers its registration path
        // only to a verified client (401 otherwise): 200, the seed's success, means the
        // handshake was signed by the token key and the certificate verified.
        QCOMPARE(out["exchange"].toObject()["response"].toObject()["status"].toInt(), 200);
        QCOMPARE(out["outcome"].toObject()["outcome"].toString(), QStringLiteral("accepted"));

        // The same certificate with a key that is not its own is refused before any connection.
        r = dcrctl({"submit", "--url", url, "--cert", p("token-transport.pem"), "--key",
                    m_token.uri("signing"), "--passphrase-file", p("pin.txt"), "--cacert",
                    kit("ca.pem"), "--signing-key", m_token.uri("signing"),
                    "--signing-passphrase-file", p("pin.txt"), "--claims", p("claims.json")});
        QVERIFY2(r.exitCode == 2, r.err.constData());
        QVERIFY2(r.err.contains("does not belong to the certificate"), r.err.constData());
    }

    void mutualTlsWithAnEcTokenKey() {
        // Qt takes the EC key's handle the same way: an EC P-256 transport key in the token.
        QString why;
        QVERIFY2(m_token.generate("EC:prime256v1", "11", "ec-transport", &why), qPrintable(why));
        const ProcessResult csr = openssl({"x509", "-x509toreq", "-in", kit("tpp-transport.pem"),
                                           "-engine", "pkcs11", "-keyform", "engine", "-key",
                                           m_token.uri("ec-transport") + "?pin-value=112233",
                                           "-out", p("ec-transport.csr")});
        QVERIFY2(csr.exitCode == 0, csr.err.constData());
        const ProcessResult issued =
            openssl({"x509", "-req", "-in", p("ec-transport.csr"), "-CA", kit("ca.pem"), "-CAkey",
                     kit("ca-key.pem"), "-set_serial", "4343", "-days", "30", "-extfile",
                     p("ext.cnf"), "-extensions", "v3", "-out", p("ec-transport.pem")});
        QVERIFY2(issued.exitCode == 0, issued.err.constData());
        // No profile here: the aud it would add goes into the claims.
        QJsonObject claims = QJsonDocument::fromJson(readFile(p("claims.json"))).object();
        claims["aud"] = m_kit->aud();
        writeFile(p("claims-aud.json"), QJsonDocument(claims).toJson());
        const ProcessResult r = dcrctl(
            {"submit", "--url",
             QStringLiteral("https://localhost:%1/api/open-banking/v3.1/tpp/register").arg(m_port),
             "--cert", p("ec-transport.pem"), "--key", m_token.uri("ec-transport"),
             "--passphrase-file", p("pin.txt"), "--cacert", kit("ca.pem"), "--signing-key",
             m_token.uri("signing"), "--signing-passphrase-file", p("pin.txt"), "--claims",
             p("claims-aud.json"), "--json", "--no-history"});
        QVERIFY2(r.exitCode == 0, r.out + r.err);
        const QJsonObject out = QJsonDocument::fromJson(r.out).object();
        QCOMPARE(out["exchange"].toObject()["response"].toObject()["status"].toInt(), 200);
    }

    void errorsNameTheUriAndExit2() {
        const QString key = m_token.uri("signing");
        const QStringList sign{"sign", "--claims", p("claims.json"), "--key"};
        expectUsageError(dcrctl(sign + QStringList{key, "--passphrase-file", p("wrong-pin.txt")}),
                         key, "refused the PIN");
        expectUsageError(dcrctl(sign + QStringList{key}), key, "PIN is required");
        expectUsageError(
            dcrctlCounted(sign + QStringList{key, "--passphrase-file", p("pin.txt")}, "0/3"), key,
            "the token's user PIN is locked");
        expectUsageError(
            dcrctl(sign + QStringList{key, "--passphrase-file", p("pin.txt")}, p("missing.so")),
            key, "does not exist");
        writeFile(p("not-a-module.so"), "text, not a shared library");
        expectUsageError(dcrctl(sign + QStringList{key, "--passphrase-file", p("pin.txt")},
                                p("not-a-module.so")),
                         key, "is not a PKCS#11 module");
        const QString missing = m_token.uri("no-such-key");
        expectUsageError(dcrctl(sign + QStringList{missing, "--passphrase-file", p("pin.txt")}),
                         missing, "no private key matches");
        expectUsageError(
            dcrctl(sign + QStringList{key, "--passphrase-file", p("pin.txt"), "--alg", "ES256"}),
            key, "ES256 needs an EC P-256 key");
        // The same errors from submit (the signing key of a registration).
        expectUsageError(dcrctl({"submit", "--profile", "token", "--claims", p("claims.json"),
                                 "--passphrase-file", p("pin.txt"), "--signing-passphrase-file",
                                 p("wrong-pin.txt")}),
                         key, "refused the PIN");
    }

    void pinTriesAreNeverBurnt() {
        const QString key = m_token.uri("signing");
        const QStringList sign{"sign",  "--claims", p("claims.json"),
                               "--key", key,        "--passphrase-file"};
        // A wrong PIN file: one login, never a retry, exit 2 naming the key.
        ProcessResult r = dcrctlCounted(sign + QStringList{p("wrong-pin.txt")}, "3/3");
        expectUsageError(r, key, "refused the PIN");
        QCOMPARE(m_logins, 1);
        // A locked token is not sent the PIN at all.
        r = dcrctlCounted(sign + QStringList{p("pin.txt")}, "0/3");
        expectUsageError(r, key, "no PIN was tried");
        QVERIFY2(r.err.contains("CKF_USER_PIN_LOCKED"), r.err.constData());
        QCOMPARE(m_logins, 0);
        // The final try is not spent from a file unless asked for.
        r = dcrctlCounted(sign + QStringList{p("pin.txt")}, "1/3");
        expectUsageError(r, key, "locks after one more wrong PIN");
        QVERIFY2(r.err.contains("--pin-final-try"), r.err.constData());
        QCOMPARE(m_logins, 0);
        r = dcrctlCounted(sign + QStringList{p("pin.txt"), "--pin-final-try"}, "1/3");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("The token locks after one more wrong PIN"), r.err.constData());
        QCOMPARE(m_logins, 1);
        // A wrong PIN entered earlier is reported, and the right one still works.
        r = dcrctlCounted(sign + QStringList{p("pin.txt")}, "2/3");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY2(r.err.contains("A wrong PIN was entered recently"), r.err.constData());
        QCOMPARE(m_logins, 1);
        // A registration whose signing and transport keys share the token: one PIN, one login;
        // a wrong one is tried once, for the first key, and the command stops there.
        const QStringList submit{"submit",
                                 "--profile",
                                 "token",
                                 "--claims",
                                 p("claims.json"),
                                 "--no-history",
                                 "--pkcs11-module",
                                 QStringLiteral(PIN_COUNTER_MODULE),
                                 "--signing-passphrase-file"};
        r = dcrctlCounted(submit + QStringList{p("pin.txt")}, "3/3");
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QCOMPARE(m_logins, 1);
        r = dcrctlCounted(submit + QStringList{p("wrong-pin.txt")}, "3/3");
        expectUsageError(r, key, "refused the PIN");
        QCOMPARE(m_logins, 1);
    }

    void cleanupTestCase() {
        m_sandbox.terminate();
        if (!m_sandbox.waitForFinished(3000))
            m_sandbox.kill();
    }
};

QTEST_GUILESS_MAIN(TestPkcs11Dcrctl)
#include "tst_pkcs11_dcrctl.moc"
