#include "TestSupport.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "registration/Preflight.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>
#include <QTest>

#include <functional>

using namespace dcr;

namespace {

const QDateTime kNow = QDateTime::fromSecsSinceEpoch(1900000000, Qt::UTC);
const QByteArray kSecret = "0123456789abcdef0123456789abcdef";
const QString kSoftwareId = QStringLiteral("beKuxC1RniVsTeLYwfpgNP");

QJsonObject ssaClaims() {
    return QJsonObject{{"iss", "DCR Sandbox Directory"},
                       {"software_id", kSoftwareId},
                       {"software_redirect_uris",
                        QJsonArray{"https://tpp.example.com/cb", "https://tpp.example.com/cb2"}},
                       {"software_roles", QJsonArray{"AISP", "PISP"}},
                       {"org_status", "Active"}};
}

QByteArray makeSsa(const QJsonObject& claims) {
    return *JwsSigner::signHmac(QJsonDocument(claims).toJson(QJsonDocument::Compact), kSecret);
}

QJsonObject goodClaims() {
    return QJsonObject{
        {"iss", kSoftwareId},
        {"iat", 1900000000 - 10},
        {"exp", 1900000000 + 290},
        {"jti", "6f1c4bb4-3a8e-4b53-9d1e-2f1f9b0d7c11"},
        {"aud", "0dw23dsa13123"},
        {"token_endpoint_auth_method", "tls_client_auth"},
        {"tls_client_auth_subject_dn", "CN=tpp,O=Example,C=GB"},
        {"grant_types", QJsonArray{"client_credentials", "authorization_code", "refresh_token"}},
        {"response_types", QJsonArray{"code id_token"}},
        {"software_statement", QString::fromLatin1(makeSsa(ssaClaims()))},
        {"software_id", kSoftwareId},
        {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
        {"scope", "openid accounts payments"},
        {"application_type", "web"},
        {"request_object_signing_alg", "PS256"},
        {"id_token_signed_response_alg", "PS256"}};
}

PreflightInput inputFor(const QJsonObject& claims,
                        SignatureCheck::State ssaState = SignatureCheck::State::Verified) {
    PreflightInput in;
    in.request = RegistrationRequest(claims);
    in.requestAlgorithm = JwsAlgorithm::PS256;
    Preflight::decodeSoftwareStatement(in);
    in.ssaSignature.state = ssaState;
    in.supported = {
        {"token_endpoint_auth_methods_supported", {"tls_client_auth", "private_key_jwt"}},
        {"scopes_supported", {"openid", "accounts", "payments", "fundsconfirmations"}}};
    return in;
}

QSet<QString> ruleIds(const QList<PreflightFinding>& findings) {
    QSet<QString> out;
    for (const auto& f : findings)
        out.insert(f.rule);
    return out;
}

QString dump(const QList<PreflightFinding>& findings) {
    QStringList lines;
    for (const auto& f : findings)
        lines << severityName(f.severity) + u' ' + f.rule + u' ' + f.claim + QStringLiteral(": ") +
                     f.message;
    return lines.join(u'\n');
}

} // namespace

class TestPreflight : public QObject {
    Q_OBJECT
private slots:
    void goodRequestHasNoFindings() {
        const Preflight preflight([] { return kNow; });
        const auto findings = preflight.run(inputFor(goodClaims()));
        QVERIFY2(findings.isEmpty(), qPrintable(dump(findings)));
    }

