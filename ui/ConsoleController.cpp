#include "ConsoleController.h"

#include "common/LocalFile.h"
#include "history/HistoryReader.h"
#include "jose/CertificateFile.h"
#include "jose/Jws.h"
#include "registration/BankSideChecks.h"
#include "registration/JsonRegistrationBody.h"
#include "session/EcosystemPreset.h"
#include "testplan/TeamTestRuns.h"

#include <QFile>
#include <QFileInfo>
#include <QPointer>
#include <QTimer>

namespace dcr::ui {

ConsoleController::ConsoleController(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session)
    , m_runner(new TestRunner(*session, this))
    , m_clientsRefresh(new QTimer(this))
    , m_lostCheck(new LostRegistrationCheck(session, this)) {
    connect(m_runner, &TestRunner::progress, this, &ConsoleController::testProgress);
    connect(m_runner, &TestRunner::finished, this, [this](const TestRunSummary& summary) {
        updateSendEnabled();
        emit testRunFinished(summary);
        m_clientsRefresh->start();
        if (!m_runner->shareProblem().isEmpty())
            emit notice(Notice{Notice::Level::Warning,
                               tr("Run %1 was not shared with the team (it is kept on this "
                                  "machine): %2")
                                   .arg(summary.runId, m_runner->shareProblem())});
        refreshTeamRuns(); // the team's list, with this run, from the reader thread
    });
    // The Clients view follows the history, whatever changed it (a send, a token, a row removed,
    // a test run): a burst of changes is read once.
    m_clientsRefresh->setSingleShot(true);
    m_clientsRefresh->setInterval(50);
    connect(m_clientsRefresh, &QTimer::timeout, this, &ConsoleController::refreshClients);
    connect(m_session, &Session::historyChanged, m_clientsRefresh, qOverload<>(&QTimer::start));
    connect(m_session, &Session::submissionFinished, this,
            &ConsoleController::onSubmissionFinished);
    connect(m_session, &Session::profilesChanged, this, &ConsoleController::profilesChanged);
    connect(m_session, &Session::historyNotice, this, &ConsoleController::notice);
}

void ConsoleController::start(const QString& profile) {
    // The window shows at once: a shared history connects from the reader thread.
    m_session->setConnectHistoryInBackground(true);
    const Notices notices = m_session->open();
    // Said once the event loop runs: the window that shows them is made after start() (main()
    // shows it before the profile is prepared), and a notice emitted now would reach no one.
    QMetaObject::invokeMethod(
        this,
        [this, notices] {
            for (const Notice& n : notices)
                emit notice(n);
        },
        Qt::QueuedConnection);
    if (HistoryReader* reader = m_session->historyReader())
        connect(reader, &HistoryReader::answered, this, &ConsoleController::onHistoryAnswer);
    const QString last = !profile.isEmpty()
                             ? profile
                             : m_session->settings()
                                   ->value(QStringLiteral("lastProfile"),
                                           QString::fromLatin1(Session::SandboxProfileName))
                                   .toString();
    selectProfile(m_session->profile(last) ? last
                                           : QString::fromLatin1(Session::SandboxProfileName));
}

void ConsoleController::selectProfile(const QString& name) {
    auto p = m_session->profile(name);
    if (!p)
        return;
    m_profile = *p;
    m_ssaKey.reset();
    m_supported.clear();
    m_alg.reset();
    m_session->settings()->setValue(QStringLiteral("lastProfile"), name);
    setReady(false);
    emit profileSelected();
    emit profileChanged();
    // Off the path to the first shown window: a first start creates the sandbox kit (key
    // generation) and every start opens keys and a TLS listener.
    QTimer::singleShot(0, this, &ConsoleController::prepareProfile);
}

void ConsoleController::prepareProfile() {
    // A name in the settings this version cannot read: said now, and nothing is sent with it.
    if (auto readable = m_profile.readable(); !readable)
        emit notice({Notice::Level::Error,
                     tr("This profile cannot be used: %1").arg(readable.error().message)});
    if (m_profile.embeddedSandbox) {
        if (auto ok = m_session->startSandbox(m_profile.sandboxMode); !ok)
            emit notice({Notice::Level::Error,
                         tr("The local sandbox could not start: %1").arg(ok.error().message)});
        if (const auto& kit = m_session->sandboxKit())
            m_ssaKey =
                VerificationKey::fromJwks(JwkSet::single(kit->directoryKey(), kit->directoryKid()));
    }
    if (!m_profile.signingKeyPath.isEmpty() && QFile::exists(m_profile.signingKeyPath))
        if (auto key = m_session->loadSigningKey(m_profile.signingKeyPath); !key)
            emit notice(
                {Notice::Level::Warning,
                 tr("The profile's signing key is not loaded: %1").arg(key.error().message)});
    if (m_request.claims().isEmpty() || m_profile.embeddedSandbox)
        m_request = defaultRequest();
    // A profile made from an ecosystem preset fills the claims that ecosystem fixes, where the
    // form has none yet (never overwriting what the user typed).
    if (const EcosystemPreset* preset = findEcosystemPreset(m_profile.preset))
        m_request = RegistrationRequest(preset->fillDefaults(m_request.claims()));
    setReady(true);
    emit profileChanged();
    emit signingKeyChanged();
    emit profileReady();
    emit requestChanged();
    emit ssaVerificationChanged();
    if (isInspecting())
        emit inspectionChanged();
}

bool ConsoleController::sandboxRunning() const {
    return m_session->sandboxRunning(m_profile.sandboxMode);
}

// The rules of the profile's spec, its trusted directory, aud and (loaded) transport certificate.
Preflight ConsoleController::preflight() const {
    return Preflight(m_session->preflightOptions(m_profile, m_supported));
}

void ConsoleController::setReady(bool ready) {
    m_ready = ready;
    updateSendEnabled();
}

void ConsoleController::updateSendEnabled() {
    if (canSend() != m_lastSendEnabled) {
        m_lastSendEnabled = canSend();
        emit sendEnabledChanged(m_lastSendEnabled);
    }
}

Status ConsoleController::saveProfile(const Profile& profile) {
    if (auto saved = m_session->saveProfile(profile); !saved)
        return saved;
    if (profile.name == m_profile.name)
        selectProfile(profile.name);
    return {};
}

void ConsoleController::removeProfile(const QString& name) {
    if (name == QString::fromLatin1(Session::SandboxProfileName))
        return;
    m_session->removeProfile(name);
    if (name == m_profile.name)
        selectProfile(QString::fromLatin1(Session::SandboxProfileName));
}

Status ConsoleController::loadSigningKey(const QString& path) {
    auto material = m_session->loadSigningKey(path, m_profile.pkcs11Module);
    if (!material)
        return material.error();
    m_profile.signingKeyPath = path; // for this session; the saved profile is unchanged
    m_profile.signingKid.clear();    // the thumbprint of the new key
    m_alg.reset();
    emit signingKeyChanged();
    emit requestChanged();
    return {};
}

Result<SigningSetup> ConsoleController::signingSetup(KeyPrompt prompt) {
    return m_session->signingSetup(m_profile, m_alg, prompt);
}

void ConsoleController::setSigningAlgorithm(JwsAlgorithm alg) {
    m_alg = alg;
    emit signingKeyChanged();
    emit requestChanged();
}

void ConsoleController::setRequest(const RegistrationRequest& request) {
    m_request = request;
    emit requestChanged();
}

RegistrationRequest ConsoleController::defaultRequest() const {
    if (m_profile.embeddedSandbox && m_session->sandboxKit())
        return m_session->sandboxKit()->draftRequest(m_profile.sandboxMode,
                                                     QDateTime::currentDateTimeUtc());
    RegistrationRequest r;
    r.setString(QStringLiteral("aud"), m_profile.aud);
    r.setStringList(QStringLiteral("grant_types"),
                    {QStringLiteral("client_credentials"), QStringLiteral("authorization_code"),
                     QStringLiteral("refresh_token")});
    r.setStringList(QStringLiteral("response_types"), {QStringLiteral("code")});
    r.setString(QStringLiteral("token_endpoint_auth_method"), QStringLiteral("tls_client_auth"));
    r.setString(QStringLiteral("jti"), newUuidV4());
    return r;
}

ClaimsPolicy ConsoleController::claimsPolicy() const {
    ClaimsPolicy policy;
    policy.refreshTimes = true;
    policy.lifetimeSeconds = m_lifetime;
    policy.freshJti = true;
    return policy;
}

void ConsoleController::setSsaVerificationKey(const std::optional<VerificationKey>& key) {
    (isInspecting() ? m_inspectSsaKey : m_ssaKey) = key;
    emit ssaVerificationChanged();
    if (isInspecting())
        emit inspectionChanged();
    else
        emit requestChanged();
}

SignatureVerdict ConsoleController::ssaVerdict(const Jws& ssa) const {
    return verifySoftwareStatement(ssa, isInspecting() ? m_inspectSsaKey : m_ssaKey);
}

void ConsoleController::setSupportedValues(const SupportedValues& values) {
    m_supported = values;
    emit requestChanged();
}

InspectionOptions ConsoleController::inspectionOptions() const {
    InspectionOptions options;
    options.ssaKey = m_ssaKey;
    options.supported = m_supported;
    return options;
}

RequestBodyFormat ConsoleController::bodyFormat() const {
    return m_profile.bodyFormat;
}

ConsoleController::Preview ConsoleController::preview() {
    Preview p;
    p.format = bodyFormat();
    // On the embedded Open Finance Brasil and CDR sandboxes every send carries a freshly minted
    // SSA (Session::softwareStatementMinter): the preview shows one too, so a draft kept open
    // longer than the SSA's window is not reported stale when what is sent never is.
    RegistrationRequest draft = m_request;
    if (const auto mint = m_session->softwareStatementMinter(m_profile);
        mint && draft.has(QStringLiteral("software_statement")))
        draft.setString(QStringLiteral("software_statement"), mint(draft.softwareStatement()));
    if (p.format == RequestBodyFormat::Json) {
        // RFC 7591 §3.1: the metadata as it would be sent, without the JWT envelope. Preflight
        // reads the draft, so envelope claims still in the form are named as left out
        // (json-jwt-claim); at send time it reads the plan's bytes.
        p.token = JsonRegistrationBody::encode(draft.claims());
        p.inspection = inspectRequest(draft, std::nullopt, inspectionOptions(), preflight());
        return p;
    }
    const RegistrationRequest claims =
        finaliseClaims(draft, claimsPolicy(), m_profile.aud, QDateTime::currentDateTimeUtc());
    std::optional<Jws> jws;
    // Refreshed while the user types: a key still locked stays locked (a passphrase declined once
    // is not asked again on every keystroke); Send, or File → Load signing key, unlocks it.
    if (auto signing = signingSetup(KeyPrompt::Never)) {
        p.token = signClaims(claims, *signing); // as planRegistration signs it
        if (p.token)
            if (auto parsed = Jws::parse(*p.token))
                jws = *parsed;
    } else if (signing.error().kind == ErrorKind::KeyPassphraseRequired) {
        p.token = Error{signing.error().kind,
                        tr("The signing key is locked, so nothing is signed yet: Send asks for "
                           "its passphrase or PIN. (%1)")
                            .arg(signing.error().message)};
    } else {
        p.token = signing.error();
    }
    // Preflight reads the token's own claims when there is one: what is checked is what is shown.
    p.inspection = inspectRequest(jws ? RegistrationRequest(jws->claims()) : claims, jws,
                                  inspectionOptions(), preflight());
    return p;
}

Result<SubmissionPlan> ConsoleController::planSend() {
    if (isSending())
        return Error{ErrorKind::SessionBusy, tr("A request is already being sent.")};
    if (!m_ready)
        return Error{ErrorKind::SessionNotReady, tr("The profile is still being prepared.")};
    return m_session->planRegistration(m_request, m_profile, claimsPolicy(), m_alg);
}

RequestInspection ConsoleController::inspectPlan(const SubmissionPlan& plan) const {
    std::optional<Jws> jws;
    if (auto parsed = Jws::parse(plan.requestJwt))
        jws = *parsed;
    return inspectRequest(RegistrationRequest(plan.claims), jws, inspectionOptions(), preflight());
}

Status ConsoleController::send(const SubmissionPlan& plan,
                               std::function<bool(const Notice&)> confirm) {
    if (isSending())
        return Error{ErrorKind::SessionBusy, tr("A request is already being sent.")};
    // Busy from now on, before anything is read: Send is off and Cancel applies at once.
    setSendState(SendState::Checking);
    m_lostCheck->start(plan, [this, plan, confirm](const LostRegistrationCheck::Finding& found) {
        onLostChecked(plan, confirm, found);
    });
    return {};
}

void ConsoleController::onLostChecked(const SubmissionPlan& plan,
                                      const std::function<bool(const Notice&)>& confirm,
                                      const LostRegistrationCheck::Finding& finding) {
    if (finding.mustAsk()) {
        QPointer<ConsoleController> self(this);
        const bool again = confirm({Notice::Level::Warning, finding.text});
        // The question may run an event loop: the window closed, or Cancel, meanwhile.
        if (!self || m_sendState != SendState::Checking)
            return;
        if (!again) {
            setSendState(SendState::Idle);
            return;
        }
    }
    if (auto sent = submit(plan); !sent) {
        setSendState(SendState::Idle);
        emit notice({Notice::Level::Error, tr("Not sent: %1").arg(sent.error().message)});
        emit sendFailed(sent.error().message);
    }
}

Status ConsoleController::submit(const SubmissionPlan& plan) {
    auto id = m_session->submit(plan);
    if (!id)
        return id.error();
    m_inFlight = *id;
    setSendState(SendState::Sending);
    emit sendStarted();
    return {};
}

void ConsoleController::setSendState(SendState state) {
    if (state == m_sendState)
        return;
    m_sendState = state;
    updateSendEnabled();
    emit sendStateChanged(state);
}

void ConsoleController::cancelSend() {
    switch (m_sendState) {
    case SendState::Idle:
        return;
    case SendState::Checking:
        m_lostCheck->cancel(); // its answer, when it comes, sends nothing
        setSendState(SendState::Idle);
        emit notice({Notice::Level::Info,
                     tr("Cancelled: nothing was sent (the history was still being checked for "
                        "an earlier attempt of this registration).")});
        return;
    case SendState::Sending:
        m_session->cancel(m_inFlight); // sendFinished follows, saying it was cancelled
        return;
    }
}

void ConsoleController::onSubmissionFinished(quint64 id, const SubmissionResult& result) {
    if (m_sendState != SendState::Sending || id != m_inFlight)
        return;
    m_inFlight = 0;
    setSendState(SendState::Idle);
    if (!result.historyError.isEmpty())
        emit notice(
            {Notice::Level::Error,
             tr("The answer could not be recorded in the history: %1").arg(result.historyError)});
    emit sendFinished(result);
}

Result<RequestInspection> ConsoleController::startInspection(const QByteArray& jwt) {
    InspectionOptions options;
    options.inspectBrokenSignature = true;
    auto first = inspectRequest(jwt, false, options, Preflight());
    if (!first)
        return first.error();
    m_received = jwt;
    m_target = InspectionTarget::guessedFor(first->input.request);
    m_softwareJwks.reset();  // fetched for another request's SSA
    m_inspectSsaKey.reset(); // a received SSA is verified with a key given for it, or not at all
    emit ssaVerificationChanged();
    return inspection();
}

void ConsoleController::endInspection() {
    if (!isInspecting())
        return;
    m_received.clear();
    m_inspectSsaKey.reset();
    m_softwareJwks.reset();
    emit ssaVerificationChanged();
}

void ConsoleController::setInspectionTarget(const InspectionTarget& target) {
    m_target = target;
    emit inspectionChanged();
}

Result<RequestInspection> ConsoleController::inspection() const {
    if (!isInspecting())
        return Error{ErrorKind::SessionNotReady, tr("no received request is being inspected")};
    InspectionOptions options;
    options.ssaKey = m_inspectSsaKey;
    options.inspectBrokenSignature = true;
    options.requestKeysFromSsa = true; // as the bank checks it
    options.fetchedSoftwareJwks = m_softwareJwks;
    return inspectRequest(m_received, false, options, Preflight(m_target.preflightOptions()));
}

QList<BankCheck> ConsoleController::bankChecks(const RequestInspection& inspection) const {
    return BankSideChecks::run(inspection, m_target.preflightOptions(),
                               QDateTime::currentDateTimeUtc());
}

Status ConsoleController::fetchSoftwareJwks() {
    auto inspected = inspection();
    if (!inspected)
        return inspected.error();
    auto url = BankSideChecks::softwareJwksEndpoint(*inspected);
    if (!url) {
        emit notice({Notice::Level::Error,
                     tr("software_jwks_endpoint not fetched: %1").arg(url.error().message)});
        return url.error();
    }
    QPointer<ConsoleController> self(this);
    const QByteArray received = m_received;
    // A URL from a received file: fetched anonymously over verified TLS, never with the
    // profile's identity, extra CAs or insecure flag.
    m_session->fetchJwksAnonymously(*url, [self, received](const Result<JwkSet>& jwks) {
        if (!self || self->m_received != received) // closed, or another request since
            return;
        if (!jwks) {
            emit self->notice(
                {Notice::Level::Error,
                 tr("software_jwks_endpoint not fetched: %1").arg(jwks.error().message)});
            return;
        }
        self->m_softwareJwks = *jwks;
        emit self->inspectionChanged();
    });
    return {};
}

Status ConsoleController::useTransportCertificate(const QString& path) {
    auto certificate = certificateFromFile(path);
    if (!certificate) {
        emit notice({Notice::Level::Error,
                     tr("Not compared with a certificate: %1").arg(certificate.error().message)});
        return certificate.error();
    }
    m_target.transportCertificate = *certificate;
    m_target.certificateSource = QFileInfo(path).fileName();
    emit inspectionChanged();
    return {};
}

void ConsoleController::manageClient(RegistrationOperation operation, const QString& clientId) {
    auto fail = [this](const QString& text) { emit notice({Notice::Level::Error, text}); };
    if (clientId.isEmpty())
        return fail(tr("Select a client first."));
    if (isSending())
        return fail(tr("A request is already being sent."));
    QByteArray signedRequest;
    if (operation == RegistrationOperation::Update) {
        auto plan = planSend(); // the form's claims, signed once
        if (!plan)
            return fail(tr("Not updated: %1").arg(plan.error().message));
        signedRequest = plan->body; // a signed JWT, or JSON metadata (json profiles)
    }
    auto proceed = [self = QPointer<ConsoleController>(this), operation, clientId,
                    signedRequest](const QByteArray& bearer) {
        if (!self)
            return;
        auto plan = self->m_session->planClientOperation(self->m_profile, operation, clientId,
                                                         bearer, signedRequest);
        if (self->isSending()) { // a Send started while the token was fetched
            emit self->notice(
                {Notice::Level::Error, tr("Not sent: a request is already being sent.")});
            return;
        }
        Status ok = plan ? self->submit(*plan) : Status(plan.error());
        if (!ok)
            emit self->notice({Notice::Level::Error, tr("Not sent: %1").arg(ok.error().message)});
    };
    auto bearer = m_session->lifecycleBearer(m_profile, clientId);
    if (!bearer)
        return fail(tr("No access token: %1").arg(bearer.error().message));
    if (!bearer->tokenRequest) // RFC 7592: the registration access token
        return proceed(bearer->registrationAccessToken);
    m_session->requestToken(
        m_profile, *bearer->tokenRequest,
        [self = QPointer<ConsoleController>(this), proceed](const TokenResult& t) {
            if (!self)
                return;
            emit self->tokenReceived(t); // a refused token shows there
            if (auto token = Session::lifecycleAccessToken(t))
                proceed(*token);
        });
}

void ConsoleController::refreshClients() {
    HistoryReader* reader = m_session->historyReader();
    if (!reader) {
        emit clientsFailed(
            tr("The history at %1 is unavailable.").arg(m_session->historyLocation()));
        return;
    }
    // The rows naming a client and those of registrations whose answer was lost, read together.
    m_clientsTicket = reader->requestRecords(HistoryLane::Clients,
                                             [profile = m_profile.name](HistoryStore& store) {
                                                 return clientsViewRows(store, profile);
                                             });
    emit clientsLoading();
}

bool ConsoleController::refreshTeamRuns() {
    HistoryReader* reader = m_session->historyReader();
    if (!reader || !m_session->hasTeamHistory())
        return false;
    m_teamRunsTicket = reader->requestTeamRuns(HistoryLane::TeamRuns, 200);
    return true;
}

void ConsoleController::refreshTeamProfiles() {
    HistoryReader* reader = m_session->historyReader();
    if (!reader || !m_session->hasTeamHistory()) {
        emit teamProfilesFailed(tr("Profiles are shared through a team (PostgreSQL) history; "
                                   "this history is %1.")
                                    .arg(m_session->historyLocation()));
        return;
    }
    m_teamProfilesTicket = reader->requestTeamProfiles(HistoryLane::TeamProfiles);
}

void ConsoleController::onHistoryAnswer(const HistoryAnswer& answer) {
    const QString why = answer.error() ? answer.error()->message : tr("no answer");
    if (answer.ticket != 0 && answer.ticket == m_teamRunsTicket) {
        m_teamRunsTicket = 0;
        if (!answer.teamRuns()) {
            emit teamRunsFailed(tr("The team's runs could not be read: %1").arg(why));
            return;
        }
        QStringList problems;
        const QList<TestRunSummary> team = summariesOfTeamRuns(*answer.teamRuns(), &problems);
        for (const QString& problem : problems)
            emit notice(Notice{Notice::Level::Warning, problem});
        emit testRunsLoaded(mergeTestRuns(savedTestRuns(), team));
        return;
    }
    if (answer.ticket != 0 && answer.ticket == m_teamProfilesTicket) {
        m_teamProfilesTicket = 0;
        if (answer.teamProfiles())
            emit teamProfilesLoaded(*answer.teamProfiles());
        else
            emit teamProfilesFailed(tr("The team's profiles could not be read: %1").arg(why));
        return;
    }
    if (answer.ticket != m_clientsTicket)
        return;
    m_clientsTicket = 0;
    if (!answer.records())
        emit clientsFailed(tr("The registered clients could not be read from the history: %1")
                               .arg(answer.error() ? answer.error()->message : tr("no answer")));
    else
        emit clientsLoaded(deriveRegisteredClients(*answer.records()),
                           findLostRegistrations(*answer.records())); // the rows are the profile's
}

void ConsoleController::requestClientToken(const QString& clientId) {
    auto spec = m_session->tokenRequestFor(m_profile, clientId);
    if (!spec) {
        emit notice({Notice::Level::Error, tr("No access token: %1").arg(spec.error().message)});
        return;
    }
    m_session->requestToken(m_profile, *spec,
                            [self = QPointer<ConsoleController>(this)](const TokenResult& t) {
                                if (self)
                                    emit self->tokenReceived(t);
                            });
}

Status ConsoleController::loadTestPlan(const QString& path) {
    auto plan = TestPlan::load(path);
    if (!plan)
        return plan.error();
    m_plan = *plan;
    return {};
}

Status ConsoleController::runTestPlan(const QStringList& scenarioIds) {
    if (isSending() || isTestRunning())
        return Error{ErrorKind::SessionBusy, tr("A request or a test run is already in flight.")};
    if (!m_ready)
        return Error{ErrorKind::SessionNotReady, tr("The profile is still being prepared.")};
    TestPlan selected{m_plan.name, {}};
    for (const TestScenario& s : m_plan.scenarios)
        if (scenarioIds.contains(s.id))
            selected.scenarios << s;
    if (selected.scenarios.isEmpty())
        return Error{ErrorKind::InputUnreadable, tr("No scenario is checked.")};
    TestRunOptions options;
    options.alg = m_alg;
    if (auto ok = m_runner->start(selected, m_profile, m_request, options); !ok)
        return ok;
    updateSendEnabled();
    emit testRunStarted(static_cast<int>(selected.scenarios.size()));
    if (!m_runner->sweepProblem().isEmpty()) // an ended run's leftovers; this run goes on
        emit notice(Notice{Notice::Level::Warning, m_runner->sweepProblem()});
    return {};
}

void ConsoleController::fetchDiscovery() {
    m_session->fetchDiscovery(
        m_profile, [self = QPointer<ConsoleController>(this)](const DiscoveryOutcome& o) {
            if (!self)
                return;
            if (o.document)
                self->setSupportedValues(o.document->supported);
            emit self->discoveryFetched(o);
        });
}

void ConsoleController::fetchJwks(const QUrl& url,
                                  std::function<void(const Result<JwkSet>&)> callback) {
    m_session->fetchJwks(m_profile, url, std::move(callback));
}

} // namespace dcr::ui
