#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/JwsVerifier.h"
#include "registration/RegistrationRequest.h"
#include "registration/SoftwareStatement.h"
#include "registration/SsaClaims.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QTest>

using namespace dcr;

class TestRegistration : public QObject {
    Q_OBJECT
private slots:
    void seedSoftwareStatementDecodes() {
        auto request = RegistrationRequest::fromJwt(
            test::readExample(QStringLiteral("seed-example-request.jwt")));
        QVERIFY(request.ok());
        QCOMPARE(request->iss(), QStringLiteral("beKuxC1RniVsTeLYwfpgNP"));
        QCOMPARE(request->redirectUris(),
                 QStringList({"https://redirect.here", "http://and.here"}));
        auto ssa = SoftwareStatement::decode(request->softwareStatement().toLatin1());
        QVERIFY(ssa.ok());
        QCOMPARE(ssa->jws().algorithm(), JwsAlgorithm::HS256);
        QCOMPARE(ssa->header().value("kid").toString(), QStringLiteral("ABCD1234"));
        QCOMPARE(ssa->iss(), QStringLiteral("OpenBanking Ltd"));
        QCOMPARE(ssa->softwareId(), QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f"));
        QCOMPARE(ssa->softwareClientId(), QStringLiteral("OpenBanking TPP Client Unique ID"));
        QCOMPARE(ssa->clientName(), QStringLiteral("Amazon Prime Movies"));
        QCOMPARE(ssa->version(), QStringLiteral("2.2"));
        QCOMPARE(ssa->environment(), QStringLiteral("production"));
        QCOMPARE(ssa->mode(), QStringLiteral("live"));
        QCOMPARE(ssa->roles(), QStringList({"PISP", "AISP"}));
        QCOMPARE(ssa->redirectUris(),
                 QStringList({"https://prime.amazon.com/cb", "https://prime.amazon.co.uk/cb"}));
        const auto cac = ssa->competentAuthorityClaims();
        QCOMPARE(cac.size(), 1);
        QCOMPARE(cac.first().authorityId, QStringLiteral("FMA"));
        QCOMPARE(cac.first().authorisations.size(), 2);
        QCOMPARE(cac.first().authorisations.at(1).memberState, QStringLiteral("ROI"));
        QCOMPARE(ssa->orgContacts().size(), 2);
        QCOMPARE(ssa->orgContacts().at(1).type, QStringLiteral("technical"));
        QCOMPARE(ssa->orgStatus(), QStringLiteral("Active"));
        QCOMPARE(ssa->softwareJwksEndpoint(),
                 QStringLiteral("https://jwks.openbanking.org.uk/org_id/software_id.jkws"));
        QCOMPARE(ssa->onBehalfOf(),
                 QStringLiteral(
                     "https://api.openbanking.org.uk/scim2/OBTrustedPaymentParty/1234567789"));
        QCOMPARE(ssa->issuedAt()->toSecsSinceEpoch(), 1492756331);
        QCOMPARE(ssa->unknownClaims(), QStringList());
    }

    void unknownClaimsAreKeptThroughSigning() {
        RegistrationRequest r;
        r.setString("iss", "abc");
        r.claims().insert("x_bank_extension", QJsonObject{{"nested", true}});
        r.fillTimesAndJti(QDateTime::fromSecsSinceEpoch(1000, Qt::UTC), 300);
        QCOMPARE(*r.integer("iat"), 1000);
        QCOMPARE(*r.integer("exp"), 1300);
        QVERIFY(QRegularExpression(
                    "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
                    .match(r.string("jti"))
                    .hasMatch());
        QCOMPARE(r.unknownClaims(), QStringList({"x_bank_extension"}));

        auto key = Key::generateRsa(2048);
        auto jwt = r.sign(*key, {JwsAlgorithm::PS256, jwk::thumbprint(*key), {}});
        QVERIFY(jwt.ok());
        auto back = RegistrationRequest::fromJwt(*jwt);
        QVERIFY(back.ok());
        QCOMPARE(back->claims(), r.claims());
        QVERIFY(JwsVerifier::verifyWithKey(*Jws::parse(*jwt), *key, {JwsAlgorithm::PS256}).ok());

        auto json = RegistrationRequest::fromJsonBytes(r.toJsonBytes());
        QVERIFY(json.ok());
        QCOMPARE(json->claims(), r.claims());
    }

    void fillDoesNotOverwrite() {
        RegistrationRequest r;
        r.setInteger("iat", 5);
        r.setString("jti", "fixed");
        r.fillTimesAndJti(QDateTime::fromSecsSinceEpoch(1000, Qt::UTC));
        QCOMPARE(*r.integer("iat"), 5);
        QCOMPARE(r.string("jti"), QStringLiteral("fixed"));
        QCOMPARE(r.tokenEndpointAuthMethod(),
                 QStringLiteral("client_secret_basic")); // the seed's default
    }

    // The console's "Fill the form from this SSA": what the SSA decides is taken from it, the
    // rest of the request is kept.
    void claimsFromSsaReplaceWhatTheSsaDecides() {
        auto seed = RegistrationRequest::fromJwt(
            test::readExample(QStringLiteral("seed-example-request.jwt")));
        QVERIFY(seed.ok());
        auto ssa = SoftwareStatement::decode(seed->softwareStatement().toLatin1());
        QVERIFY(ssa.ok());
        RegistrationRequest r;
        r.setString("iss", "someone-else");
        r.setString("scope", "openid fundsconfirmations");
        r.setStringList("redirect_uris", {"https://evil.example.com/cb"});
        r.setString("token_endpoint_auth_method", "private_key_jwt");
        const RegistrationRequest filled = withClaimsFromSsa(r, *ssa);
        QCOMPARE(filled.softwareStatement(), QString::fromLatin1(ssa->jws().compact()));
        QCOMPARE(filled.string("software_id"),
                 QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f"));
        QCOMPARE(filled.iss(), QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f"));
        QCOMPARE(filled.redirectUris(),
                 QStringList({"https://prime.amazon.com/cb", "https://prime.amazon.co.uk/cb"}));
        // The roles PISP and AISP, in the role table's order.
        QCOMPARE(filled.string("scope"), QStringLiteral("openid accounts payments"));
        QCOMPARE(filled.string("token_endpoint_auth_method"), QStringLiteral("private_key_jwt"));
        QCOMPARE(r.iss(), QStringLiteral("someone-else")); // a copy was filled
    }

    void claimsFileErrors() {
        QCOMPARE(RegistrationRequest::fromJsonBytes("[1,2]").error().kind, ErrorKind::JsonInvalid);
        QCOMPARE(RegistrationRequest::fromJsonBytes("{\"a\":").error().kind,
                 ErrorKind::JsonInvalid);
        QByteArray deep(5000, '[');
        QCOMPARE(RegistrationRequest::fromJsonBytes(deep).error().kind, ErrorKind::JsonInvalid);
    }
};

QTEST_APPLESS_MAIN(TestRegistration)
#include "tst_registration.moc"
