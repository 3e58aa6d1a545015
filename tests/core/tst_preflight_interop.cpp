// The signature interop rules through inspectRequest (the path dcrctl lint and the console take):
// each shown firing on what makes one bank accept a token another refuses, and silent on the
// token that every bank accepts. PSS signatures with odd salt lengths come from the openssl CLI
// (software nobody here wrote); our own signer's must raise nothing.
#include "OpensslJws.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/JwsSigner.h"
#include "registration/RequestInspection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;

namespace {

Key& tppKey() {
    static Key key = *Key::generateRsa(2048);
    return key;
}

Key& directoryKey() {
    static Key key = *Key::generateRsa(2048);
    return key;
}

Key& otherKey() {
    static Key key = *Key::generateRsa(2048);
    return key;
}

QJsonObject jwksJson(const QList<std::pair<Key, QString>>& keys) {
    QJsonArray array;
    for (const auto& [key, kid] : keys) {
        QJsonObject jwk = jwk::fromPublicKey(key);
        if (!kid.isEmpty())
            jwk["kid"] = kid;
        array.append(jwk);
    }
    return QJsonObject{{"keys", array}};
}

JwkSet jwksOf(const QList<std::pair<Key, QString>>& keys) {
    return *JwkSet::fromJson(jwksJson(keys));
}

QByteArray compact(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

// A directory SSA, signed by our signer (kid dir) unless a signed SSA is given.
QJsonObject ssaClaims() {
    return QJsonObject{{"iss", "OpenBanking Ltd"},
                       {"software_id", "beKuxC1RniVsTeLYwf"},
                       {"software_redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
                       {"software_roles", QJsonArray{"AISP"}},
                       {"org_status", "Active"}};
}

QByteArray ourSsa(const QJsonObject& claims = ssaClaims()) {
    return *JwsSigner::sign(compact(claims), directoryKey(), {JwsAlgorithm::PS256, "dir", {}});
}

QJsonObject requestClaims(const QByteArray& ssa) {
    return QJsonObject{{"iss", "beKuxC1RniVsTeLYwf"},
                       {"aud", "bank"},
                       {"grant_types", QJsonArray{"client_credentials"}},
                       {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
                       {"request_object_signing_alg", "PS256"},
                       {"software_statement", QString::fromLatin1(ssa)}};
}

QByteArray ourRequest(const QJsonObject& claims, const QString& kid = QStringLiteral("tpp-1")) {
    return *JwsSigner::sign(compact(claims), tppKey(), {JwsAlgorithm::PS256, kid, {}});
}

QByteArray opensslRequest(const QJsonObject& claims, const QString& salt) {
    return test::opensslPs256Jws(tppKey(), R"({"alg":"PS256","kid":"tpp-1"})", compact(claims),
                                 salt);
}

RequestInspection inspection(const QByteArray& jwt, const InspectionOptions& options) {
    auto inspection = inspectRequest(jwt, false, options, Preflight());
    if (!inspection)
        qFatal("not inspected: %s", qPrintable(inspection.error().message));
    return *inspection;
}

QList<PreflightFinding> inspect(const QByteArray& jwt, const InspectionOptions& options) {
    return inspection(jwt, options).findings;
}

QList<PreflightFinding> of(const QList<PreflightFinding>& findings, const char* rule) {
    QList<PreflightFinding> out;
    for (const auto& f : findings)
        if (f.rule == QLatin1String(rule))
            out << f;
    return out;
}

QString dump(const QList<PreflightFinding>& findings) {
    QStringList lines;
    for (const auto& f : findings)
        lines << severityName(f.severity) + u' ' + f.rule + QStringLiteral(": ") + f.message;
    return lines.join(u'\n');
}

InspectionOptions withRequestJwks(const JwkSet& jwks) {
    InspectionOptions o;
    o.requestKey = VerificationKey::fromJwks(jwks);
    return o;
}

} // namespace

class TestPreflightInterop : public QObject {
    Q_OBJECT

private slots:
    void pssSaltLength_data() {
        QTest::addColumn<QString>("salt");
        QTest::addColumn<int>("expected"); // the salt length reported; 32: no finding
        QTest::newRow("openssl :digest") << "digest" << 32;
        QTest::newRow("openssl :32") << "32" << 32;
        QTest::newRow("openssl :max") << "max" << 256 - 32 - 2; // RFC 8017 §9.1.1: emLen-hLen-2
        QTest::newRow("openssl :20") << "20" << 20;
        QTest::newRow("openssl :0") << "0" << 0;
    }

    // RFC 7518 §3.5: "The size of the salt value is the same size as the hash function output."
    void pssSaltLength() {
        QFETCH(QString, salt);
        QFETCH(int, expected);
        const QByteArray jwt = opensslRequest(requestClaims(ourSsa()), salt);
        QVERIFY(!jwt.isEmpty());
        const auto findings = inspect(jwt, withRequestJwks(jwksOf({{tppKey(), "tpp-1"}})));
        const auto salted = of(findings, "pss-salt-length");
        if (expected == 32) {
            QVERIFY2(salted.isEmpty(), qPrintable(dump(findings)));
            return;
        }
        QCOMPARE(salted.size(), 1);
        QCOMPARE(salted.first().severity, Severity::Error);
        QVERIFY2(
            salted.first().message.contains(
                QStringLiteral("request's PS256 signature uses a %1-byte PSS salt").arg(expected)),
            qPrintable(salted.first().message));
        QVERIFY2(salted.first().message.contains(QStringLiteral("RFC 7518 §3.5 requires 32")),
                 qPrintable(salted.first().message));
    }

    // Our signer uses the hash length: only which key verified it is reported.
    void ourSignerRaisesNothing() {
        const QByteArray jwt = ourRequest(requestClaims(ourSsa()));
        const auto inspected = inspection(jwt, withRequestJwks(jwksOf({{tppKey(), "tpp-1"}})));
        for (const char* rule : {"pss-salt-length", "kid-not-in-jwks", "kid-missing",
                                 "alg-not-registered", "signature-keys"})
            QVERIFY2(of(inspected.findings, rule).isEmpty(), qPrintable(dump(inspected.findings)));
        QCOMPARE(inspected.signatureKeys,
                 QStringList(QStringLiteral(
                                 "request verified by the given key kid=tpp-1 (RFC 7638 thumbprint "
                                 "%1) in the JWKS given for the request")
                                 .arg(jwk::thumbprint(tppKey()))));
    }

    // A key, not a JWK Set: named by its thumbprint, no kid rules.
    void aKeyIsNamedByItsThumbprint() {
        InspectionOptions o;
        o.requestKey = VerificationKey::fromKey(tppKey());
        const auto inspected = inspection(ourRequest(requestClaims(ourSsa()), "not-in-any-set"), o);
        QVERIFY2(of(inspected.findings, "kid-not-in-jwks").isEmpty(),
                 qPrintable(dump(inspected.findings)));
        QCOMPARE(inspected.signatureKeys,
                 QStringList(QStringLiteral("request verified by the key given for the request "
                                            "(RFC 7638 thumbprint %1)")
                                 .arg(jwk::thumbprint(tppKey()))));
    }

    // The SSA's salt and key: read with the directory's JWKS.
    void ssaSaltAndKey() {
        const QByteArray ssa =
            test::opensslPs256Jws(directoryKey(), R"({"alg":"PS256","kid":"dir"})",
                                  compact(ssaClaims()), QStringLiteral("max"));
        InspectionOptions o;
        o.ssaKey =
            VerificationKey::fromJwks(jwksOf({{otherKey(), "old"}, {directoryKey(), "dir"}}));
        const auto inspected = inspection(ourRequest(requestClaims(ssa)), o);
        const auto salted = of(inspected.findings, "pss-salt-length");
        QCOMPARE(salted.size(), 1);
        QVERIFY2(salted.first().message.contains(
                     QStringLiteral("SSA's PS256 signature uses a 222-byte PSS salt")),
                 qPrintable(salted.first().message));
        QCOMPARE(inspected.signatureKeys,
                 QStringList(QStringLiteral("SSA verified by the directory's key kid=dir (RFC 7638 "
                                            "thumbprint %1) in the directory's JWKS")
                                 .arg(jwk::thumbprint(directoryKey()))));
        // The SSA in a JWKS that lacks its kid and its key: the kid, and no line of keys (the
        // directory's verdict is ssa-signature-invalid's finding).
        o.ssaKey = VerificationKey::fromJwks(jwksOf({{otherKey(), "old"}}));
        const auto missing = inspection(ourRequest(requestClaims(ourSsa())), o);
        QCOMPARE(of(missing.findings, "kid-not-in-jwks").size(), 1);
        QVERIFY2(of(missing.findings, "kid-not-in-jwks")
                     .first()
                     .message.contains(
                         QStringLiteral("the SSA's header names kid \"dir\", which the directory's "
                                        "JWKS does not hold (it has: old)")),
                 qPrintable(dump(missing.findings)));
        QVERIFY(missing.signatureKeys.isEmpty());
        QCOMPARE(of(missing.findings, "ssa-signature-invalid").size(), 1);
    }

    // The request's kid against the SSA's software_jwks, the keys a bank verifies it with.
    void kidAgainstSoftwareJwks() {
        QJsonObject ssa = ssaClaims();
        ssa["software_jwks"] = jwksJson({{tppKey(), "tpp-1"}});
        const QJsonObject claims = requestClaims(ourSsa(ssa));
        const auto good = inspection(ourRequest(claims, "tpp-1"), {});
        QVERIFY2(of(good.findings, "kid-not-in-jwks").isEmpty(), qPrintable(dump(good.findings)));
        QVERIFY2(of(good.findings, "signature-keys").isEmpty(), qPrintable(dump(good.findings)));
        QCOMPARE(good.signatureKeys,
                 QStringList(QStringLiteral("request verified by the software's key kid=tpp-1 "
                                            "(RFC 7638 thumbprint %1) in the SSA's software_jwks")
                                 .arg(jwk::thumbprint(tppKey()))));
        const auto bad = inspect(ourRequest(claims, "tpp-2"), {});
        QCOMPARE(of(bad, "kid-not-in-jwks").size(), 1);
        QCOMPARE(of(bad, "kid-not-in-jwks").first().severity, Severity::Error);
        QCOMPARE(of(bad, "kid-not-in-jwks").first().claim, QStringLiteral("kid"));
        QVERIFY2(of(bad, "kid-not-in-jwks")
                     .first()
                     .message.contains(
                         QStringLiteral("the request's header names kid \"tpp-2\", which the SSA's "
                                        "software_jwks does not hold (it has: tpp-1)")),
                 qPrintable(dump(bad)));
        // The right kid on the wrong key: no key of the software's verifies it.
        ssa["software_jwks"] = jwksJson({{otherKey(), "tpp-1"}});
        const auto wrongKey = inspect(ourRequest(requestClaims(ourSsa(ssa)), "tpp-1"), {});
        QVERIFY(of(wrongKey, "kid-not-in-jwks").isEmpty());
        QCOMPARE(of(wrongKey, "signature-keys").size(), 1);
        QCOMPARE(of(wrongKey, "signature-keys").first().severity, Severity::Warning);
        QVERIFY2(of(wrongKey, "signature-keys")
                     .first()
                     .message.startsWith(QStringLiteral(
                         "request verified by none of the software's keys in the SSA's "
                         "software_jwks: a bank using them refuses it and needs the key "
                         "that signed it (its header names kid \"tpp-1\")")),
                 qPrintable(dump(wrongKey)));
    }

    // RFC 7515 §6: the recipient must be able to determine the key.
    void kidMissing() {
        const QByteArray jwt = ourRequest(requestClaims(ourSsa()), QString());
        const auto two =
            inspect(jwt, withRequestJwks(jwksOf({{otherKey(), "a"}, {tppKey(), "b"}})));
        QCOMPARE(of(two, "kid-missing").size(), 1);
        QCOMPARE(of(two, "kid-missing").first().severity, Severity::Warning);
        QVERIFY2(of(two, "kid-missing").first().message.contains(QStringLiteral("holds 2 keys")),
                 qPrintable(dump(two)));
        const auto one = inspect(jwt, withRequestJwks(jwksOf({{tppKey(), "b"}})));
        QVERIFY2(of(one, "kid-missing").isEmpty(), qPrintable(dump(one)));
    }

    // OpenID Connect Registration §2: request objects / client assertions signed otherwise than
    // the registered alg "MUST be rejected".
    void algNotRegistered() {
        QJsonObject claims = requestClaims(ourSsa());
        QVERIFY(of(inspect(ourRequest(claims), {}), "alg-not-registered").isEmpty());
        claims["request_object_signing_alg"] = "ES256";
        claims["token_endpoint_auth_method"] = "private_key_jwt";
        claims["token_endpoint_auth_signing_alg"] = "RS256";
        const auto findings = of(inspect(ourRequest(claims), {}), "alg-not-registered");
        QCOMPARE(findings.size(), 2);
        QStringList named;
        for (const auto& f : findings) {
            QCOMPARE(f.severity, Severity::Warning);
            named << f.claim;
            QVERIFY2(f.message.startsWith(QStringLiteral("the request is signed with PS256 but "
                                                         "registers ") +
                                          f.claim),
                     qPrintable(f.message));
        }
        named.sort();
        QCOMPARE(named,
                 QStringList({"request_object_signing_alg", "token_endpoint_auth_signing_alg"}));
    }

    // software_jwks by value beside software_jwks_endpoint: compared by RFC 7638 thumbprint when
    // the endpoint's keys are known (here: given, as dcrctl lint --software-jwks-file does).
    void ssaJwksMismatch() {
        QJsonObject ssa = ssaClaims();
        ssa["software_jwks"] = jwksJson({{tppKey(), "tpp-1"}, {otherKey(), "tpp-0"}});
        ssa["software_jwks_endpoint"] = "https://keystore.example.com/tpp.jwks";
        const QByteArray jwt = ourRequest(requestClaims(ourSsa(ssa)));
        // Unknown endpoint keys: nothing compared, nothing fetched.
        QVERIFY(of(inspect(jwt, {}), "ssa-jwks-mismatch").isEmpty());
        InspectionOptions o;
        // The same keys under other kids and in another order: the same set.
        o.fetchedSoftwareJwks = jwksOf({{otherKey(), "x"}, {tppKey(), "y"}});
        QVERIFY(of(inspect(jwt, o), "ssa-jwks-mismatch").isEmpty());
        o.fetchedSoftwareJwks = jwksOf({{tppKey(), "tpp-1"}, {directoryKey(), "tpp-0"}});
        const auto findings = inspect(jwt, o);
        const auto mismatch = of(findings, "ssa-jwks-mismatch");
        QCOMPARE(mismatch.size(), 1);
        QCOMPARE(mismatch.first().severity, Severity::Warning);
        QVERIFY2(mismatch.first().message.contains(
                     QStringLiteral("only in software_jwks: %1; only at the endpoint: %2")
                         .arg(jwk::thumbprint(otherKey()), jwk::thumbprint(directoryKey()))),
                 qPrintable(mismatch.first().message));
        // Both key sets verify the request, and say so.
        QCOMPARE(inspection(jwt, o).signatureKeys.size(), 2);
    }
};

QTEST_APPLESS_MAIN(TestPreflightInterop)
#include "tst_preflight_interop.moc"
