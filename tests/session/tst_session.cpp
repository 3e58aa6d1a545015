// The Session façade on its own, as both front ends use it: what it refuses before open(), the
// settings and sandbox profiles open() makes, a registration planned, sent to the embedded
// sandbox and recorded (or deliberately not), sending refused without a history, key and
// transport material loaded once with one passphrase prompt (and preflight never asking), and the
// history location setting.
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/JwsSigner.h"
#include "jose/KeyMaterial.h"
#include "registration/SoftwareStatement.h"
#include "sandbox/SandboxKit.h"
#include "session/KeyUnlocker.h"
#include "session/Session.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

// Answers every prompt with the same passphrase (nothing: declines), and counts the prompts.
class CountingPassphrases : public PassphraseSource {
public:
    explicit CountingPassphrases(std::optional<QByteArray> answer)
        : m_answer(std::move(answer)) {}
    std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) override {
        prompts << prompt;
        return m_answer;
    }
    QList<PassphrasePrompt> prompts;

private:
    std::optional<QByteArray> m_answer;
};

template <typename T> QString errorOf(const Result<T>& r) {
    return r ? QString() : r.error().message;
}

} // namespace

class TestSession : public QObject {
    Q_OBJECT

    static SubmissionResult submitAndWait(Session& session, const SubmissionPlan& plan,
                                          bool record) {
        QSignalSpy finished(&session, &Session::submissionFinished);
        auto id = session.submit(plan, record);
        if (!id)
            qFatal("submit: %s", qPrintable(id.error().message));
        if (!finished.wait(30000))
            qFatal("no answer");
        if (session.isPending(*id))
            qFatal("still pending after its answer");
        return finished.first().at(1).value<SubmissionResult>();
    }

