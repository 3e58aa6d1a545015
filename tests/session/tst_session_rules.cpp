// The rules that have one home below the front ends (issue #23, "one home per rule"): each is
// asked here directly, as the console, dcrctl and the test runner ask it, refusals included.
#include "common/ExitCode.h"
#include "common/Utf8.h"
#include "jose/Jwk.h"
#include "jose/Jws.h"
#include "sandbox/SandboxKit.h"
#include "session/EcosystemPreset.h"
#include "session/Session.h"
#include "session/SubmissionPlan.h"
#include "testplan/TestRunSummary.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

ScenarioResult scenario(Verdict verdict, bool transportFailure = false) {
    ScenarioResult r;
    r.verdict = verdict;
    r.transportFailure = transportFailure;
    return r;
}

Profile bankProfile() {
    Profile p;
    p.name = s("bank");
    p.registrationUrl = QUrl(s("https://bank.example/register"));
    return p;
}

TokenResult tokenAnswer(bool ok, const QByteArray& accessToken) {
    TokenResult t;
    t.response.ok = ok;
    t.response.accessToken = accessToken;
    return t;
}

} // namespace

class TestSessionRules : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    void utf8Literal() {
        QCOMPARE(s("RFC 7591 §3.1 — json"), QString::fromUtf8("RFC 7591 §3.1 — json"));
        QCOMPARE(s("").size(), 0);
    }

    // --- exit codes: one table for dcrctl and the console's automation

    void submissionExitCodes() {
        SubmissionResult notDelivered;
        notDelivered.exchange.failure = Error{ErrorKind::NetworkTimeout, s("no answer")};
        QCOMPARE(notDelivered.exitCode(), int(ExitNetwork));
        SubmissionResult refused; // delivered, but not classified as a success
        QCOMPARE(refused.exitCode(), int(ExitNegative));
    }

    void testRunExitCodes() {
        TestRunSummary met;
        met.results = {scenario(Verdict::Passed), scenario(Verdict::Skipped)};
        QCOMPARE(met.exitCode(), int(ExitOk));
        TestRunSummary failed;
        failed.results = {scenario(Verdict::Passed), scenario(Verdict::Failed)};
        QCOMPARE(failed.exitCode(), int(ExitNegative));
        TestRunSummary unreachable; // refused as a network failure, not as unmet expectations
        unreachable.results = {scenario(Verdict::Error, true)};
        unreachable.stopReason = s("the ASPSP could not be reached");
        QCOMPARE(unreachable.exitCode(), int(ExitNetwork));
        TestRunSummary cancelled; // a cancelled run met nothing
        cancelled.results = {scenario(Verdict::Passed)};
        cancelled.cancelled = true;
        QCOMPARE(cancelled.exitCode(), int(ExitNegative));
    }

    // --- preset -> preflight options

    void presetPreflightOptions() {
        const EcosystemPreset* obie = findEcosystemPreset(s("uk-obie"));
        QVERIFY(obie);
        Profile p = obie->applyTo(bankProfile());
        p.aud = s("bank-aud");
        const PreflightOptions options = preflightOptionsFor(p);
        QCOMPARE(options.spec, SpecVersion::Obie33);
        QCOMPARE(options.bodyFormat, RequestBodyFormat::Jwt);
        QCOMPARE(options.directoryIssuers, QStringList{s("OpenBanking Ltd")});
        QCOMPARE(options.expectedAud, s("bank-aud"));
        QCOMPARE(options.presetName, obie->title);
        QCOMPARE(options.presetRequiredClaims, obie->requiredClaims);
        QVERIFY(!options.presetRequiredClaims.isEmpty());

        // dcrctl lint --preset rfc7591: a JSON body, the default directory (the preset has none).
        const EcosystemPreset* generic = findEcosystemPreset(s("rfc7591"));
        QVERIFY(generic);
        const PreflightOptions lint = preflightOptionsFor(generic->applyTo(Profile{}));
        QCOMPARE(lint.spec, SpecVersion::Seed);
        QCOMPARE(lint.bodyFormat, RequestBodyFormat::Json);
        QCOMPARE(lint.directoryIssuers, PreflightOptions{}.directoryIssuers);
        QCOMPARE(lint.presetName, generic->title);
        QVERIFY(lint.expectedAud.isEmpty());
    }

    void profileWithoutPresetHasNoPresetRules() {
        Profile p = bankProfile();
        p.preset = s("no-such-preset");
        p.specVersion = SpecVersion::Obie31;
        p.directoryIssuer = s("Test Directory");
        const PreflightOptions options = preflightOptionsFor(p);
        QCOMPARE(options.spec, SpecVersion::Obie31);
        QCOMPARE(options.directoryIssuers, QStringList{s("Test Directory")});
        QVERIFY(options.presetName.isEmpty());
        QVERIFY(options.presetRequiredClaims.isEmpty());
    }

    // --- signing defaults and signing

    void signingDefaultsFollowTheKey() {
        auto ec = Key::generateEcP256();
        auto rsa = Key::generateRsa();
        QVERIFY(ec && rsa);
        QCOMPARE(signingSetupFor(*ec).alg, JwsAlgorithm::ES256);
        QCOMPARE(signingSetupFor(*rsa).alg, JwsAlgorithm::PS256);
        QCOMPARE(signingSetupFor(*rsa, JwsAlgorithm::RS256).alg, JwsAlgorithm::RS256);
        QCOMPARE(signingSetupFor(*ec).kid, jwk::thumbprint(*ec));
        const SigningSetup named = signingSetupFor(*ec, std::nullopt, s("k1"), s("key.pem"));
        QCOMPARE(named.kid, s("k1"));
        QCOMPARE(named.source, s("key.pem"));
    }

    void signClaimsSignsOrRefuses() {
        auto ec = Key::generateEcP256();
        QVERIFY(ec);
        RegistrationRequest claims;
        claims.setString(s("iss"), s("tpp"));
        auto jwt = signClaims(claims, signingSetupFor(*ec, std::nullopt, s("k1")));
        QVERIFY2(jwt, qPrintable(jwt ? QString() : jwt.error().message));
        auto jws = Jws::parse(*jwt);
        QVERIFY(jws);
        QCOMPARE(jws->claims().value(s("iss")).toString(), s("tpp"));
        QCOMPARE(jws->header().value(s("kid")).toString(), s("k1"));
        QCOMPARE(jws->header().value(s("alg")).toString(), s("ES256"));

        auto noKey = signClaims(claims, SigningSetup{});
        QVERIFY(!noKey);
        QCOMPARE(noKey.error().kind, ErrorKind::SessionNoSigningKey);
        // An algorithm the key cannot make is refused, not silently changed.
        QVERIFY(!signClaims(claims, signingSetupFor(*ec, JwsAlgorithm::PS256)));
    }

    // --- the sandbox's default draft

    void sandboxDraftLeavesTheSendTimeClaimsOut() {
        auto kit = SandboxKit::create(m_dir.filePath(s("kit")));
        QVERIFY(kit);
        const RegistrationRequest draft = kit->draftRequest(QDateTime::currentDateTimeUtc());
        QVERIFY(!draft.has(s("iat")));
        QVERIFY(!draft.has(s("exp")));
        QVERIFY(draft.has(s("jti")));
        QVERIFY(draft.has(s("software_statement")));
        QCOMPARE(draft.claims().value(s("aud")).toString(), kit->aud());
    }

    // --- target validation

    void checkTargetAcceptsAUsableProfile() {
        auto format = Session::checkTarget(bankProfile());
        QVERIFY(format);
        QCOMPARE(*format, RequestBodyFormat::Jwt);
        Profile json = bankProfile();
        json.bodyFormat = RequestBodyFormat::Json;
        json.contentType = "application/json";
        QCOMPARE(*Session::checkTarget(json), RequestBodyFormat::Json);
        Profile sandbox; // the embedded sandbox's endpoint is its own
        sandbox.embeddedSandbox = true;
        QVERIFY(Session::checkTarget(sandbox));
    }

    void checkTargetRefuses_data() {
        QTest::addColumn<QString>("bodyFormat");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("why");
        QTest::newRow("unknown format")
            << "xml" << QByteArray("application/jwt") << "https://bank.example/r"
            << "body_format \"xml\" is not one of";
        QTest::newRow("json as jwt")
            << "json" << QByteArray("application/jwt") << "https://bank.example/r"
            << "application/json";
        QTest::newRow("jwt as json")
            << "jwt" << QByteArray("application/json") << "https://bank.example/r"
            << "application/jose";
        QTest::newRow("no endpoint") << "jwt" << QByteArray("application/jwt") << ""
                                     << "has no registration URL";
        QTest::newRow("relative endpoint") << "jwt" << QByteArray("application/jwt") << "/register"
                                           << "registration URL";
    }
    void checkTargetRefuses() {
        QFETCH(QString, bodyFormat);
        QFETCH(QByteArray, contentType);
        QFETCH(QString, url);
        QFETCH(QString, why);
        QJsonObject stored = bankProfile().toJson(); // as a settings file holds it
        stored.insert(QStringLiteral("body_format"), bodyFormat);
        Profile p = Profile::fromJson(stored);
        p.contentType = contentType;
        p.registrationUrl = QUrl(url);
        auto format = Session::checkTarget(p);
        QVERIFY(!format);
        QCOMPARE(format.error().kind, ErrorKind::InputUnreadable);
        QVERIFY2(format.error().message.contains(why), qPrintable(format.error().message));
    }

    // --- which bearer token authorises a client's read, update or delete

    void lifecycleBearerRefusesWithoutRegistrationAccessToken() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile p = bankProfile();
        p.lifecycleAuth = LifecycleAuth::Rfc7592;
        auto bearer = session.lifecycleBearer(p, s("client-1"));
        QVERIFY(!bearer);
        QVERIFY2(bearer.error().message.contains(s("no registration_access_token for client "
                                                   "client-1")),
                 qPrintable(bearer.error().message));
    }

    void lifecycleBearerFetchesAClientCredentialsToken() {
        QTemporaryDir dir;
        Session session(AppPaths::under(dir.path()));
        session.open();
        Profile p = bankProfile();
        p.lifecycleAuth = LifecycleAuth::Obie;
        p.tokenAuthMethod = ClientAuthMethod::ClientSecretBasic;
        p.tokenScope = s("openid payments");
        // No token endpoint: refused before any token is asked for.
        auto none = session.lifecycleBearer(p, s("client-1"));
        QVERIFY(!none);
        QVERIFY2(none.error().message.contains(s("no token endpoint")),
                 qPrintable(none.error().message));

        p.tokenEndpoint = QUrl(s("https://bank.example/token"));
        LifecycleBearerOptions options;
        options.clientSecret = "secret";
        auto bearer = session.lifecycleBearer(p, s("client-1"), options);
        QVERIFY2(bearer, qPrintable(bearer ? QString() : bearer.error().message));
        QVERIFY(bearer->registrationAccessToken.isEmpty());
        QVERIFY(bearer->tokenRequest);
        QCOMPARE(bearer->tokenRequest->tokenEndpoint, p.tokenEndpoint);
        QCOMPARE(bearer->tokenRequest->clientId, s("client-1"));
        QCOMPARE(bearer->tokenRequest->method, ClientAuthMethod::ClientSecretBasic);
        QCOMPARE(bearer->tokenRequest->clientSecret, QByteArray("secret"));
        QCOMPARE(bearer->tokenRequest->scopes, (QStringList{s("openid"), s("payments")}));

        // An rfc7592 profile asked for a client_credentials token (dcrctl --token-auth).
        p.lifecycleAuth = LifecycleAuth::Rfc7592;
        options.clientCredentials = true;
        options.method = ClientAuthMethod::ClientSecretPost;
        auto forced = session.lifecycleBearer(p, s("client-1"), options);
        QVERIFY(forced && forced->tokenRequest);
        QCOMPARE(forced->tokenRequest->method, ClientAuthMethod::ClientSecretPost);

        // A token request the profile cannot make is refused with its reason: a method its
        // settings name that this version does not know.
        p.lifecycleAuth = LifecycleAuth::Obie;
        QJsonObject stored = p.toJson();
        stored.insert(QStringLiteral("token_auth_method"), QStringLiteral("magic"));
        auto unknown = session.lifecycleBearer(Profile::fromJson(stored), s("client-1"));
        QVERIFY(!unknown);
        QVERIFY2(unknown.error().message.contains(s("magic")), qPrintable(unknown.error().message));
    }

    void lifecycleAccessTokenReadsTheAnswer() {
        auto token = Session::lifecycleAccessToken(tokenAnswer(true, "at-1"));
        QVERIFY(token);
        QCOMPARE(*token, QByteArray("at-1"));

        auto refused = Session::lifecycleAccessToken(tokenAnswer(false, {}));
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::SessionTokenRefused);
        // An "ok" answer without a token authorises nothing.
        auto empty = Session::lifecycleAccessToken(tokenAnswer(true, {}));
        QVERIFY(!empty);
        QCOMPARE(empty.error().kind, ErrorKind::SessionTokenRefused);

        TokenResult unreachable;
        unreachable.exchange.failure = Error{ErrorKind::NetworkTimeout, s("timed out")};
        auto failed = Session::lifecycleAccessToken(unreachable);
        QVERIFY(!failed);
        QCOMPARE(failed.error().kind, ErrorKind::NetworkTimeout);
        QVERIFY(failed.error().message.contains(s("timed out")));
    }
};

QTEST_MAIN(TestSessionRules)
#include "tst_session_rules.moc"
