#include "TestRunner.h"

#include "ResultDetailsSpool.h"
#include "TeamTestRuns.h"

#include "common/Utf8.h"

#include <QDir>

#include <algorithm>

namespace dcr {

namespace {

// #21.7: after this many transport failures in a row (timeouts included) the ASPSP has stopped
// answering; the rest of the plan would only wait for the same failure, one timeout each.
constexpr int kMaxConsecutiveTransportFailures = 3;

// #21.5: why an advertised registration_endpoint cannot be used, or nullopt when it can. RFC 7591
// section 3: "The client registration endpoint MUST be protected by a transport-layer security
// mechanism"; conformance-dcr DCR-001 parses it as an absolute request URI.
std::optional<QString> registrationEndpointProblem(const QUrl& endpoint) {
    if (!endpoint.isValid() || endpoint.isRelative())
        return s("registration_endpoint \"%1\" is not an absolute URL").arg(endpoint.toString());
    if (endpoint.scheme() != s("https"))
        return s("registration_endpoint \"%1\" is not an https URL (scheme \"%2\"): the "
                 "registration endpoint must be protected by TLS (RFC 7591 section 3)")
            .arg(endpoint.toString(), endpoint.scheme());
    if (endpoint.host().isEmpty())
        return s("registration_endpoint \"%1\" has no host").arg(endpoint.toString());
    return std::nullopt;
}

QString describeMutations(const QList<ScenarioMutation>& mutations) {
    QStringList parts;
    for (const auto& m : mutations)
        parts << m.describe();
    return parts.isEmpty() ? s("(none: the valid request)") : parts.join(s("; "));
}

} // namespace

TestRunner::TestRunner(Session& session, QObject* parent)
    : QObject(parent)
    , m_session(session) {
    m_timeout.setSingleShot(true);
    connect(&m_timeout, &QTimer::timeout, this, &TestRunner::onTimeout);
    connect(&m_session, &Session::submissionFinished, this, &TestRunner::onSubmissionFinished);
}

QString TestRunner::historyNote(const QString& runId, const QString& scenarioId) {
    return s("test run %1, scenario %2").arg(runId, scenarioId);
}

QStringList TestRunner::historyTags(const QString& runId, const QString& scenarioId) {
    return {s("test-run"), s("run:") + runId, s("scenario:") + scenarioId};
}

Status TestRunner::start(const TestPlan& plan, const Profile& profile,
                         const RegistrationRequest& draft, const TestRunOptions& options) {
    if (m_running)
        return Error{ErrorKind::SessionBusy, s("a test run is already in progress")};
    if (!m_session.hasHistory())
        return Error{ErrorKind::SessionNotReady,
                     s("a test run needs the history: every attempt is kept as evidence")};
    auto target = m_session.target(profile);
    if (!target)
        return target.error();
    // A JSON-body profile (RFC 7591) signs nothing: no key is asked for.
    SigningSetup signing;
    Key unknown;
    if (target->bodyFormat == RequestBodyFormat::Jwt) {
        auto setup = m_session.signingSetup(profile, options.alg);
        if (!setup)
            return setup.error();
        signing = *setup;
        // A key the ASPSP cannot know, of the same type so only the key differs.
        auto made =
            signing.key.type() == KeyType::EcP256 ? Key::generateEcP256() : Key::generateRsa(2048);
        if (!made)
            return made.error();
        unknown = *made;
    }
    auto untrusted = UntrustedIdentity::make();
    if (!untrusted)
        return untrusted.error();
    m_plan = plan;
    m_profile = profile;
    m_clientId.clear();
    m_registrationAccessToken.clear();
    m_clientUri.clear();
    forgetClientSecret();
    m_lastBearer.clear();
    m_awaitingCallback = false;
    m_material = ScenarioMaterial{draft,
                                  signing,
                                  *target,
                                  unknown,
                                  *untrusted,
                                  {},
                                  m_session.softwareStatementMinter(profile)};
    m_options = options;
    m_summary = TestRunSummary{};
    m_spoolProblem.clear();
    // What runs that were killed or crashed left behind goes now; a spool of a run still going
    // (this process's or another's: the console and dcrctl share the folder) stays.
    m_sweepProblem = ResultDetailsSpool::sweepStale(spoolDir()).join(QLatin1Char('\n'));
    m_summary.runId = newUuidV4().left(8);
    m_summary.planName = plan.name;
    m_summary.profile = profile.name.isEmpty() ? target->endpoint.toString() : profile.name;
    // Where the requests went, as a team list shows it: never a password typed into the URL.
    m_summary.target = target->endpoint.toString(QUrl::RemoveUserInfo);
    m_summary.spec = options.spec.isEmpty() ? specVersionName(profile.specVersion) : options.spec;
    m_summary.tlsVerificationOff = target->transport.insecure;
    m_summary.started = QDateTime::currentDateTimeUtc();
    m_summary.planned = static_cast<int>(plan.scenarios.size());
    m_running = true;
    m_cancelled = false;
    m_index = 0;
    QTimer::singleShot(0, this, &TestRunner::runNext);
    return {};
}

void TestRunner::cancel() {
    if (!m_running || m_cancelled)
        return;
    m_cancelled = true;
    m_summary.cancelled = true;
    if (m_request) {
        m_session.cancel(*m_request); // its answer (a cancelled failure) ends the run
    } else if (m_awaitingCallback) {
        m_current.cancelled = true;
        failStep(s("the run was cancelled"));
    }
    // Otherwise runNext, already queued, sees the flag.
}

void TestRunner::runNext() {
    if (m_cancelled || !m_summary.stopReason.isEmpty() || m_index >= m_plan.scenarios.size()) {
        finish();
        return;
    }
    const TestScenario& scenario = m_plan.scenarios.at(m_index);
    m_current = ScenarioResult{};
    m_current.scenarioId = scenario.id;
    m_current.title = scenario.title;
    m_current.source = scenario.source;
    m_current.mutations = scenario.step.isEmpty() ? describeMutations(scenario.mutations)
                                                  : s("lifecycle step: %1").arg(scenario.step);
    const auto expectation = scenario.expectationFor(m_summary.spec);
    if (!expectation) {
        m_current.verdict = Verdict::Skipped;
        m_current.reason = s("the %1 spec names no expectation for this case").arg(m_summary.spec);
        complete(m_current);
        return;
    }
    m_expectation = *expectation;
    m_current.expected = expectation->describe();
    m_material.now = QDateTime::currentDateTimeUtc();
    if (scenario.step == s("discovery")) {
        runDiscovery();
        return;
    }
    if (!scenario.step.isEmpty() && scenario.step != s("register")) {
        runStep(scenario);
        return;
    }
    auto plan = planScenarioRequest(m_material, scenario.mutations);
    if (!plan) {
        m_current.verdict = Verdict::Error;
        m_current.got = s("not sent");
        m_current.reason = s("the request could not be made: %1").arg(plan.error().toString());
        complete(m_current);
        return;
    }
    m_currentPlan = *plan;
    m_current.requestClaims = plan->claims;
    m_current.requestContentType = plan->contentType;
    m_sendsLeft = replaysJti(scenario.mutations) ? 2 : 1;
    m_timedOut = false;
    m_clock.start();
    m_timeout.start(m_options.timeoutSeconds * 1000);
    send();
}

void TestRunner::runStep(const TestScenario& scenario) {
    m_timedOut = false;
    m_clock.start();
    if (m_clientId.isEmpty()) {
        m_current.verdict = Verdict::Error;
        m_current.got = s("not sent");
        m_current.reason = s("no registered client: the run's register step did not run or was "
                             "not answered with a client_id");
        complete(m_current);
        return;
    }
    m_timeout.start(m_options.timeoutSeconds * 1000);
    const QString step = scenario.step;
    if (step == s("invalid-token")) {
        // Well-formed but never issued: only the token's validity differs from a read.
        sendStep(scenario, "invalid-" + newUuidV4().toLatin1());
        return;
    }
    if (step.endsWith(s("-after-delete")) && !m_lastBearer.isEmpty()) {
        sendStep(scenario, m_lastBearer);
        return;
    }
    LifecycleBearerOptions options;
    options.clientSecret = m_clientSecret;
    const bool withoutScope = step == s("read-without-scope");
    if (withoutScope)
        options.scopes = QStringList{s("openid")}; // a token, but not a management one
    auto bearer = m_session.lifecycleBearer(m_profile, m_clientId, options);
    if (!bearer) {
        failStep(bearer.error().message);
        return;
    }
    if (withoutScope && !bearer->tokenRequest) {
        failStep(s("read-without-scope needs a profile whose lifecycle is authorised with an "
                   "access token (obie or cdr), not the registration access token"));
        return;
    }
    if (!bearer->tokenRequest) { // RFC 7592: the registration access token
        sendStep(scenario, bearer->registrationAccessToken);
        return;
    }
    // OBIE DCR 3.3: a client_credentials access token for the registered client first.
    m_awaitingCallback = true;
    const quint64 generation = ++m_tokenGeneration;
    const TestScenario current = scenario;
    const auto spec = bearer->tokenRequest;
    m_session.requestToken(m_profile, *spec, [this, generation, current](const TokenResult& r) {
        if (!m_awaitingCallback || generation != m_tokenGeneration)
            return; // the step already ended (timeout or cancel)
        m_awaitingCallback = false;
        // The token request is a history row of its own (#22.6): tagged with the run like the
        // step's, so the run is found whole; the step's result keeps naming the step's row.
        if (r.historyId)
            (void)m_session.setHistoryNote(r.historyId, historyNote(m_summary.runId, current.id),
                                           historyTags(m_summary.runId, current.id));
        auto token = Session::lifecycleAccessToken(r);
        if (!token) {
            failStep(s("the token endpoint gave no access token (%1)").arg(token.error().message));
            return;
        }
        sendStep(current, *token);
    });
}

void TestRunner::runDiscovery() {
    m_timedOut = false;
    m_clock.start();
    if (m_session.discoveryUrl(m_profile).isEmpty()) {
        m_current.verdict = Verdict::Skipped;
        m_current.got = s("not sent");
        m_current.reason = s("the profile has no discovery URL: give its OpenID configuration "
                             "URL to run this check");
        complete(m_current);
        return;
    }
    auto plan = m_session.planDiscovery(m_profile);
    if (!plan) {
        failStep(s("the request could not be made: %1").arg(plan.error().toString()));
        return;
    }
    m_currentPlan = *plan;
    m_current.requestClaims = QJsonObject{{s("GET"), plan->url.toString()}};
    m_sendsLeft = 1;
    m_timeout.start(m_options.timeoutSeconds * 1000);
    send();
}

void TestRunner::judgeDiscovery(const DiscoveryOutcome& outcome) {
    m_current.httpStatus = outcome.httpStatus;
    m_current.responseBody = outcome.responseBody;
    m_current.responseContentType = "application/json";
    const QUrl endpoint = outcome.ok() ? outcome.document->registrationEndpoint : QUrl();
    // Why the configuration gives no usable endpoint: no document, not a 200, or (#21.5) an
    // endpoint that is not an absolute https URL with a host.
    std::optional<QString> problem;
    if (outcome.error)
        problem = outcome.error->message;
    else if (outcome.httpStatus != 200)
        problem = s("status %1").arg(outcome.httpStatus);
    else
        problem = registrationEndpointProblem(endpoint);
    const bool usable = !problem;
    m_current.got =
        usable ? s("%1 registration_endpoint %2").arg(outcome.httpStatus).arg(endpoint.toString())
               : s("%1 %2").arg(outcome.httpStatus).arg(*problem);
    const bool met = usable == m_expectation.accepted;
    m_current.verdict = met ? Verdict::Passed : Verdict::Failed;
    m_current.reason = met      ? QString()
                       : usable ? s("the configuration advertises a registration endpoint")
                                : s("the OpenID configuration has no valid registration_endpoint "
                                    "(%1)")
                                      .arg(*problem);
    complete(m_current);
}

void TestRunner::sendStep(const TestScenario& scenario, const QByteArray& bearer) {
    const QString& step = scenario.step;
    const RegistrationOperation operation = step == s("update") || step == s("update-after-delete")
                                                ? RegistrationOperation::Update
                                            : step == s("delete") ? RegistrationOperation::Delete
                                                                  : RegistrationOperation::Read;
    QByteArray requestBody;
    if (operation == RegistrationOperation::Update) {
        // The valid request, signed now, with the scenario's mutations (the Brazil plan's
        // update-client-config cases mutate the update's body).
        auto request = planScenarioRequest(m_material, scenario.mutations);
        if (!request) {
            failStep(s("the request could not be made: %1").arg(request.error().toString()));
            return;
        }
        requestBody = request->body; // the signed JWT, or the JSON metadata
    }
    auto plan = m_session.planClientOperation(m_profile, operation, m_clientId, bearer, requestBody,
                                              m_clientUri);
    if (!plan) {
        failStep(s("the request could not be made: %1").arg(plan.error().toString()));
        return;
    }
    if (auto applied = applyTransportMutations(plan->transport, m_material, scenario.mutations);
        !applied) {
        failStep(s("the request could not be made: %1").arg(applied.error().toString()));
        return;
    }
    if (step != s("invalid-token") && step != s("read-without-scope"))
        m_lastBearer = bearer;
    m_currentPlan = *plan;
    m_current.requestClaims = plan->claims;
    m_current.requestContentType = plan->contentType;
    m_sendsLeft = 1;
    send();
}

void TestRunner::failStep(const QString& reason) {
    m_awaitingCallback = false;
    ++m_tokenGeneration;
    m_timeout.stop();
    m_current.verdict = Verdict::Error;
    m_current.got = s("not sent");
    m_current.reason = reason;
    m_current.elapsedMs = m_clock.elapsed();
    complete(m_current);
}

void TestRunner::send() {
    auto id = m_session.submit(m_currentPlan); // always recorded: a test run keeps its evidence
    if (!id) {
        m_timeout.stop();
        m_current.verdict = Verdict::Error;
        m_current.got = s("not sent");
        m_current.reason = id.error().toString();
        complete(m_current);
        return;
    }
    m_request = *id;
    --m_sendsLeft;
}

void TestRunner::onTimeout() {
    if (m_awaitingCallback) {
        m_current.transportFailure = true; // the token endpoint did not answer: #21.7 counts it
        failStep(s("no answer (access token) within %1 s").arg(m_options.timeoutSeconds));
        return;
    }
    if (!m_request)
        return;
    m_timedOut = true;
    m_session.cancel(*m_request);
}

void TestRunner::onSubmissionFinished(quint64 id, const SubmissionResult& result) {
    if (!m_request || id != *m_request)
        return; // another front end's send on the same session
    m_request.reset();
    if (result.historyId) {
        m_current.historyIds << result.historyId;
        // The tags make the run findable in the history; failing to save them loses no evidence.
        (void)m_session.setHistoryNote(result.historyId,
                                       historyNote(m_summary.runId, m_current.scenarioId),
                                       historyTags(m_summary.runId, m_current.scenarioId));
    }
    if (!result.exchange.completed() && !m_timedOut && !m_cancelled &&
        !m_expectation.mismatch(*result.exchange.failure)) {
        // The server refused the TLS client identity, as a "refused" scenario expects.
        m_timeout.stop();
        m_current.elapsedMs = m_clock.elapsed();
        m_current.got = s("TLS refused: %1").arg(result.exchange.failure->message);
        m_current.verdict = Verdict::Passed;
        complete(m_current);
        return;
    }
    if (!result.exchange.completed()) {
        m_timeout.stop();
        m_current.verdict = Verdict::Error;
        // #21.7: a timeout is a transport failure like a refused connection (no answer to
        // judge, and the next scenario would wait as long); only a cancel is not.
        m_current.transportFailure = !m_cancelled;
        // Cut short by the cancel, not judged: a comparison must not count it as a failure.
        m_current.cancelled = m_cancelled;
        m_current.got = m_timedOut ? s("no answer within %1 s").arg(m_options.timeoutSeconds)
                                   : result.exchange.failure->message;
        m_current.reason = m_cancelled ? s("the run was cancelled") : m_current.got;
        m_current.elapsedMs = m_clock.elapsed();
        complete(m_current);
        return;
    }
    if (m_sendsLeft > 0 && !m_cancelled) {
        send(); // a replay: the same bytes again; the second answer is judged
        return;
    }
    m_timeout.stop();
    m_current.elapsedMs = m_clock.elapsed();
    if (m_plan.scenarios.at(m_index).step == s("discovery")) {
        judgeDiscovery(DiscoveryOutcome::from(result.plan.url, result.exchange));
        return;
    }
    m_current.httpStatus = result.exchange.status;
    m_current.responseBody = result.exchange.responseBody;
    m_current.responseContentType = result.exchange.responseHeader("Content-Type").toLatin1();
    m_current.got = describeOutcome(result.outcome);
    // The register step's client is what the later lifecycle steps act on.
    if (m_plan.scenarios.at(m_index).step == s("register") &&
        !result.outcome.clientId().isEmpty()) {
        m_clientId = result.outcome.clientId();
        m_clientUri = QUrl(result.outcome.client.value(s("registration_client_uri")).toString());
        m_registrationAccessToken =
            result.outcome.client.value(s("registration_access_token")).toString();
        m_lastBearer.clear();
        forgetClientSecret();
    }
    // #21.18: the client_secret the bank issued to the run's client (RFC 7591 3.2.1), or a new
    // one an update gave (RFC 7592 2.2): the lifecycle steps authenticate with it when the
    // profile says client_secret_basic / _post. Memory only; every view of the answer masks it.
    const QString step = m_plan.scenarios.at(m_index).step;
    if ((step == s("register") || step == s("update")) && result.outcome.clientId() == m_clientId &&
        !m_clientId.isEmpty()) {
        const QString secret = result.outcome.client.value(s("client_secret")).toString();
        if (!secret.isEmpty()) {
            forgetClientSecret();
            m_clientSecret = secret.toUtf8();
        }
    }
    auto why = m_expectation.mismatch(result.outcome);
    if (!why && m_expectation.registrationAccessTokenUnchanged)
        why = ratRotation(result.outcome);
    m_current.verdict = why ? Verdict::Failed : Verdict::Passed;
    m_current.reason = why.value_or(QString());
    complete(m_current);
}

std::optional<QString> TestRunner::ratRotation(const RegistrationOutcome& outcome) const {
    const QString now = outcome.client.value(s("registration_access_token")).toString();
    if (now.isEmpty() || now == m_registrationAccessToken)
        return std::nullopt;
    // Never the tokens themselves: a report is shared, and both are secrets.
    return m_registrationAccessToken.isEmpty()
               ? s("the answer carries a registration_access_token, and registration issued none")
               : s("the registration_access_token was rotated: the answer carries another than "
                   "the one issued at registration (Open Finance Brasil DCR v2 6.1-7: the server "
                   "shall not rotate it)");
}

bool TestRunner::nothingAnswered() const {
    return std::none_of(m_summary.results.begin(), m_summary.results.end(),
                        [](const ScenarioResult& r) { return r.answered(); });
}

int TestRunner::transportFailuresInARow() const {
    int failures = 0;
    for (auto it = m_summary.results.rbegin(); it != m_summary.results.rend(); ++it) {
        if (it->verdict == Verdict::Skipped)
            continue; // nothing was sent: it neither breaks nor extends the streak
        if (!it->transportFailure)
            break;
        ++failures;
    }
    return failures;
}

void TestRunner::stopIfTheAspspStoppedAnswering() {
    if (!m_summary.stopReason.isEmpty() || m_summary.results.isEmpty() ||
        !m_summary.results.last().transportFailure)
        return;
    const QString last = m_summary.results.last().got;
    // docs/user-guide.md "Test plans": the run stops at the first transport failure when nothing
    // answered.
    if (nothingAnswered()) {
        m_summary.stopReason = s("the ASPSP could not be reached (%1)").arg(last);
        return;
    }
    const int inARow = transportFailuresInARow();
    if (inARow >= kMaxConsecutiveTransportFailures)
        m_summary.stopReason = s("the ASPSP stopped answering (%1 transport failures in "
                                 "a row; the last: %2)")
                                   .arg(inARow)
                                   .arg(last);
}

void TestRunner::forgetClientSecret() {
    m_clientSecret.fill('\0'); // a secret does not linger in freed memory
    m_clientSecret.clear();
}

QString TestRunner::spoolDir() const {
    return m_session.paths().testRunsDir.isEmpty() ? QDir::tempPath()
                                                   : m_session.paths().testRunsDir;
}

ScenarioResult TestRunner::kept(const ScenarioResult& result) {
    if (m_summary.results.size() < m_detailedResultsInMemory || !m_spoolProblem.isEmpty())
        return result;
    if (!m_summary.spool) {
        auto spool = ResultDetailsSpool::create(spoolDir());
        if (!spool) { // kept whole in memory, as before #26, and said
            m_spoolProblem = spool.error().message;
            return result;
        }
        m_summary.spool = *spool;
    }
    auto index = m_summary.spool->append(result);
    if (!index) {
        m_spoolProblem = index.error().message;
        return result;
    }
    ScenarioResult compact = result;
    compact.requestClaims = {};
    compact.requestContentType.clear();
    compact.responseContentType.clear();
    compact.responseBody.clear();
    compact.spooled = *index;
    return compact;
}

void TestRunner::complete(ScenarioResult result) {
    m_summary.results << kept(result);
    stopIfTheAspspStoppedAnswering();
    ++m_index;
    emit progress(m_index, static_cast<int>(m_plan.scenarios.size()), result);
    QTimer::singleShot(0, this, &TestRunner::runNext);
}

void TestRunner::finish() {
    if (!m_running)
        return;
    m_running = false;
    forgetClientSecret();
    m_registrationAccessToken.clear();
    m_summary.finished = QDateTime::currentDateTimeUtc();
    m_summary.who = testRunner();
    // Kept for later sessions; a run that cannot be saved still has its history rows.
    if (!m_session.paths().testRunsDir.isEmpty())
        (void)saveTestRun(m_session.paths().testRunsDir, m_summary);
    // On a team history the run is shared too; when the server is away it stays in the local
    // folder, and shareProblem() says why it was not shared.
    m_shareProblem.clear();
    if (m_session.hasTeamHistory())
        if (auto shared = shareTestRunWithTeam(m_session, m_summary); !shared)
            m_shareProblem = shared.error().message;
    emit finished(m_summary);
}

} // namespace dcr