    void eachRuleFails() {
        using Mutate = std::function<void(PreflightInput&)>;
        auto claims = [](std::function<void(QJsonObject&)> f) {
            return Mutate([f](PreflightInput& in) {
                QJsonObject c = in.request.claims();
                f(c);
                in = inputFor(c, in.ssaSignature.state);
            });
        };
        auto ssa = [](std::function<void(QJsonObject&)> f) {
            return Mutate([f](PreflightInput& in) {
                QJsonObject s = ssaClaims();
                f(s);
                QJsonObject c = in.request.claims();
                c["software_statement"] = QString::fromLatin1(makeSsa(s));
                in = inputFor(c, in.ssaSignature.state);
            });
        };
        const QList<std::tuple<QString, Severity, Mutate>> cases = {
            {"required-claim", Severity::Error, claims([](auto& c) { c.remove("aud"); })},
            {"claim-type", Severity::Error, claims([](auto& c) { c["iat"] = "yesterday"; })},
            {"allowed-value", Severity::Error,
             claims([](auto& c) { c["application_type"] = "desktop"; })},
            {"unknown-claim", Severity::Info, claims([](auto& c) { c["x_bank_extension"] = 1; })},
            {"iss-base62-guid", Severity::Error, claims([](auto& c) { c["iss"] = "not-a-guid!"; })},
            {"iss-software-id", Severity::Warning, claims([](auto& c) { c["iss"] = "abc123"; })},
            {"software-id-match", Severity::Error,
             claims([](auto& c) { c["software_id"] = "other"; })},
            {"iat-future", Severity::Error, claims([](auto& c) {
                 c["iat"] = 1900000000 + 600;
                 c["exp"] = 1900000000 + 900;
             })},
            {"exp-after-iat", Severity::Error, claims([](auto& c) { c["exp"] = 1900000000 - 20; })},
            {"exp-past", Severity::Error, claims([](auto& c) {
                 c["iat"] = 1800000000;
                 c["exp"] = 1800000300;
             })},
            {"jti-missing", Severity::Warning, claims([](auto& c) { c.remove("jti"); })},
            {"redirect-uri-valid", Severity::Error,
             claims([](auto& c) { c["redirect_uris"] = QJsonArray{"not a url"}; })},
            {"redirect-https", Severity::Error,
             claims([](auto& c) { c["redirect_uris"] = QJsonArray{"http://tpp.example.com/cb"}; })},
            {"redirect-fragment", Severity::Error, claims([](auto& c) {
                 c["redirect_uris"] = QJsonArray{"https://tpp.example.com/cb#x"};
             })},
            {"redirect-localhost", Severity::Error,
             claims([](auto& c) { c["redirect_uris"] = QJsonArray{"https://127.0.0.1/cb"}; })},
            {"redirect-in-ssa", Severity::Error, claims([](auto& c) {
                 c["redirect_uris"] = QJsonArray{"https://tpp.example.com/other"};
             })},
            {"scope-roles", Severity::Error,
             claims([](auto& c) { c["scope"] = "openid fundsconfirmations"; })},
            {"auth-method-signing-alg", Severity::Error,
             claims([](auto& c) { c["token_endpoint_auth_method"] = "private_key_jwt"; })},
            {"tls-client-auth-subject-dn", Severity::Error,
             claims([](auto& c) { c.remove("tls_client_auth_subject_dn"); })},
            {"response-types-grant", Severity::Warning,
             claims([](auto& c) { c["grant_types"] = QJsonArray{"client_credentials"}; })},
            {"ssa-decode", Severity::Error,
             claims([](auto& c) { c["software_statement"] = "garbage"; })},
            {"ssa-org-status", Severity::Error, ssa([](auto& s) { s["org_status"] = "Revoked"; })},
            {"ssa-signature-unverified", Severity::Warning,
             [](PreflightInput& in) { in.ssaSignature.state = SignatureCheck::State::NotChecked; }},
            {"ssa-signature-invalid", Severity::Error,
             [](PreflightInput& in) {
                 in.ssaSignature = {SignatureCheck::State::Failed, "bad"};
             }},
            {"request-alg-fapi", Severity::Warning,
             [](PreflightInput& in) { in.requestAlgorithm = JwsAlgorithm::RS256; }},
            {"request-signature-invalid", Severity::Error,
             [](PreflightInput& in) {
                 in.requestSignature = {SignatureCheck::State::Failed, "bad"};
             }},
            {"discovery-unsupported", Severity::Warning,
             [](PreflightInput& in) {
                 in.supported["token_endpoint_auth_methods_supported"] = {"private_key_jwt"};
             }},
        };
        QSet<QString> covered;
        const Preflight preflight([] { return kNow; });
        for (const auto& [rule, severity, mutate] : cases) {
            PreflightInput in = inputFor(goodClaims());
            mutate(in);
            const auto findings = preflight.run(in);
            bool found = false;
            for (const auto& f : findings)
                if (f.rule == rule) {
                    found = true;
                    QVERIFY2(
                        f.severity == severity,
                        qPrintable(rule + QStringLiteral(": wrong severity\n") + dump(findings)));
                    QVERIFY2(!f.message.isEmpty(), qPrintable(rule));
                }
            QVERIFY2(
                found,
                qPrintable(QStringLiteral("rule %1 did not fire:\n%2").arg(rule, dump(findings))));
            covered.insert(rule);
        }
        // Every documented rule has a failing case here.
        for (const auto& info : Preflight::rules())
            QVERIFY2(covered.contains(info.id),
                     qPrintable(QStringLiteral("no failing case for rule ") + info.id));
    }

