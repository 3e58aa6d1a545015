#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Jwk.h"
#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;
using dcr::test::readData;

namespace {

QByteArray seg(const char* json) {
    return base64url::encode(QByteArray(json));
}

Key jwkKey(const QString& file) {
    auto obj = QJsonDocument::fromJson(readData(file)).object();
    auto key = jwk::toKey(obj);
    if (!key)
        qFatal("%s", qPrintable(key.error().message));
    return *key;
}

QJsonObject withKid(const Key& key, const QString& kid) {
    QJsonObject o = jwk::fromPublicKey(key);
    o.insert(QStringLiteral("kid"), kid);
    return o;
}

const QByteArray rfcPayload =
    "{\"iss\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}";

} // namespace

class TestJws : public QObject {
    Q_OBJECT
private slots:
    void rfc7515_a2_rs256_reproducedByteForByte() {
        const Key key = jwkKey(QStringLiteral("rfc/rfc7515-a2-rsa-private.jwk.json"));
        auto token =
            JwsSigner::signWithHeader("{\"alg\":\"RS256\"}", rfcPayload, key, JwsAlgorithm::RS256);
        QVERIFY2(token.ok(), qPrintable(token.ok() ? QString() : token.error().message));
        QCOMPARE(*token, readData(QStringLiteral("rfc/rfc7515-a2.jws")));

        auto jws = Jws::parse(*token);
        QVERIFY(jws.ok());
        QCOMPARE(jws->payload(), rfcPayload);
        QVERIFY(JwsVerifier::verifyWithKey(*jws, key.publicKey(), {JwsAlgorithm::RS256}).ok());
    }

    void rfc7515_a3_es256_verifies() {
        const Key key = jwkKey(QStringLiteral("rfc/rfc7515-a3-ec-private.jwk.json"));
        auto jws = Jws::parse(readData(QStringLiteral("rfc/rfc7515-a3.jws")));
        QVERIFY(jws.ok());
        QCOMPARE(jws->algorithm(), JwsAlgorithm::ES256);
        auto ok = JwsVerifier::verifyWithKey(*jws, key.publicKey(), {JwsAlgorithm::ES256});
        QVERIFY2(ok.ok(), qPrintable(ok.ok() ? QString() : ok.error().message));

        // Our own ES256 signature over the same input verifies too, and is 64 bytes R||S.
        auto mine =
            JwsSigner::signWithHeader("{\"alg\":\"ES256\"}", rfcPayload, key, JwsAlgorithm::ES256);
        QVERIFY(mine.ok());
        auto mineJws = Jws::parse(*mine);
        QCOMPARE(mineJws->signature().size(), 64);
        QVERIFY(JwsVerifier::verifyWithKey(*mineJws, key, {JwsAlgorithm::ES256}).ok());
    }

