#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Jwk.h"
#include "jose/JwkSet.h"
#include "jose/KeyMaterial.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestJwk : public QObject {
    Q_OBJECT
private slots:
    void rfc7517_appendixA1_publicKeys() {
        auto set = JwkSet::parse(readData(QStringLiteral("rfc/rfc7517-a1-public.jwks.json")));
        QVERIFY2(set.ok(), qPrintable(set.ok() ? QString() : set.error().message));
        QCOMPARE(set->entries().size(), 2);
        QCOMPARE(set->entries().at(0).key.type(), KeyType::EcP256);
        QCOMPARE(set->entries().at(0).use, QStringLiteral("enc"));
        QCOMPARE(set->entries().at(1).key.type(), KeyType::Rsa);
        QCOMPARE(set->entries().at(1).key.bits(), 2048);
        QCOMPARE(set->entries().at(1).kid, QStringLiteral("2011-04-29"));
        QVERIFY(set->warnings().isEmpty());
    }

    void rfc7638_thumbprint() {
        auto set = JwkSet::parse(readData(QStringLiteral("rfc/rfc7517-a1-public.jwks.json")));
        QCOMPARE(jwk::thumbprint(set->entries().at(1).key),
                 QStringLiteral("NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"));
    }

    void ecThumbprintUsesCanonicalMembers() {
        auto key = Key::generateEcP256();
        const QJsonObject pub = jwk::fromPublicKey(*key);
        const QByteArray canonical = "{\"crv\":\"P-256\",\"kty\":\"EC\",\"x\":\"" +
                                     pub[QStringLiteral("x")].toString().toLatin1() +
                                     "\",\"y\":\"" +
                                     pub[QStringLiteral("y")].toString().toLatin1() + "\"}";
        QCOMPARE(jwk::thumbprint(*key),
                 QString::fromLatin1(base64url::encode(
                     QCryptographicHash::hash(canonical, QCryptographicHash::Sha256))));
    }

    void rfc7517_appendixB_x5c() {
        auto material = keyloader::load(readData(QStringLiteral("rfc/rfc7517-b-x5c.jwk.json")));
        QVERIFY2(material.ok(), qPrintable(material.ok() ? QString() : material.error().message));
        QCOMPARE(material->format, QStringLiteral("JWK"));
        QCOMPARE(material->certificates.size(), 1);
        QCOMPARE(material->certificates.first().subjectDn(),
                 QStringLiteral("CN=Brian Campbell,O=Ping Identity Corp.,L=Denver,ST=CO,C=US"));
        QVERIFY(material->certificates.first().publicKey().samePublicKey(material->publicKey));
    }

    void privateJwkRoundTripsThroughPublic() {
        auto key = jwk::toKey(
            QJsonDocument::fromJson(readData(QStringLiteral("rfc/rfc7515-a2-rsa-private.jwk.json")))
                .object());
        QVERIFY(key.ok());
        QVERIFY(key->hasPrivate());
        auto pub = jwk::toKey(jwk::fromPublicKey(*key));
        QVERIFY(pub.ok());
        QVERIFY(!pub->hasPrivate());
        QVERIFY(pub->samePublicKey(*key));
    }

    void unknownKtySkippedWithWarning_duplicateKidReported() {
        auto ec = Key::generateEcP256();
        QJsonObject a = jwk::fromPublicKey(*ec);
        a.insert(QStringLiteral("kid"), QStringLiteral("dup"));
        const QJsonArray keys{
            a, a,
            QJsonObject{{QStringLiteral("kty"), QStringLiteral("OKP")},
                        {QStringLiteral("crv"), QStringLiteral("Ed25519")},
                        {QStringLiteral("x"),
                         QStringLiteral("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo")}}};
        auto set =
            JwkSet::parse(QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}}).toJson());
        QVERIFY(set.ok());
        QCOMPARE(set->entries().size(), 2);
        QCOMPARE(set->warnings().size(), 2);
        QVERIFY(set->warnings().join(u'\n').contains(QStringLiteral("duplicate kid \"dup\"")));
        QVERIFY(set->warnings().join(u'\n').contains(QStringLiteral("OKP")));
        QCOMPARE(set->select(QStringLiteral("dup")).error().kind, ErrorKind::JwksAmbiguous);
    }

    void invalidJwks() {
        QCOMPARE(JwkSet::parse("[]").error().kind, ErrorKind::JwksInvalid);
        QCOMPARE(JwkSet::parse("{\"keys\":5}").error().kind, ErrorKind::JwksInvalid);
        QCOMPARE(JwkSet::parse("{").error().kind, ErrorKind::JwksInvalid);
        QCOMPARE(jwk::toKey(QJsonObject{{QStringLiteral("kty"), QStringLiteral("EC")},
                                        {QStringLiteral("crv"), QStringLiteral("P-256")},
                                        {QStringLiteral("x"), QStringLiteral("AAAA")},
                                        {QStringLiteral("y"), QStringLiteral("AAAA")}})
                     .error()
                     .kind,
                 ErrorKind::JwkInvalid);
        // A point not on the curve is refused.
        QJsonObject offCurve = jwk::fromPublicKey(*Key::generateEcP256());
        offCurve.insert(QStringLiteral("y"),
                        QString::fromLatin1(base64url::encode(QByteArray(32, '\x01'))));
        QCOMPARE(jwk::toKey(offCurve).error().kind, ErrorKind::JwkInvalid);
    }
};

QTEST_APPLESS_MAIN(TestJwk)
#include "tst_jwk.moc"
