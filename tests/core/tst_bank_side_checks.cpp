// Issue #22 item 3, below the UI: the checks a bank runs on a request it received ("As the
// bank"), each shown passing and failing, each with the rule it applies quoted from its source
// (the seed document, RFC 7519, RFC 7591, RFC 8705) — the test quotes the same passages.
#include "TestSupport.h"
#include "jose/CertificateBuilder.h"
#include "jose/JwsSigner.h"
#include "registration/BankSideChecks.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;
using Outcome = BankCheck::Outcome;

namespace {

const qint64 kNowSecs = 1790000000; // 2026-09-21
const QDateTime kNow = QDateTime::fromSecsSinceEpoch(kNowSecs, Qt::UTC);
const QString kSoftwareId = QStringLiteral("65d1f27c4aea45499c2160");
const QByteArray kDirectorySecret = "the-directory-shared-secret-32-bytes!";

const Key& tppKey() {
    static const Key key = *Key::generateEcP256();
    return key;
}

QJsonObject ssaClaims() {
    return {{"iss", "OpenBanking Ltd"},
            {"iat", kNowSecs - 3600},
            {"exp", kNowSecs + 86400},
            {"software_id", kSoftwareId},
            {"org_status", "Active"},
            {"software_redirect_uris",
             QJsonArray{"https://tpp.example.com/cb", "https://tpp.example.com/cb2"}},
            {"software_roles", QJsonArray{"AISP", "PISP"}},
            {"software_jwks",
             QJsonDocument::fromJson(JwkSet::single(tppKey(), "tpp").toJson()).object()},
            {"software_jwks_endpoint", "https://keystore.example.com/tpp.jwks"}};
}

QJsonObject requestClaims() {
    return {{"iss", kSoftwareId},
            {"iat", kNowSecs - 10},
            {"exp", kNowSecs + 300},
            {"aud", "bank123"},
            {"software_id", kSoftwareId},
            {"grant_types", QJsonArray{"client_credentials", "authorization_code"}},
            {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
            {"scope", "openid accounts payments"},
            {"token_endpoint_auth_method", "tls_client_auth"},
            {"tls_client_auth_subject_dn", "CN=tpp,O=Example,C=GB"}};
}

// What a test changes before the request is signed, and how the bank inspects it.
struct Case {
    QJsonObject ssa = ssaClaims();
    QJsonObject request = requestClaims();
    const Key* signingKey = &tppKey();
    Certificate transportCertificate;
    // The directory's key the bank verifies the SSA with (the SSA is signed HS256 with
    // kDirectorySecret); without it the SSA's own signature is not verified.
    bool ssaKeyKnown = true;
};

// As the inspector inspects a received request: its signature against its SSA's keys.
Result<RequestInspection> inspectionOf(const Case& c, const PreflightOptions& options,
                                       const std::optional<JwkSet>& fetched = {}) {
    QJsonObject claims = c.request;
    claims.insert(QStringLiteral("software_statement"),
                  QString::fromLatin1(*JwsSigner::signHmac(
                      QJsonDocument(c.ssa).toJson(QJsonDocument::Compact), kDirectorySecret)));
    const QByteArray jwt =
        *JwsSigner::signClaims(claims, *c.signingKey, {JwsAlgorithm::ES256, "tpp", {}});
    const Preflight preflight(options, [] { return kNow; });
    InspectionOptions asTheBank;
    asTheBank.requestKeysFromSsa = true;
    asTheBank.fetchedSoftwareJwks = fetched;
    if (c.ssaKeyKnown)
        asTheBank.ssaKey = VerificationKey::fromSecret(kDirectorySecret);
    return inspectRequest(jwt, false, asTheBank, preflight);
}

QList<BankCheck> checksOf(const Case& c, const std::optional<JwkSet>& fetched = {}) {
    PreflightOptions options;
    options.transportCertificate = c.transportCertificate;
    auto inspection = inspectionOf(c, options, fetched);
    if (!inspection)
        qFatal("%s", qPrintable(inspection.error().message));
    return BankSideChecks::run(*inspection, options, kNow);
}

QStringList rulesOf(const RequestInspection& inspection) {
    QStringList rules;
    for (const auto& f : inspection.findings)
        rules << f.rule;
    return rules;
}

BankCheck checkOf(const QList<BankCheck>& checks, const char* id) {
    for (const auto& check : checks)
        if (check.id == QLatin1String(id))
            return check;
    qFatal("no check %s", id);
}

QString describe(const BankCheck& check) {
    return check.id + u' ' + BankCheck::outcomeName(check.outcome) + QStringLiteral(": ") +
           check.details.join(QStringLiteral(" | "));
}

#define EXPECT(check, expected) QVERIFY2((check).outcome == (expected), qPrintable(describe(check)))

Certificate transportCertificate() {
    CertificateRequest request;
    request.commonName = QStringLiteral("tpp");
    request.organization = QStringLiteral("Example");
    request.country = QStringLiteral("GB");
    request.clientAuth = true;
    const Key key = *Key::generateEcP256();
    return *issueCertificate(request, key, key);
}

} // namespace

class TestBankSideChecks : public QObject {
    Q_OBJECT
private slots:
    void aConformingRequestPassesEveryCheck() {
        Case c;
        c.transportCertificate = transportCertificate();
        const auto checks = checksOf(c);
        QCOMPARE(checks.size(), 6);
        for (const auto& check : checks)
            EXPECT(check, Outcome::Passed);
        QCOMPARE(BankSideChecks::checkIds().size(), 6);
    }