    void rfc7515_a1_hs256_verifiesWithSecret() {
        const QByteArray token = "eyJ0eXAiOiJKV1QiLA0KICJhbGciOiJIUzI1NiJ9."
                                 "eyJpc3MiOiJqb2UiLA0KICJleHAiOjEzMDA4MTkzODAsDQogImh0dHA6Ly9leGFtc"
                                 "GxlLmNvbS9pc19yb290Ijp0cnVlfQ."
                                 "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        const auto secret = base64url::decode("AyM1SysPpbyDfgZld3umj1qzKObwVMkoqQ-EstJQLr_T-"
                                              "1qS0gZH75aKtMN3Yj0iPS4hcgUuTwjAzZr1Z9CAow");
        auto jws = Jws::parse(token);
        QVERIFY(jws.ok());
        QVERIFY(JwsVerifier::verifyWithSecret(*jws, *secret, {JwsAlgorithm::HS256}).ok());
        auto wrong = JwsVerifier::verifyWithSecret(*jws, QByteArray("not the secret"),
                                                   {JwsAlgorithm::HS256});
        QCOMPARE(wrong.error().kind, ErrorKind::SignatureInvalid);
        // The caller decides which algorithms are acceptable.
        auto notAllowed = JwsVerifier::verifyWithSecret(*jws, *secret, {JwsAlgorithm::PS256});
        QCOMPARE(notAllowed.error().kind, ErrorKind::AlgorithmNotAllowed);
    }

    void signAndVerify_allAlgorithms() {
        auto rsa = Key::generateRsa(2048);
        auto ec = Key::generateEcP256();
        QVERIFY(rsa.ok() && ec.ok());
        const QJsonObject claims{{QStringLiteral("iss"), QStringLiteral("tpp")}};
        for (auto [alg, key] :
             {std::pair{JwsAlgorithm::PS256, *rsa}, std::pair{JwsAlgorithm::RS256, *rsa},
              std::pair{JwsAlgorithm::ES256, *ec}}) {
            const QString kid = jwk::thumbprint(key);
            auto token = JwsSigner::signClaims(claims, key, {alg, kid, QStringLiteral("JWT")});
            QVERIFY(token.ok());
            auto jws = Jws::parse(*token);
            QVERIFY(jws.ok());
            QCOMPARE(jws->kid(), kid);
            QCOMPARE(jws->header().value(QStringLiteral("typ")).toString(), QStringLiteral("JWT"));
            QCOMPARE(jws->claims(), claims);
            QVERIFY(JwsVerifier::verifyWithKey(*jws, key.publicKey(), {alg}).ok());
            auto jwks = JwkSet::single(key, kid);
            QVERIFY(JwsVerifier::verifyWithJwks(*jws, jwks, {alg}).ok());
            // A flipped payload byte breaks the signature.
            QByteArray tampered = *token;
            const qsizetype dot = tampered.indexOf('.');
            tampered[dot + 3] = tampered[dot + 3] == 'A' ? 'B' : 'A';
            auto bad = Jws::parse(tampered, {.requireJsonClaims = false});
            QVERIFY(bad.ok());
            QCOMPARE(JwsVerifier::verifyWithKey(*bad, key, {alg}).error().kind,
                     ErrorKind::SignatureInvalid);
        }
    }

    void algorithmConfusionRefused() {
        // An attacker signs HS256 with the RSA public key's PEM as the secret.
        auto rsa = Key::generateRsa(2048);
        const QByteArray pem = rsa->publicPem();
        auto token = JwsSigner::signHmac("{\"iss\":\"x\"}", pem);
        QVERIFY(token.ok());
        auto jws = Jws::parse(*token);
        QVERIFY(jws.ok());
        auto res = JwsVerifier::verifyWithKey(*jws, rsa->publicKey(),
                                              {JwsAlgorithm::HS256, JwsAlgorithm::PS256});
        QCOMPARE(res.error().kind, ErrorKind::AlgorithmKeyMismatch);
        // And an ES256 token cannot be checked against an RSA key.
        auto ec = Key::generateEcP256();
        auto es = JwsSigner::signClaims({}, *ec, {JwsAlgorithm::ES256, {}, {}});
        QCOMPARE(
            JwsVerifier::verifyWithKey(*Jws::parse(*es), *rsa, {JwsAlgorithm::ES256}).error().kind,
            ErrorKind::AlgorithmKeyMismatch);
    }

    void parseErrors_data() {
        QTest::addColumn<QByteArray>("token");
        QTest::addColumn<int>("kind");
        const QByteArray claims = seg("{\"a\":1}");
        QTest::newRow("two segments")
            << (seg("{\"alg\":\"PS256\"}") + '.' + claims) << int(ErrorKind::JwsMalformed);
        QTest::newRow("five segments (JWE)")
            << QByteArray("a.b.c.d.e") << int(ErrorKind::JwsMalformed);
        QTest::newRow("bad base64 in payload")
            << (seg("{\"alg\":\"PS256\"}") + ".ab=d.sig") << int(ErrorKind::JwsSegmentEncoding);
        QTest::newRow("header array")
            << (seg("[1]") + '.' + claims + ".c2ln") << int(ErrorKind::JwsHeaderNotObject);
        QTest::newRow("header not json")
            << (seg("alg") + '.' + claims + ".c2ln") << int(ErrorKind::JwsHeaderNotObject);
        QTest::newRow("alg missing")
            << (seg("{\"kid\":\"1\"}") + '.' + claims + ".c2ln") << int(ErrorKind::JwsAlgMissing);
        QTest::newRow("alg none") << (seg("{\"alg\":\"none\"}") + '.' + claims + '.')
                                  << int(ErrorKind::JwsAlgNone);
        QTest::newRow("alg NONE") << (seg("{\"alg\":\"NONE\"}") + '.' + claims + '.')
                                  << int(ErrorKind::JwsAlgNone);
        QTest::newRow("alg unknown") << (seg("{\"alg\":\"RS512\"}") + '.' + claims + ".c2ln")
                                     << int(ErrorKind::JwsAlgUnsupported);
        QTest::newRow("crit") << (seg("{\"alg\":\"PS256\",\"crit\":[\"exp\"],\"exp\":1}") + '.' +
                                  claims + ".c2ln")
                              << int(ErrorKind::JwsCritUnsupported);
        QTest::newRow("payload not json")
            << (seg("{\"alg\":\"PS256\"}") + '.' + seg("hello") + ".c2ln")
            << int(ErrorKind::JwsPayloadNotJson);
        QTest::newRow("too large")
            << QByteArray(1024 * 1024 + 1, 'a') << int(ErrorKind::JwsTooLarge);
        QTest::newRow("empty") << QByteArray("  \n") << int(ErrorKind::InputEmpty);
    }
    void parseErrors() {
        QFETCH(QByteArray, token);
        QFETCH(int, kind);
        auto jws = Jws::parse(token);
        QVERIFY(!jws.ok());
        QCOMPARE(errorKindName(jws.error().kind), errorKindName(ErrorKind(kind)));
        QVERIFY(!jws.error().message.isEmpty());
    }

    void segmentErrorNamesSegmentAndPosition() {
        auto jws = Jws::parse(seg("{\"alg\":\"PS256\"}") + '.' + seg("{}") + ".ab+c");
        QVERIFY(!jws.ok());
        QVERIFY2(jws.error().message.contains(QStringLiteral("signature segment")),
                 qPrintable(jws.error().message));
        QVERIFY2(jws.error().message.contains(QStringLiteral("position 2")),
                 qPrintable(jws.error().message));
    }

    void trailingNewlineTolerated() {
        auto jws = Jws::parse(readData(QStringLiteral("rfc/rfc7515-a3.jws")) + "\n");
        QVERIFY(jws.ok());
    }

    void weakRsaKeyRefusedForSigning() {
        auto weak = Key::generateRsa(1024);
        QVERIFY(weak.ok());
        auto token = JwsSigner::signClaims({}, *weak, {});
        QCOMPARE(token.error().kind, ErrorKind::KeyTooWeak);
        auto publicOnly = JwsSigner::signClaims({}, Key::generateRsa(2048)->publicKey(), {});
        QCOMPARE(publicOnly.error().kind, ErrorKind::KeyWrongFileType);
    }

    void jwksSelection() {
        auto a = Key::generateEcP256();
        auto b = Key::generateEcP256();
        auto token = JwsSigner::signClaims({}, *b, {JwsAlgorithm::ES256, QStringLiteral("b"), {}});
        auto jws = Jws::parse(*token);
        const QByteArray json =
            QJsonDocument(
                QJsonObject{{QStringLiteral("keys"), QJsonArray{withKid(*a, QStringLiteral("a")),
                                                                withKid(*b, QStringLiteral("b"))}}})
                .toJson();
        auto set = JwkSet::parse(json);
        QVERIFY(set.ok());
        auto entry = JwsVerifier::verifyWithJwks(*jws, *set, {JwsAlgorithm::ES256});
        QVERIFY(entry.ok());
        QCOMPARE(entry->kid, QStringLiteral("b"));
        auto other =
            JwsSigner::signClaims({}, *b, {JwsAlgorithm::ES256, QStringLiteral("zzz"), {}});
        QCOMPARE(JwsVerifier::verifyWithJwks(*Jws::parse(*other), *set, {JwsAlgorithm::ES256})
                     .error()
                     .kind,
                 ErrorKind::JwksKidNotFound);
        auto noKid = JwsSigner::signClaims({}, *b, {JwsAlgorithm::ES256, {}, {}});
        QCOMPARE(JwsVerifier::verifyWithJwks(*Jws::parse(*noKid), *set, {JwsAlgorithm::ES256})
                     .error()
                     .kind,
                 ErrorKind::JwksAmbiguous);
        // A single-key JWKS without kid works for a token without kid.
        QVERIFY(JwsVerifier::verifyWithJwks(*Jws::parse(*noKid), JwkSet::single(*b),
                                            {JwsAlgorithm::ES256})
                    .ok());
    }
};

QTEST_APPLESS_MAIN(TestJws)
#include "tst_jws.moc"