    // A registration for the seed sandbox, planned by the session.
    static SubmissionPlan seedPlan(Session& session) {
        if (!session.startSandbox(SandboxMode::Seed))
            qFatal("sandbox did not start");
        const Profile profile = *session.profile(QString::fromLatin1(Session::SandboxProfileName));
        auto plan = session.planRegistration(
            session.sandboxKit()->demoRequest(QDateTime::currentDateTimeUtc()), profile, {});
        if (!plan)
            qFatal("plan: %s", qPrintable(plan.error().message));
        return *plan;
    }

private slots:
    void beforeOpenNothingIsSentOrStored() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        QVERIFY(!session.hasHistory());
        auto sent = session.submit(SubmissionPlan{});
        QVERIFY(!sent);
        QCOMPARE(sent.error().kind, ErrorKind::SessionNotReady);
        const Status setting = session.setHistoryLocationSetting(QStringLiteral("x.sqlite"));
        QVERIFY(!setting);
        QCOMPARE(setting.error().kind, ErrorKind::SessionNotReady);
        auto count = session.historyCount();
        QVERIFY(!count);
        QCOMPARE(count.error().kind, ErrorKind::StorageUnavailable);
        QVERIFY(session.profiles().isEmpty());
        QCOMPARE(session.historyConnection(), HistoryStore::Connection::Connected);
        QCOMPARE(session.loginRetryMs(), 0);
        QCOMPARE(session.unsharedCount(), 0);
    }

    // The settings are the owner's only; the two sandbox profiles are there, and a user's edit
    // of one survives the next open.
    void openMakesPrivateSettingsAndTheSandboxProfiles() {
        QTemporaryDir home;
        const AppPaths paths = AppPaths::under(home.path());
        {
            Session session(paths);
            for (const Notice& n : session.open())
                QVERIFY2(n.level != Notice::Level::Error, qPrintable(n.text));
            QVERIFY(session.hasHistory());
            QCOMPARE(QFile::permissions(paths.settingsFile) & 0x0077, QFileDevice::Permissions());
            auto seed = session.profile(QString::fromLatin1(Session::SandboxProfileName));
            QVERIFY(seed);
            QVERIFY(seed->embeddedSandbox);
            QCOMPARE(seed->specVersion, SpecVersion::Seed);
            auto obie = session.profile(QString::fromLatin1(Session::ObieSandboxProfileName));
            QVERIFY(obie);
            QCOMPARE(obie->specVersion, SpecVersion::Obie33);
            QCOMPARE(obie->tokenAuthMethod, ClientAuthMethod::TlsClientAuth);
            // Issue #24: Open Finance Brasil (JSON body, the RAT) and the CDR (a cdr:registration
            // token by private_key_jwt), each on its own embedded sandbox.
            auto ofb = session.profile(QString::fromLatin1(Session::OfbSandboxProfileName));
            QVERIFY(ofb && ofb->embeddedSandbox);
            QCOMPARE(ofb->sandboxMode, SandboxMode::Ofb);
            QCOMPARE(ofb->specVersion, SpecVersion::Ofb);
            QCOMPARE(ofb->bodyFormat, RequestBodyFormat::Json);
            QCOMPARE(ofb->lifecycleAuth, LifecycleAuth::Rfc7592);
            auto cdr = session.profile(QString::fromLatin1(Session::CdrSandboxProfileName));
            QVERIFY(cdr && cdr->embeddedSandbox);
            QCOMPARE(cdr->sandboxMode, SandboxMode::Cdr);
            QCOMPARE(cdr->specVersion, SpecVersion::Cdr);
            QCOMPARE(cdr->bodyFormat, RequestBodyFormat::Jwt);
            QCOMPARE(cdr->lifecycleAuth, LifecycleAuth::Cdr);
            QCOMPARE(cdr->tokenAuthMethod, ClientAuthMethod::PrivateKeyJwt);
            QSignalSpy changed(&session, &Session::profilesChanged);
            obie->aud = QStringLiteral("edited-aud");
            QVERIFY(session.saveProfile(*obie));
            QCOMPARE(changed.count(), 1);
            // A name with control characters is refused and nothing changes.
            Profile bad = *obie;
            bad.name = QStringLiteral("bad\nname");
            QVERIFY(!session.saveProfile(bad));
            QCOMPARE(changed.count(), 1);
        }
        Session again(paths);
        again.open();
        QCOMPARE(again.profile(QString::fromLatin1(Session::ObieSandboxProfileName))->aud,
                 QStringLiteral("edited-aud"));
        QCOMPARE(again.profiles().size(), 4);
        again.removeProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QVERIFY(!again.profile(QString::fromLatin1(Session::ObieSandboxProfileName)));
    }

    // The embedded Open Finance Brasil sandbox refreshes its own kit's SSA on every send (DCR 1.0
    // §7.1-3: at most 5 minutes old), and only that one: an SSA the user brought (another
    // directory's, or the kit's deliberately old one signed elsewhere) is sent as given, so the
    // sandbox's refusal of it can be shown.
    void onlyTheKitsOwnSsaIsRefreshed() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        const auto ofb = session.profile(QString::fromLatin1(Session::OfbSandboxProfileName));
        QVERIFY(ofb);
        const auto mint = session.softwareStatementMinter(*ofb);
        QVERIFY(mint);
        QVERIFY(session.sandboxKit());
        const SandboxKit& kit = *session.sandboxKit();
        const QDateTime old = QDateTime::currentDateTimeUtc().addSecs(-3600);
        const QString stale =
            QString::fromLatin1(*kit.mintSoftwareStatement(SandboxMode::Ofb, old));
        const QString fresh = mint(stale);
        QVERIFY(fresh != stale);
        const auto freshIat = SoftwareStatement::decode(fresh.toLatin1())->issuedAt();
        QVERIFY(freshIat && freshIat->secsTo(QDateTime::currentDateTimeUtc()) < 60);
        // Another directory's SSA (a key the kit does not hold), and text that is no SSA at all.
        auto otherKey = Key::generateRsa(2048);
        QVERIFY(otherKey);
        const QString foreign = QString::fromLatin1(*JwsSigner::signClaims(
            kit.ofbSoftwareStatementClaims(old), *otherKey, {JwsAlgorithm::PS256, "other", {}}));
        QCOMPARE(mint(foreign), foreign);
        QCOMPARE(mint(QStringLiteral("not an ssa")), QStringLiteral("not an ssa"));
        // A profile of a real bank gets no minter at all.
        Profile bank = *ofb;
        bank.embeddedSandbox = false;
        QVERIFY(!session.softwareStatementMinter(bank));
    }

    // Planned, signed once, sent to the embedded sandbox, recorded from the exact bytes.
    void aRegistrationIsSentAndRecorded() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        const SubmissionPlan plan = seedPlan(session);
        QCOMPARE(plan.operation, RegistrationOperation::Register);
        QCOMPARE(plan.url, session.registrationEndpoint(
                               *session.profile(QString::fromLatin1(Session::SandboxProfileName))));
        QSignalSpy historyChanged(&session, &Session::historyChanged);
        const SubmissionResult result = submitAndWait(session, plan, true);
        QVERIFY(historyChanged.count() >= 2); // the "sending" row, then its answer
        QVERIFY2(
            result.exchange.completed(),
            qPrintable(result.exchange.failure ? result.exchange.failure->message : QString()));
        QVERIFY2(outcomeIsSuccess(result.outcome.kind), qPrintable(result.outcome.explanation));
        QCOMPARE(result.exitCode(), 0);
        QVERIFY(result.historyId > 0);
        QCOMPARE(*session.historyCount(), 1);
        auto record = session.historyRecord(result.historyId);
        QVERIFY(record);
        QCOMPARE(record->requestJwt, plan.body);
        QCOMPARE(record->state, QStringLiteral("completed"));
        QCOMPARE(record->profile, QString::fromLatin1(Session::SandboxProfileName));
        // A note, then the row removed: the views hear of each change.
        QVERIFY(session.setHistoryNote(result.historyId, QStringLiteral("first"), {}));
        QCOMPARE(session.historyRecord(result.historyId)->note, QStringLiteral("first"));
        QVERIFY(session.removeHistory({result.historyId}));
        QCOMPARE(*session.historyCount(), 0);
    }

    // dcrctl --no-history: sent, nothing kept.
    void anUnrecordedSendKeepsNothing() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        const SubmissionResult result = submitAndWait(session, seedPlan(session), false);
        QVERIFY(result.exchange.completed());
        QCOMPARE(result.historyId, 0);
        QCOMPARE(*session.historyCount(), 0);
    }

    // A history that cannot open: the session stays usable, but only an unrecorded send goes.
    void withoutAHistoryOnlyAnUnrecordedSendGoes() {
        QTemporaryDir home;
        AppPaths paths = AppPaths::under(home.path());
        test::writeFile(home.filePath(QStringLiteral("blocker")), "a file, not a folder");
        paths.historyDb = home.filePath(QStringLiteral("blocker/history.sqlite"));
        paths.historyDbIsDefault = false;
        Session session(paths);
        QStringList errors;
        for (const Notice& n : session.open())
            if (n.level == Notice::Level::Error)
                errors << n.text;
        QCOMPARE(errors.size(), 1);
        QVERIFY2(errors.first().contains(QStringLiteral("unavailable, so sending is disabled")),
                 qPrintable(errors.first()));
        QVERIFY(!session.hasHistory());
        const SubmissionPlan plan = seedPlan(session);
        auto refused = session.submit(plan);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::StorageUnavailable);
        QVERIFY2(refused.error().message.startsWith(
                     QStringLiteral("not sent, because every attempt must be recorded")),
                 qPrintable(refused.error().message));
        const SubmissionResult sent = submitAndWait(session, plan, false);
        QVERIFY(sent.exchange.completed());
        QVERIFY(!session.registeredClients());
    }

    // A passphrase-protected signing key is asked for once per session; its algorithm follows
    // the key (PS256 for RSA, ES256 for EC) and its kid is its thumbprint unless the profile
    // names one.
    void aSigningKeyIsUnlockedOnce() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        CountingPassphrases pass(QByteArray("right"));
        session.setPassphraseSource(&pass);
        auto rsa = Key::generateRsa(2048);
        QVERIFY(rsa);
        const QString rsaPath = home.filePath(QStringLiteral("rsa.pem"));
        test::writeFile(rsaPath, rsa->privateEncryptedPem("right"));
        Profile p;
        p.name = QStringLiteral("bank");
        p.signingKeyPath = rsaPath;
        auto first = session.signingSetup(p);
        QVERIFY2(first, qPrintable(errorOf(first)));
        QCOMPARE(first->alg, JwsAlgorithm::PS256);
        QCOMPARE(first->kid, jwk::thumbprint(*rsa));
        QCOMPARE(pass.prompts.size(), 1);
        QCOMPARE(pass.prompts.first().purpose, PassphrasePrompt::Purpose::SigningKey);
        p.signingKid = QStringLiteral("kid-1");
        auto second = session.signingSetup(p);
        QVERIFY(second);
        QCOMPARE(second->kid, QStringLiteral("kid-1"));
        QCOMPARE(pass.prompts.size(), 1); // kept in memory: not asked again

        auto ec = Key::generateEcP256();
        QVERIFY(ec);
        const QString ecPath = home.filePath(QStringLiteral("ec.pem"));
        test::writeFile(ecPath, ec->privatePkcs8Pem());
        p.signingKeyPath = ecPath;
        auto es = session.signingSetup(p);
        QVERIFY(es);
        QCOMPARE(es->alg, JwsAlgorithm::ES256);
        QCOMPARE(pass.prompts.size(), 1); // not encrypted: nobody asked
        QCOMPARE(session.signingSetup(p, JwsAlgorithm::PS256).ok(), true);
    }

    void signingKeyFailuresSayWhy() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        Profile p;
        p.name = QStringLiteral("bank");
        auto none = session.signingSetup(p);
        QVERIFY(!none);
        QCOMPARE(none.error().kind, ErrorKind::SessionNoSigningKey);
        p.signingKeyPath = home.filePath(QStringLiteral("missing.pem"));
        QVERIFY(!session.signingSetup(p));
        // Declined: no key, and the next try asks again (nothing was cached).
        auto rsa = Key::generateRsa(2048);
        QVERIFY(rsa);
        p.signingKeyPath = home.filePath(QStringLiteral("rsa.pem"));
        test::writeFile(p.signingKeyPath, rsa->privateEncryptedPem("right"));
        CountingPassphrases declined(std::nullopt);
        session.setPassphraseSource(&declined);
        auto refused = session.signingSetup(p);
        QVERIFY(!refused);
        QCOMPARE(refused.error().kind, ErrorKind::KeyPassphraseRequired);
        QCOMPARE(declined.prompts.size(), 1);
        // A wrong passphrase is asked again, KeyUnlocker::FilePassphrasePrompts times at most.
        CountingPassphrases wrong(QByteArray("wrong"));
        session.setPassphraseSource(&wrong);
        auto mistyped = session.loadSigningKey(p.signingKeyPath);
        QVERIFY(!mistyped);
        QCOMPARE(mistyped.error().kind, ErrorKind::KeyWrongPassphrase);
        QCOMPARE(wrong.prompts.size(), KeyUnlocker::FilePassphrasePrompts);
        QVERIFY(wrong.prompts.last().retry);
    }

    // The transport key is unlocked once for every profile naming the same files; preflight
    // shows the certificate only once it is loaded, and never asks.
    void transportMaterialIsLoadedOnceAndPreflightNeverAsks() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        QVERIFY(session.startSandbox(SandboxMode::Seed));
        const SandboxKit& kit = *session.sandboxKit();
        auto clear =
            keyloader::load(test::readFile(kit.path(QStringLiteral("tpp-transport-key.pem"))));
        QVERIFY(clear);
        Profile p = *session.profile(QString::fromLatin1(Session::SandboxProfileName));
        p.name = QStringLiteral("locked transport");
        p.embeddedSandbox = false;
        p.transportKeyPath = home.filePath(QStringLiteral("transport-key.pem"));
        test::writeFile(p.transportKeyPath, clear->privateKey.privateEncryptedPem("pw"));
        CountingPassphrases pass(QByteArray("pw"));
        session.setPassphraseSource(&pass);

        QVERIFY(session.preflightOptions(p, {}).transportCertificate.isNull());
        QCOMPARE(pass.prompts.size(), 0);
        auto transport = session.transportFor(p);
        QVERIFY2(transport, qPrintable(errorOf(transport)));
        QVERIFY(transport->hasClientIdentity());
        QCOMPARE(transport->timeoutMs, p.timeoutSeconds * 1000);
        QCOMPARE(pass.prompts.size(), 1);
        QCOMPARE(pass.prompts.first().purpose, PassphrasePrompt::Purpose::TransportKey);
        const Certificate shown = session.preflightOptions(p, {}).transportCertificate;
        QVERIFY(!shown.isNull());
        QCOMPARE(shown.toPem(), transport->clientCertificate.toPem());
        // The same files under another profile, with another timeout: not asked again, and the
        // profile's own choices apply.
        Profile other = p;
        other.name = QStringLiteral("same files");
        other.timeoutSeconds = p.timeoutSeconds + 1;
        other.insecure = true;
        auto again = session.transportFor(other);
        QVERIFY(again);
        QCOMPARE(again->timeoutMs, other.timeoutSeconds * 1000);
        QVERIFY(again->insecure);
        QCOMPARE(pass.prompts.size(), 1);
        // A timeout out of range is refused before any key is touched.
        Profile broken = p;
        broken.transportKeyPath = home.filePath(QStringLiteral("never-read.pem"));
        broken.timeoutSeconds = Profile::MaxTimeoutSeconds + 1;
        auto refused = session.transportFor(broken);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("timeout_seconds")),
                 qPrintable(refused.error().message));
        QCOMPARE(pass.prompts.size(), 1);
    }

    void theHistoryLocationSettingIsCheckedBeforeItIsSaved() {
        QTemporaryDir home;
        Session session(AppPaths::under(home.path()));
        session.open();
        QVERIFY(session.historyLocationSetting().isEmpty());
        const Status password = session.setHistoryLocationSetting(
            QStringLiteral("postgresql://qa:secret@db.example/dcr"));
        QVERIFY(!password);
        QVERIFY(session.historyLocationSetting().isEmpty());
        const QString file = home.filePath(QStringLiteral("elsewhere.sqlite"));
        QVERIFY(session.setHistoryLocationSetting(QStringLiteral("  ") + file));
        QCOMPARE(session.historyLocationSetting(), file);
        QCOMPARE(QSettings(session.paths().settingsFile, QSettings::IniFormat)
                     .value(QString::fromLatin1(Session::HistoryLocationSetting))
                     .toString(),
                 file);
        QVERIFY(session.setHistoryLocationSetting({}));
        QVERIFY(session.historyLocationSetting().isEmpty());
    }

    // The setting moves the default history (the next start), not one given explicitly.
    void theHistoryLocationSettingAppliesFromTheNextStart() {
        QTemporaryDir home;
        const AppPaths paths = AppPaths::under(home.path());
        const QString file = home.filePath(QStringLiteral("moved.sqlite"));
        {
            Session session(paths);
            session.open();
            QVERIFY(session.setHistoryLocationSetting(file));
            QVERIFY(session.historyLocation() != file);
        }
        Session next(paths);
        next.open();
        QCOMPARE(next.historyLocation(), file);
        QVERIFY(QFile::exists(file));
    }

    // What older versions left in their own files is brought in once: the console's settings and
    // profiles (a profile already here wins) and dcrctl's own history; the old files are renamed.
    void olderVersionsFilesAreImportedOnce() {
        QTemporaryDir home;
        const AppPaths paths = AppPaths::under(home.path());
        QVERIFY(QDir().mkpath(QFileInfo(paths.legacyCliHistoryDb).absolutePath()));
        {
            auto old = HistoryStore::open(paths.legacyCliHistoryDb);
            QVERIFY(old);
            SubmissionStart row;
            row.profile = QStringLiteral("old bank");
            row.url = QStringLiteral("https://bank.example/register");
            QVERIFY((*old)->begin(row));
        }
        {
            // A profile already here wins over the old file's of the same name.
            QSettings current(paths.settingsFile, QSettings::IniFormat);
            Profile here;
            here.name = QStringLiteral("bank");
            here.aud = QStringLiteral("current");
            QVERIFY(ProfileStore(current).save(here));
            current.sync();
            QSettings legacy(paths.legacyConsoleSettingsFile, QSettings::IniFormat);
            ProfileStore profiles(legacy);
            Profile clash = here;
            clash.aud = QStringLiteral("from the old file");
            QVERIFY(profiles.save(clash));
            Profile mine;
            mine.name = QStringLiteral("old bank");
            mine.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
            QVERIFY(profiles.save(mine));
            legacy.setValue(QStringLiteral("window/geometry"), QStringLiteral("kept"));
            legacy.sync();
        }
        {
            Session session(paths);
            QStringList infos;
            for (const Notice& n : session.open()) {
                QVERIFY2(n.level != Notice::Level::Error, qPrintable(n.text));
                infos << n.text;
            }
            QCOMPARE(infos.size(), 2);
            QVERIFY2(infos.at(0).startsWith(QStringLiteral("Imported 1 profile(s) and the "
                                                           "settings of an older DCR Console")),
                     qPrintable(infos.at(0)));
            QVERIFY2(infos.at(1).startsWith(
                         QStringLiteral("Imported 1 submission(s) from the old dcrctl history")),
                     qPrintable(infos.at(1)));
            QVERIFY(session.profile(QStringLiteral("old bank")));
            QCOMPARE(session.profile(QStringLiteral("bank"))->aud, QStringLiteral("current"));
            QCOMPARE(session.settings()->value(QStringLiteral("window/geometry")).toString(),
                     QStringLiteral("kept"));
            QCOMPARE(*session.historyCount(), 1);
            QCOMPARE(*session.historyCount({{}, {}, QStringLiteral("old bank"), {}, {}}), 1);
        }
        QVERIFY(!QFile::exists(paths.legacyCliHistoryDb));
        QVERIFY(!QFile::exists(paths.legacyConsoleSettingsFile));
        // Once only: the next start finds nothing to import.
        Session again(paths);
        for (const Notice& n : again.open())
            QVERIFY2(!n.text.startsWith(QStringLiteral("Imported")), qPrintable(n.text));
        QCOMPARE(*again.historyCount(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSession)
#include "tst_session.moc"