    // RFC 7519 §4.1.6 and §4.1.4.
    void ssaAge() {
        Case c;
        BankCheck check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.rule.contains(
            QStringLiteral("This claim can be used to determine the age of the JWT.")));
        QVERIFY(check.rule.contains(QStringLiteral(
            "the expiration time on or after which the JWT MUST NOT be accepted for processing")));
        QVERIFY2(check.details.contains(QStringLiteral("issued 2026-09-21T13:13:20Z (1 hour ago)")),
                 qPrintable(describe(check)));
        QVERIFY2(check.details.contains(QStringLiteral("expires 2026-09-22T14:13:20Z (in 1 day)")),
                 qPrintable(describe(check)));

        c.ssa["exp"] = kNowSecs - 7200;
        check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral("(ssa-expired)")),
                 qPrintable(describe(check)));

        c = Case();
        c.ssa["iat"] = kNowSecs + 3600;
        EXPECT(checkOf(checksOf(c), "bank-ssa-age"), Outcome::Failed);

        c = Case();
        c.ssa.remove(QStringLiteral("iat"));
        check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::NotChecked);
        QVERIFY(check.details.contains(QStringLiteral("no iat: the SSA's age cannot be told")));
    }

    // RFC 7519 §2: a NumericDate "can represent non-integer values"; a string is not one. And
    // the text says what the outcome says: inside the 60 s skew allowance is a warning.
    void ssaAgeReadsEveryNumericDate() {
        Case c;
        c.ssa["exp"] = kNowSecs - 7200 + 0.5;
        BankCheck check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral("expired 2026-09-21T12:13:20Z")),
                 qPrintable(describe(check)));
        c.ssa["exp"] = kNowSecs + 86400 + 0.5;
        check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Passed);
        QVERIFY2(check.details.contains(QStringLiteral("expires 2026-09-22T14:13:20Z (in 1 day)")),
                 qPrintable(describe(check)));
        c.ssa["iat"] = kNowSecs + 3600 + 0.5;
        EXPECT(checkOf(checksOf(c), "bank-ssa-age"), Outcome::Failed);

        for (const QJsonValue& exp :
             {QJsonValue("1606298169"), QJsonValue(), QJsonValue(true), QJsonValue(-1)}) {
            c = Case();
            c.ssa["exp"] = exp;
            check = checkOf(checksOf(c), "bank-ssa-age");
            EXPECT(check, Outcome::Failed);
            QVERIFY2(check.details.join(u' ').contains(QStringLiteral("exp is not a NumericDate")),
                     qPrintable(describe(check)));
        }

        c = Case();
        c.ssa["exp"] = kNowSecs - 30;
        check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Warning);
        QVERIFY2(check.details.join(u' ').contains(
                     QStringLiteral("within the 60 s clock skew allowance")),
                 qPrintable(describe(check)));
        c.ssa["exp"] = kNowSecs - 61;
        check = checkOf(checksOf(c), "bank-ssa-age");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(!check.details.join(u' ').contains(QStringLiteral("allowance")),
                 qPrintable(describe(check)));
    }

    // Seed, redirect_uris.
    void redirectUrisAreASubsetOfTheSsas() {
        Case c;
        c.request["redirect_uris"] =
            QJsonArray{"https://tpp.example.com/cb2", "https://tpp.example.com/cb"};
        BankCheck check = checkOf(checksOf(c), "bank-redirect-uris");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.rule.contains(QStringLiteral(
            "If the software statement defines a master set of redirect URIs, this must match or "
            "be a subset of the redirect URIs in the SSA.")));

        c.request["redirect_uris"] =
            QJsonArray{"https://tpp.example.com/cb", "https://tpp.example.com/other"};
        check = checkOf(checksOf(c), "bank-redirect-uris");
        EXPECT(check, Outcome::Failed);
        QCOMPARE(check.details.size(), 1);
        QVERIFY2(
            check.details.first().contains(QStringLiteral("\"https://tpp.example.com/other\"")),
            qPrintable(describe(check)));

        c.ssa.remove(QStringLiteral("software_redirect_uris"));
        EXPECT(checkOf(checksOf(c), "bank-redirect-uris"), Outcome::NotChecked);
    }

    // The subset is compared by the check itself: what preflight's redirect-in-ssa skips (not
    // an absolute URL, not a string) is not in the SSA's set either, and a request without
    // redirect_uris (the seed requires them) does not pass.
    void redirectUrisNotInTheSsasSetFailWhateverTheirForm() {
        const QList<QJsonValue> wrong{QJsonArray{"https://tpp.example.com/cb", "/relative/cb"},
                                      QJsonArray{"https://tpp.example.com/cb", 42},
                                      QJsonArray{"not a uri"},
                                      QJsonArray{},
                                      QJsonValue("https://tpp.example.com/cb"),
                                      QJsonValue()};
        for (const QJsonValue& uris : wrong) {
            Case c;
            c.request["redirect_uris"] = uris;
            const BankCheck check = checkOf(checksOf(c), "bank-redirect-uris");
            EXPECT(check, Outcome::Failed);
        }
        Case c;
        c.request.remove(QStringLiteral("redirect_uris"));
        BankCheck check = checkOf(checksOf(c), "bank-redirect-uris");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.contains(
                     QStringLiteral("the request has no redirect_uris, which the seed requires")),
                 qPrintable(describe(check)));
        c.request["redirect_uris"] = QJsonArray{"https://tpp.example.com/cb", "/relative/cb"};
        check = checkOf(checksOf(c), "bank-redirect-uris");
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral("\"/relative/cb\" is not one")),
                 qPrintable(describe(check)));
    }

    // Seed, scope; the role each scope needs.
    void scopeIsWithinWhatTheRolesAllow() {
        Case c;
        c.ssa["software_roles"] = QJsonArray{"AISP"};
        c.request["scope"] = "openid accounts";
        BankCheck check = checkOf(checksOf(c), "bank-scope-roles");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.rule.contains(QStringLiteral(
            "Scopes the client is asking for (if not specified, default scopes are assigned by "
            "the AS).")));

        c.request["scope"] = "openid accounts payments"; // payments needs PISP (scope-roles)
        check = checkOf(checksOf(c), "bank-scope-roles");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral("(scope-roles)")),
                 qPrintable(describe(check)));

        c.request["scope"] = "makepayment"; // no role allows it: this check's own finding
        check = checkOf(checksOf(c), "bank-scope-roles");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.contains(QStringLiteral(
                     "scope \"makepayment\" is not one the SSA's software_roles [AISP] allow "
                     "(openid accounts)")),
                 qPrintable(describe(check)));
    }

    // Only an absent scope is "no scope"; one in another form than a string fails.
    void aScopeThatIsNotAStringFails() {
        Case c;
        c.request.remove(QStringLiteral("scope"));
        BankCheck check = checkOf(checksOf(c), "bank-scope-roles");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.details.contains(
            QStringLiteral("no scope requested: the AS assigns its default scopes")));

        for (const QJsonValue& scope : {QJsonValue(QJsonArray{"openid", "accounts"}),
                                        QJsonValue(42), QJsonValue(), QJsonValue(" ")}) {
            c.request["scope"] = scope;
            check = checkOf(checksOf(c), "bank-scope-roles");
            EXPECT(check, Outcome::Failed);
            QVERIFY2(!check.details.join(u' ').contains(QStringLiteral("default scopes are")),
                     qPrintable(describe(check)));
        }
    }

    // Seed, software_id and iss.
    void softwareIdAndIssAreTheSsas() {
        Case c;
        BankCheck check = checkOf(checksOf(c), "bank-software-id");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.rule.contains(QStringLiteral(
            "If specified, the software_id in the request MUST match the software_id specified in "
            "the SSA.")));
        QVERIFY(check.rule.contains(
            QStringLiteral("For SSAs issued by the OB Directory, this must be the software_id.")));

        c.request["software_id"] = "someOtherSoftware";
        check = checkOf(checksOf(c), "bank-software-id");
        EXPECT(check, Outcome::Failed);
        QVERIFY(check.details.join(u' ').contains(QStringLiteral("(software-id-match)")));

        c = Case();
        c.request["iss"] = "someOtherSoftware";
        check = checkOf(checksOf(c), "bank-software-id");
        EXPECT(check, Outcome::Failed);
        QVERIFY(check.details.join(u' ').contains(QStringLiteral("(iss-software-id)")));
    }

    // iss must be the SSA's software_id, and software_id when present: missing, empty or not a
    // string is not equal to it (preflight's rules are silent on those).
    void aMissingOrNonStringIssOrSoftwareIdFails() {
        for (const char* claim : {"iss", "software_id"}) {
            for (const QJsonValue& value : {QJsonValue(""), QJsonValue(42), QJsonValue(),
                                            QJsonValue(QJsonArray{kSoftwareId})}) {
                Case c;
                c.request[QLatin1String(claim)] = value;
                const BankCheck check = checkOf(checksOf(c), "bank-software-id");
                EXPECT(check, Outcome::Failed);
                QVERIFY2(check.details.join(u' ').contains(
                             QStringLiteral("is missing, empty or not a string")),
                         qPrintable(describe(check)));
            }
        }
        Case c;
        c.request.remove(QStringLiteral("iss"));
        EXPECT(checkOf(checksOf(c), "bank-software-id"), Outcome::Failed);
        c = Case();
        c.request.remove(QStringLiteral("software_id")); // the seed allows it absent
        BankCheck check = checkOf(checksOf(c), "bank-software-id");
        EXPECT(check, Outcome::Passed);
        QVERIFY2(check.details.first().contains(QStringLiteral("software_id is absent")),
                 qPrintable(describe(check)));
        c = Case();
        c.ssa.remove(QStringLiteral("software_id"));
        c.request["iss"] = "";
        c.request["software_id"] = "";
        EXPECT(checkOf(checksOf(c), "bank-software-id"), Outcome::Failed);
    }

    // RFC 7591 §2 jwks / jwks_uri: the request verified against the SSA's keys by value.
    void requestSignatureAgainstTheSsasJwks() {
        Case c;
        BankCheck check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::Passed);
        QVERIFY(check.rule.contains(QStringLiteral(
            "Client's JSON Web Key Set [RFC7517] document value, which contains the client's "
            "public keys.")));
        QVERIFY2(check.details.first().contains(QStringLiteral("the SSA's software_jwks")),
                 qPrintable(describe(check)));
        // The RFC's words end where its quote ends; what an SSA carries is said to be ours.
        QVERIFY(check.rule.contains(QStringLiteral(
            "contains the client's public keys.\" (Not quoted: an SSA carries them as "
            "software_jwks and software_jwks_endpoint.)")));

        QVERIFY2(!check.details.join(u' ').contains(QStringLiteral("not trusted")),
                 qPrintable(describe(check)));

        // One verdict: the inspection's own, which preflight reports too.
        auto inspection = inspectionOf(c, {});
        QVERIFY(inspection->input.requestSignature.isValid());
        QVERIFY(!rulesOf(*inspection).contains(QStringLiteral("request-signature-invalid")));

        const Key other = *Key::generateEcP256();
        c.signingKey = &other; // signed by a key the SSA does not carry
        check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.first().contains(QStringLiteral("invalid")),
                 qPrintable(describe(check)));
        inspection = inspectionOf(c, {});
        QVERIFY(inspection->input.requestSignature.isInvalid());
        QVERIFY(rulesOf(*inspection).contains(QStringLiteral("request-signature-invalid")));

        c = Case();
        c.ssa["software_jwks"] = "not a JWKS";
        check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::Failed);
        QVERIFY2(check.details.first().contains(QStringLiteral("software_jwks is not a JWK Set")),
                 qPrintable(describe(check)));

        // Only an endpoint: not fetched by the checks, said so.
        c = Case();
        c.ssa.remove(QStringLiteral("software_jwks"));
        check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::NotChecked);
        QVERIFY2(check.details.first().contains(
                     QStringLiteral("https://keystore.example.com/tpp.jwks is fetched only when "
                                    "you ask")),
                 qPrintable(describe(check)));
    }

    // Keys from an SSA whose own signature is not verified (no key for its issuer, or a wrong
    // one) are not trusted: a request they verify is at most a warning; one they do not, failed.
    void keysOfAnUnverifiedSsaAreNotTrusted() {
        Case c;
        c.ssaKeyKnown = false;
        BankCheck check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::Warning);
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral(
                     "the SSA's own signature is not verified (not verified), so its keys are "
                     "not trusted")),
                 qPrintable(describe(check)));
        const Key other = *Key::generateEcP256();
        c.signingKey = &other;
        EXPECT(checkOf(checksOf(c), "bank-request-signature"), Outcome::Failed);

        // The same SSA signed with another secret than the one the bank knows: invalid.
        c = Case();
        PreflightOptions options;
        QJsonObject claims = c.request;
        claims.insert(QStringLiteral("software_statement"),
                      QString::fromLatin1(
                          *JwsSigner::signHmac(QJsonDocument(c.ssa).toJson(QJsonDocument::Compact),
                                               "another-directory-secret-of-32-bytes")));
        const QByteArray jwt =
            *JwsSigner::signClaims(claims, tppKey(), {JwsAlgorithm::ES256, "tpp", {}});
        InspectionOptions asTheBank;
        asTheBank.requestKeysFromSsa = true;
        asTheBank.ssaKey = VerificationKey::fromSecret(kDirectorySecret);
        const Preflight preflight(options, [] { return kNow; });
        auto inspection = inspectRequest(jwt, false, asTheBank, preflight);
        QVERIFY(inspection.ok());
        QVERIFY(inspection->input.ssaSignature.isInvalid());
        check = checkOf(BankSideChecks::run(*inspection, options, kNow), "bank-request-signature");
        EXPECT(check, Outcome::Warning);
        QVERIFY2(check.details.join(u' ').contains(QStringLiteral("so its keys are not trusted")),
                 qPrintable(describe(check)));
    }

    // The software_jwks_endpoint: what may be fetched (https only), and the request checked
    // against what was fetched. The fetch itself is the session's (tst_console_inspect).
    void requestSignatureAgainstAFetchedEndpoint() {
        Case c;
        c.ssa.remove(QStringLiteral("software_jwks"));
        auto inspection = inspectionOf(c, {});
        QVERIFY(inspection.ok());
        auto url = BankSideChecks::softwareJwksEndpoint(*inspection);
        QVERIFY2(url.ok(), url.ok() ? "" : qPrintable(url.error().message));
        QCOMPARE(*url, QUrl(QStringLiteral("https://keystore.example.com/tpp.jwks")));

        BankCheck check =
            checkOf(checksOf(c, JwkSet::single(tppKey(), "tpp")), "bank-request-signature");
        EXPECT(check, Outcome::Passed);
        QVERIFY2(check.details.first().contains(
                     QStringLiteral("the JWKS fetched from software_jwks_endpoint "
                                    "https://keystore.example.com/tpp.jwks: valid")),
                 qPrintable(describe(check)));
        check = checkOf(checksOf(c, JwkSet::single(*Key::generateEcP256(), "tpp")),
                        "bank-request-signature");
        EXPECT(check, Outcome::Failed);

        // Not fetched: in the clear, not a URL, no endpoint, or the keys already there by value.
        c.ssa["software_jwks_endpoint"] = "http://keystore.example.com/tpp.jwks";
        url = BankSideChecks::softwareJwksEndpoint(*inspectionOf(c, {}));
        QVERIFY(!url.ok());
        QVERIFY2(url.error().message.contains(QStringLiteral("is not https")),
                 qPrintable(url.error().message));
        c.ssa["software_jwks_endpoint"] = "keystore/tpp.jwks";
        url = BankSideChecks::softwareJwksEndpoint(*inspectionOf(c, {}));
        QVERIFY(!url.ok() && url.error().message.contains(QStringLiteral("not an absolute URL")));
        c.ssa.remove(QStringLiteral("software_jwks_endpoint"));
        url = BankSideChecks::softwareJwksEndpoint(*inspectionOf(c, {}));
        QVERIFY(!url.ok() && url.error().message.contains(QStringLiteral("names no")));
        EXPECT(checkOf(checksOf(c), "bank-request-signature"), Outcome::NotChecked);
        url = BankSideChecks::softwareJwksEndpoint(*inspectionOf(Case(), {}));
        QVERIFY(!url.ok() && url.error().message.contains(QStringLiteral("by value")));
    }

    // A null software_jwks is no keys by value, for the inspection and for the fetch alike: the
    // endpoint may be fetched, and what it holds is what the request is checked against.
    void aNullSoftwareJwksLeavesTheEndpointToFetch() {
        Case c;
        c.ssa["software_jwks"] = QJsonValue();
        auto url = BankSideChecks::softwareJwksEndpoint(*inspectionOf(c, {}));
        QVERIFY2(url.ok(), url.ok() ? "" : qPrintable(url.error().message));
        QCOMPARE(*url, QUrl(QStringLiteral("https://keystore.example.com/tpp.jwks")));
        BankCheck check = checkOf(checksOf(c), "bank-request-signature");
        EXPECT(check, Outcome::NotChecked);
        check = checkOf(checksOf(c, JwkSet::single(tppKey(), "tpp")), "bank-request-signature");
        EXPECT(check, Outcome::Passed);
        QVERIFY2(check.details.first().contains(QStringLiteral("fetched from")),
                 qPrintable(describe(check)));
    }

    // RFC 8705 §2.1.2: the subject DN against the transport certificate, by meaning.
    void subjectDnAgainstTheTransportCertificate() {
        Case c;
        BankCheck check = checkOf(checksOf(c), "bank-subject-dn");
        EXPECT(check, Outcome::NotChecked); // no certificate given
        QVERIFY(check.details.first().contains(QStringLiteral("Compare with certificate")));
        QVERIFY(check.rule.contains(QStringLiteral(
            "A string representation -- as defined in [RFC4514] -- of the expected subject "
            "distinguished name of the certificate that the OAuth client will use in mutual-TLS "
            "authentication.")));

        c.transportCertificate = transportCertificate();
        // OpenSSL's one-line form: X.500 order, spaced; the same name.
        c.request["tls_client_auth_subject_dn"] = "C = GB, O = Example, CN = tpp";
        check = checkOf(checksOf(c), "bank-subject-dn");
        EXPECT(check, Outcome::Passed);
        QVERIFY2(check.details.first().contains(QStringLiteral("compared by meaning")),
                 qPrintable(describe(check)));

        c.request["tls_client_auth_subject_dn"] = "CN=other,O=Example,C=GB";
        check = checkOf(checksOf(c), "bank-subject-dn");
        EXPECT(check, Outcome::Failed);
        QVERIFY(check.details.join(u' ').contains(QStringLiteral("(subject-dn-certificate)")));
    }

    // tls_client_auth with an empty or non-string subject DN is no DN: failed, with or without a
    // certificate, by preflight's own finding (never "not checked" beside an error).
    void anEmptySubjectDnFails() {
        for (const QJsonValue& dn : {QJsonValue(""), QJsonValue("   "), QJsonValue(42)}) {
            for (const bool withCertificate : {true, false}) {
                Case c;
                if (withCertificate)
                    c.transportCertificate = transportCertificate();
                c.request["tls_client_auth_subject_dn"] = dn;
                const BankCheck check = checkOf(checksOf(c), "bank-subject-dn");
                EXPECT(check, Outcome::Failed);
                QVERIFY2(check.details.join(u' ').contains(
                             QStringLiteral("(tls-client-auth-subject-dn)")),
                         qPrintable(describe(check)));
            }
        }
    }

    // The seed document's example request, as a bank receives it.
    void theSeedExample() {
        const QByteArray jwt =
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed();
        const Preflight preflight(PreflightOptions{}, [] { return kNow; });
        auto inspection = inspectRequest(jwt, false, {}, preflight);
        QVERIFY(inspection.ok());
        const auto checks = BankSideChecks::run(*inspection, preflight.options(), kNow);
        const BankCheck age = checkOf(checks, "bank-ssa-age");
        EXPECT(age, Outcome::Passed);
        QVERIFY2(age.details.contains(QStringLiteral("issued 2017-04-21T06:32:11Z (9 years ago)")),
                 qPrintable(describe(age)));
        QVERIFY(
            age.details.contains(QStringLiteral("no exp: the SSA sets no end to its validity")));
        EXPECT(checkOf(checks, "bank-redirect-uris"), Outcome::Failed);
        EXPECT(checkOf(checks, "bank-scope-roles"), Outcome::Failed);
        EXPECT(checkOf(checks, "bank-software-id"), Outcome::Failed);
        EXPECT(checkOf(checks, "bank-request-signature"), Outcome::NotChecked);
        EXPECT(checkOf(checks, "bank-subject-dn"), Outcome::NotChecked);
    }
};

QTEST_GUILESS_MAIN(TestBankSideChecks)
#include "tst_bank_side_checks.moc"