    void obDirectorySsaMakesIssMismatchAnError() {
        QJsonObject s = ssaClaims();
        s["iss"] = "OpenBanking Ltd";
        QJsonObject c = goodClaims();
        c["software_statement"] = QString::fromLatin1(makeSsa(s));
        c["iss"] = "abc123";
        const auto findings = Preflight([] { return kNow; }).run(inputFor(c));
        bool error = false;
        for (const auto& f : findings)
            error |= f.rule == QStringLiteral("iss-software-id") && f.severity == Severity::Error;
        QVERIFY2(error, qPrintable(dump(findings)));
    }

    void hugeAndFractionalNumbersAreTypeErrorsNotUndefinedBehaviour() {
        // Found by fuzz_ssa: 1.6e27 used to be cast to qint64 (undefined behaviour).
        for (const QJsonValue& bad :
             {QJsonValue(1.607e27), QJsonValue(-1e300), QJsonValue(1900000000.5)}) {
            QJsonObject c = goodClaims();
            c["iat"] = bad;
            const auto findings = Preflight([] { return kNow; }).run(inputFor(c));
            QVERIFY2(ruleIds(findings).contains(QStringLiteral("claim-type")),
                     qPrintable(dump(findings)));
        }
        QJsonObject ok = goodClaims();
        ok["iat"] = 9007199254740992.0; // 2^53 is still an integer; it is merely in the future
        QVERIFY(ruleIds(Preflight([] { return kNow; }).run(inputFor(ok)))
                    .contains(QStringLiteral("iat-future")));
    }

    void readmeDocumentsEveryRule() {
        const QString readme = QString::fromUtf8(test::readData(QStringLiteral("../../README.md")));
        for (const auto& info : Preflight::rules())
            QVERIFY2(readme.contains(
                         QStringLiteral("| `%1` | %2").arg(info.id, severityName(info.severity))),
                     qPrintable(QStringLiteral("README's rule table lacks `%1` with severity %2")
                                    .arg(info.id, severityName(info.severity))));
    }

    void base62Guid() {
        QVERIFY(isBase62Guid(QStringLiteral("beKuxC1RniVsTeLYwfpgNP")));
        QVERIFY(isBase62Guid(QStringLiteral("7ZAYzXRoN2HjRr7MjD2XqA")));
        QVERIFY(!isBase62Guid(QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f")));
        QVERIFY(!isBase62Guid(QStringLiteral("beKuxC1RniVsTeLYwfpgNPx"))); // 23 characters
        QVERIFY(!isBase62Guid(QString()));
    }

    void seedExampleRequestIsLintedWithItsProblems() {
        const QByteArray jwt = test::readData(QStringLiteral("seed-example-request.jwt")).trimmed();
        auto request = RegistrationRequest::fromJwt(jwt);
        QVERIFY(request.ok());
        PreflightInput in;
        in.request = *request;
        in.requestAlgorithm = JwsAlgorithm::PS256;
        Preflight::decodeSoftwareStatement(in);
        QVERIFY(in.ssa.has_value());
        QCOMPARE(in.ssa->clientName(), QStringLiteral("Amazon Prime Movies"));
        const auto findings = Preflight([] { return QDateTime::currentDateTimeUtc(); }).run(in);
        const QSet<QString> rules = ruleIds(findings);
        for (const char* expected :
             {"allowed-value", "iss-software-id", "software-id-match", "exp-past", "redirect-https",
              "redirect-in-ssa", "ssa-signature-unverified", "jti-missing"})
            QVERIFY2(rules.contains(QString::fromLatin1(expected)),
                     qPrintable(QStringLiteral("missing %1 in\n%2")
                                    .arg(QString::fromLatin1(expected), dump(findings))));
        QVERIFY(hasErrors(findings));
        // makepayment is the scope the seed example uses; it is not an allowed value.
        bool scopeFinding = false;
        for (const auto& f : findings)
            scopeFinding |= f.rule == QStringLiteral("allowed-value") &&
                            f.claim == QStringLiteral("scope") &&
                            f.message.contains(QStringLiteral("makepayment"));
        QVERIFY2(scopeFinding, qPrintable(dump(findings)));
    }
};

QTEST_APPLESS_MAIN(TestPreflight)
#include "tst_preflight.moc"
