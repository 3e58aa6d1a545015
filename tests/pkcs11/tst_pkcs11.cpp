// Keys in a hardware token through RFC 7512 pkcs11: URIs, against a real SoftHSM2 token made in a
// temporary folder: JWS signing verified by the openssl CLI, the error for every way a token key
// can fail, and the TLS client key handed to Qt as a token-backed handle.
#include "SoftHsmToken.h"
#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Jwk.h"
#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"
#include "transport/Profile.h"
#include "transport/TransportSettings.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

using namespace dcr;
using namespace dcr::test;

// The error text of a failed result, or nothing (QVERIFY2 evaluates its message either way).
template <typename T> QString failure(const Result<T>& r) {
    return r.ok() ? QString() : r.error().toString();
}

class TestPkcs11 : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    SoftHsmToken m_main{QStringLiteral("dcr-main"), "123456"};
    SoftHsmToken m_pinTest{QStringLiteral("dcr-pin"), "246810"};
    // Never logged in to by this process before the tests that need that.
    SoftHsmToken m_noLogin{QStringLiteral("dcr-nologin"), "135790"};
    SoftHsmToken m_state{QStringLiteral("dcr-state"), "975310"};
    QByteArray m_rsaPublicPem, m_ecPublicPem;

    QString p(const QString& name) const { return m_dir.filePath(name); }
    QString module() const { return SoftHsmToken::module(); }

    // The openssl CLI as the independent verifier of a compact JWS made with the token key.
    ProcessResult opensslVerify(const QByteArray& input, const QByteArray& signature,
                                const QByteArray& publicPem, const QStringList& sigopts) {
        writeFile(p("input.txt"), input);
        writeFile(p("sig.bin"), signature);
        writeFile(p("pub.pem"), publicPem);
        QStringList args{"dgst", "-sha256", "-verify", p("pub.pem"), "-signature", p("sig.bin")};
        for (const QString& o : sigopts)
            args << "-sigopt" << o;
        return run(QStringLiteral("openssl"), args << p("input.txt"));
    }

    // JOSE R||S (RFC 7518 3.4) back to the DER ECDSA-Sig-Value the openssl CLI expects.
    static QByteArray rsToDer(const QByteArray& rs) {
        ECDSA_SIG* sig = ECDSA_SIG_new();
        const auto* bytes = reinterpret_cast<const unsigned char*>(rs.constData());
        ECDSA_SIG_set0(sig, BN_bin2bn(bytes, 32, nullptr), BN_bin2bn(bytes + 32, 32, nullptr));
        unsigned char* der = nullptr;
        const int len = i2d_ECDSA_SIG(sig, &der);
        QByteArray out(reinterpret_cast<char*>(der), len);
        OPENSSL_free(der);
        ECDSA_SIG_free(sig);
        return out;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        if (!SoftHsmToken::prepare(m_dir.path(), &why))
            QFAIL(qPrintable(why)); // a missing token stack is a failure, never a skip
        QVERIFY2(m_main.init(&why), qPrintable(why));
        QVERIFY2(m_main.generate("rsa:2048", "01", "rsa-sig", &why), qPrintable(why));
        QVERIFY2(m_main.generate("EC:prime256v1", "02", "ec-sig", &why), qPrintable(why));
        QVERIFY2(m_main.generate("rsa:1024", "03", "weak", &why), qPrintable(why));
        QVERIFY2(m_main.generate("EC:secp384r1", "04", "p384", &why), qPrintable(why));
        QVERIFY2(m_pinTest.init(&why), qPrintable(why));
        QVERIFY2(m_pinTest.generate("rsa:2048", "01", "k", &why), qPrintable(why));
        for (SoftHsmToken* t : {&m_noLogin, &m_state}) {
            QVERIFY2(t->init(&why), qPrintable(why));
            QVERIFY2(t->generate("EC:prime256v1", "01", "k", &why), qPrintable(why));
        }
        m_rsaPublicPem = m_main.publicKeyPem("01", m_dir.path(), &why);
        QVERIFY2(!m_rsaPublicPem.isEmpty(), qPrintable(why));
        m_ecPublicPem = m_main.publicKeyPem("02", m_dir.path(), &why);
        QVERIFY2(!m_ecPublicPem.isEmpty(), qPrintable(why));
        qputenv("DCR_PKCS11_MODULE", module().toUtf8());
    }

    void uriParsing() {
        auto uri = Pkcs11Uri::parse(
            "pkcs11:token=My%20HSM;object=tpp-signing;id=%01%02;type=private?pin-value=9876");
        QVERIFY(uri.ok());
        QCOMPARE(uri->pathValue("token"), QByteArray("My HSM"));
        QCOMPARE(uri->pathValue("id"), QByteArray("\x01\x02"));
        QCOMPARE(uri->pinValue(), QByteArray("9876"));
        // The PIN never shows in what errors and profiles print.
        QCOMPARE(uri->displayString(),
                 QStringLiteral("pkcs11:token=My%20HSM;object=tpp-signing;id=%01%02;type=private"));
        QVERIFY(!uri->engineUri("private").contains("9876"));
        QCOMPARE(withoutPinValue("pkcs11:object=a?pin-value=1&module-path=/m.so"),
                 QStringLiteral("pkcs11:object=a?module-path=/m.so"));
        QCOMPARE(withoutPinValue("/home/me/key.pem"), QStringLiteral("/home/me/key.pem"));

        // A common mistake gets a pointed answer instead of matching nothing.
        auto label = Pkcs11Uri::parse("pkcs11:token=t;label=sig");
        QVERIFY(!label.ok());
        QCOMPARE(label.error().kind, ErrorKind::TokenUriInvalid);
        QVERIFY2(label.error().message.contains("object="), qPrintable(label.error().message));
        auto broken = Pkcs11Uri::parse("pkcs11:object=a%2");
        QVERIFY(!broken.ok());
        QCOMPARE(broken.error().kind, ErrorKind::TokenUriInvalid);
        QVERIFY(!Pkcs11Uri::parse("pkcs11:type=secret").ok());
        // A PIN with a stray '%' is still not shown back.
        auto brokenPin = Pkcs11Uri::parse("pkcs11:object=a?pin-value=12%G4secret");
        QVERIFY(!brokenPin.ok());
        QVERIFY2(brokenPin.error().message.contains("pin-value"),
                 qPrintable(brokenPin.error().message));
        QVERIFY2(!brokenPin.error().message.contains("secret"),
                 qPrintable(brokenPin.error().message));
    }

    void profileNeverStoresThePin() {
        Profile profile;
        profile.signingKeyPath = m_main.uri("rsa-sig") + "?pin-value=123456";
        profile.transportKeyPath = m_main.uri("tls") + "?pin-value=123456";
        profile.pkcs11Module = module();
        const QJsonObject json = profile.toJson();
        QCOMPARE(json.value("signing_key").toString(), m_main.uri("rsa-sig"));
        QCOMPARE(json.value("transport_key").toString(), m_main.uri("tls"));
        QVERIFY(!QJsonDocument(json).toJson().contains("123456"));
        QCOMPARE(Profile::fromJson(json).pkcs11Module, module());
    }

    void signsWithTheTokenKey_data() {
        QTest::addColumn<QString>("object");
        QTest::addColumn<int>("alg");
        QTest::addColumn<QStringList>("sigopts");
        QTest::newRow("PS256") << "rsa-sig" << int(JwsAlgorithm::PS256)
                               << QStringList{"rsa_padding_mode:pss", "rsa_pss_saltlen:32",
                                              "rsa_mgf1_md:sha256"};
        QTest::newRow("RS256") << "rsa-sig" << int(JwsAlgorithm::RS256)
                               << QStringList{"rsa_padding_mode:pkcs1"};
        QTest::newRow("ES256") << "ec-sig" << int(JwsAlgorithm::ES256) << QStringList{};
    }

    void signsWithTheTokenKey() {
        QFETCH(QString, object);
        QFETCH(int, alg);
        QFETCH(QStringList, sigopts);
        auto material = tokenkeys::loadSigningKey(m_main.uri(object), m_main.pin(), {});
        QVERIFY2(material.ok(), qPrintable(failure(material)));
        const Key key = material->privateKey;
        QVERIFY(key.isTokenKey());
        QCOMPARE(material->format, QStringLiteral("PKCS#11"));
        // The private half never leaves the token: there is nothing to export.
        QVERIFY(key.privatePkcs8Pem().isEmpty());
        QVERIFY(key.privateEncryptedPem("x").isEmpty());
        const QByteArray publicPem = object == "ec-sig" ? m_ecPublicPem : m_rsaPublicPem;
        QCOMPARE(key.publicKey().publicPem(), publicPem);

        const QJsonObject claims{{"iss", "tpp"}, {"aud", "aspsp"}, {"jti", "1"}};
        auto jwt =
            JwsSigner::signClaims(claims, key, {JwsAlgorithm(alg), jwk::thumbprint(key), "JWT"});
        QVERIFY2(jwt.ok(), qPrintable(failure(jwt)));
        const QList<QByteArray> parts = jwt->split('.');
        QCOMPARE(parts.size(), 3);
        const QByteArray input = parts[0] + '.' + parts[1];
        QByteArray signature = *base64url::decode(parts[2]);
        if (JwsAlgorithm(alg) == JwsAlgorithm::ES256) {
            QCOMPARE(signature.size(), 64); // JOSE R||S, not DER
            signature = rsToDer(signature);
        } else {
            QCOMPARE(signature.size(), 256);
        }
        const ProcessResult verified = opensslVerify(input, signature, publicPem, sigopts);
        QVERIFY2(verified.exitCode == 0 && verified.out.contains("Verified OK"),
                 verified.out + verified.err);
        // The CLI is a real check: one changed byte of the signed input fails it.
        QByteArray tampered = input;
        tampered[tampered.size() - 1] = tampered.at(tampered.size() - 1) == 'A' ? 'B' : 'A';
        const ProcessResult refused = opensslVerify(tampered, signature, publicPem, sigopts);
        QCOMPARE(refused.exitCode, 1);
        QVERIFY(refused.out.contains("Verification failure"));

        // Our verifier agrees, with the public key pkcs11-tool exported.
        auto pub = keyloader::load(publicPem);
        QVERIFY(pub.ok());
        auto jws = Jws::parse(*jwt);
        QVERIFY(jws.ok());
        QVERIFY(JwsVerifier::verifyWithKey(*jws, pub->publicKey, {JwsAlgorithm(alg)}).ok());
    }

    void ps256SaltIsTheDigestLength() {
        // RFC 7518 3.5: "The size of the salt value is the same size as the hash function
        // output." openssl's strict salt length check refuses any other length.
        auto material = tokenkeys::loadSigningKey(m_main.uri("rsa-sig"), m_main.pin(), {});
        QVERIFY(material.ok());
        auto sig = JwsSigner::rawSignature(JwsAlgorithm::PS256, material->privateKey, "abc");
        QVERIFY(sig.ok());
        QCOMPARE(opensslVerify("abc", *sig, m_rsaPublicPem,
                               {"rsa_padding_mode:pss", "rsa_pss_saltlen:32"})
                     .exitCode,
                 0);
        QCOMPARE(opensslVerify("abc", *sig, m_rsaPublicPem,
                               {"rsa_padding_mode:pss", "rsa_pss_saltlen:20"})
                     .exitCode,
                 1);
    }

    void wrongPinThenRightPin() {
        // Its own token: a login that succeeded earlier would let any PIN through afterwards.
        auto wrong = tokenkeys::loadPrivate(m_pinTest.uri("k"), "000000", module());
        QVERIFY(!wrong.ok());
        QCOMPARE(wrong.error().kind, ErrorKind::KeyWrongPassphrase);
        QVERIFY2(wrong.error().message.contains(m_pinTest.uri("k")),
                 qPrintable(wrong.error().message));
        QVERIFY(!wrong.error().message.contains("000000"));
        auto right = tokenkeys::loadPrivate(m_pinTest.uri("k"), m_pinTest.pin(), module());
        QVERIFY2(right.ok(), qPrintable(failure(right)));
    }

    void pinIsRequiredAndComesFromTheUri() {
        auto none = tokenkeys::loadPrivate(m_noLogin.uri("k"), {}, module());
        QVERIFY(!none.ok());
        QCOMPARE(none.error().kind, ErrorKind::KeyPassphraseRequired);
        QVERIFY(none.error().message.contains(m_noLogin.uri("k")));
        writeFile(p("pin.txt"), "135790\n");
        auto fromFile = tokenkeys::loadPrivate(
            m_noLogin.uri("k") + "?pin-source=file:" + p("pin.txt"), {}, module());
        QVERIFY2(fromFile.ok(), qPrintable(failure(fromFile)));
        auto inUri =
            tokenkeys::loadPrivate(m_main.uri("rsa-sig") + "?pin-value=123456", {}, module());
        QVERIFY2(inUri.ok(), qPrintable(failure(inUri)));
        QCOMPARE(inUri->privateKey.tokenUri(), m_main.uri("rsa-sig")); // the PIN is not kept
        // PKCS#11 logs in per application and token: once logged in, a key of the same token
        // loads without a PIN, and none is asked for.
        auto loggedIn = tokenkeys::loadPrivate(m_noLogin.uri("k"), {}, module());
        QVERIFY2(loggedIn.ok(), qPrintable(failure(loggedIn)));
    }

    void tokenPinStateIsReadWithoutLogin() {
        // SoftHSM2's own C_GetTokenInfo flags (it counts wrong PINs but never locks).
        auto fresh = tokenkeys::pinState(m_state.uri("k"), module());
        QVERIFY2(fresh.ok(), qPrintable(failure(fresh)));
        QCOMPARE(fresh->token, QStringLiteral("dcr-state"));
        QVERIFY(fresh->loginRequired);
        QVERIFY(!fresh->loggedIn);
        QVERIFY(fresh->needsPin());
        QVERIFY(!fresh->locked);
        QVERIFY(!fresh->countLow);
        QVERIFY(fresh->triesText().isEmpty());
        QVERIFY(!tokenkeys::loadPrivate(m_state.uri("k"), "000000", module()).ok());
        auto afterWrong = tokenkeys::pinState(m_state.uri("k"), module());
        QVERIFY(afterWrong.ok());
        QVERIFY(afterWrong->countLow); // CKF_USER_PIN_COUNT_LOW after a wrong PIN
        QVERIFY(!afterWrong->loggedIn);
        QVERIFY2(afterWrong->triesText().contains("CKF_USER_PIN_COUNT_LOW"),
                 qPrintable(afterWrong->triesText()));
        QVERIFY(tokenkeys::loadPrivate(m_state.uri("k"), m_state.pin(), module()).ok());
        auto afterRight = tokenkeys::pinState(m_state.uri("k"), module());
        QVERIFY(afterRight.ok());
        QVERIFY(afterRight->loggedIn);
        QVERIFY(!afterRight->needsPin());
        QVERIFY(!afterRight->countLow);
        // A token that is not there is named, not guessed.
        auto absent = tokenkeys::pinState("pkcs11:token=no-such-token;object=k", module());
        QVERIFY(!absent.ok());
        QCOMPARE(absent.error().kind, ErrorKind::TokenObjectNotFound);
        QVERIFY2(absent.error().message.contains("pkcs11:token=no-such-token"),
                 qPrintable(absent.error().message));
    }

    void missingModule() {
        auto r = tokenkeys::loadPrivate(m_main.uri("rsa-sig"), m_main.pin(), p("no-such.so"));
        QVERIFY(!r.ok());
        QCOMPARE(r.error().kind, ErrorKind::TokenModuleMissing);
        QVERIFY(r.error().message.contains(m_main.uri("rsa-sig")));
        QVERIFY(r.error().message.contains(p("no-such.so")));
        // A second, different module in a process that already uses one is refused with the
        // reason (a module that is not a PKCS#11 library, and a locked token, are exercised in
        // their own dcrctl processes: tst_pkcs11_dcrctl).
        writeFile(p("other-module.so"), "not loaded");
        QVERIFY(tokenkeys::loadPublic(m_main.uri("rsa-sig"), module()).ok());
        auto second =
            tokenkeys::loadPrivate(m_main.uri("rsa-sig"), m_main.pin(), p("other-module.so"));
        QVERIFY(!second.ok());
        QCOMPARE(second.error().kind, ErrorKind::TokenModuleMissing);
        QVERIFY2(second.error().message.contains("p11-kit"), qPrintable(second.error().message));
    }

    void objectNotFound() {
        for (const QString& uri : {m_main.uri("no-such-key"),
                                   QStringLiteral("pkcs11:token=no-such-token;object=rsa-sig")}) {
            auto r = tokenkeys::loadPrivate(uri, m_main.pin(), module());
            QVERIFY(!r.ok());
            QCOMPARE(r.error().kind, ErrorKind::TokenObjectNotFound);
            QVERIFY2(r.error().message.contains(uri), qPrintable(r.error().message));
        }
    }

    void keyTypeUnsuitable() {
        // An RSA token key asked for ES256.
        auto rsa = tokenkeys::loadSigningKey(m_main.uri("rsa-sig"), m_main.pin(), {});
        QVERIFY(rsa.ok());
        auto es = JwsSigner::sign("{}", rsa->privateKey, {JwsAlgorithm::ES256, {}, {}});
        QVERIFY(!es.ok());
        QCOMPARE(es.error().kind, ErrorKind::AlgorithmKeyMismatch);
        QVERIFY2(es.error().message.contains(m_main.uri("rsa-sig")),
                 qPrintable(es.error().message));
        // An RSA key too short to sign, and an EC curve JOSE's ES256 does not use.
        auto weak = tokenkeys::loadSigningKey(m_main.uri("weak"), m_main.pin(), {});
        QVERIFY(!weak.ok());
        QCOMPARE(weak.error().kind, ErrorKind::KeyTooWeak);
        QVERIFY(weak.error().message.contains(m_main.uri("weak")));
        auto p384 = tokenkeys::loadSigningKey(m_main.uri("p384"), m_main.pin(), {});
        QVERIFY(!p384.ok());
        QCOMPARE(p384.error().kind, ErrorKind::KeyUnsupportedType);
        QVERIFY(p384.error().message.contains(m_main.uri("p384")));
    }

    void publicKeyAndJwkWithoutLogin() {
        auto pub = tokenkeys::loadPublic(QStringLiteral("pkcs11:token=dcr-main;object=ec-sig"), {});
        QVERIFY2(pub.ok(), qPrintable(failure(pub)));
        QCOMPARE(pub->publicKey.publicPem(), m_ecPublicPem);
        auto filePub = keyloader::load(m_ecPublicPem);
        QCOMPARE(jwk::thumbprint(pub->publicKey), jwk::thumbprint(filePub->publicKey));
    }

    void qtTakesATokenBackedHandle() {
        auto material = tokenkeys::loadPrivate(m_main.uri("rsa-sig"), m_main.pin(), {});
        QVERIFY(material.ok());
        const QSslKey key(static_cast<Qt::HANDLE>(material->privateKey.newNativeReference()),
                          QSsl::PrivateKey);
        QVERIFY(!key.isNull());
        QCOMPARE(key.algorithm(), QSsl::Rsa);
        QCOMPARE(key.type(), QSsl::PrivateKey);
    }
};

QTEST_GUILESS_MAIN(TestPkcs11)
#include "tst_pkcs11.moc"
