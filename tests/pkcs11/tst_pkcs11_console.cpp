// The console's side of hardware-token keys: the PIN is asked through the Session's
// PassphraseSource (the console's dialog; never a dialog in automation), kept in memory only, and
// the Keys & certificates dialog lists a token. SoftHSM2 tokens made in a temporary folder, reached
// through a test module that counts wrong PINs and locks like a smart card (SoftHSM2 never locks)
// and logs every C_Login, so the tests count both prompts and logins.
#include "KeysDialog.h"
#include "PassphraseDialog.h"
#include "SoftHsmToken.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"
#include "session/KeyUnlocker.h"
#include "session/Session.h"

#include <QApplication>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

// Answers from a script and records what it was asked, as the console's dialog would be.
class ScriptedPins : public PassphraseSource {
public:
    QList<std::optional<QByteArray>> answers;
    QList<PassphrasePrompt> asked;
    std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) override {
        asked << prompt;
        return answers.isEmpty() ? std::nullopt : answers.takeFirst();
    }
};

using Warning = PassphrasePrompt::TokenWarning;

} // namespace

class TestPkcs11Console : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    // One token per case: a process stays logged in to a token once a PIN was right.
    SoftHsmToken m_token{QStringLiteral("dcr-console"), "13579"};
    SoftHsmToken m_automation{QStringLiteral("pin-automation"), "13579"};
    SoftHsmToken m_finalTry{QStringLiteral("pin-final"), "13579"};
    SoftHsmToken m_locked{QStringLiteral("pin-locked"), "13579"};
    SoftHsmToken m_stop{QStringLiteral("pin-stop"), "13579"};
    SoftHsmToken m_bound{QStringLiteral("pin-bound"), "13579"};
    SoftHsmToken m_shared{QStringLiteral("pin-shared"), "13579"};
    int m_home = 0;

    static QString module() { return QStringLiteral(PIN_COUNTER_MODULE); }
    QString log() const { return m_dir.filePath("logins.log"); }

    // The C_Login calls the module saw for one token so far.
    int logins(const SoftHsmToken& token) const {
        QFile file(log()); // absent until the first login
        if (!file.open(QIODevice::ReadOnly))
            return 0;
        int n = 0;
        for (const QByteArray& line : file.readAll().split('\n'))
            n += line.startsWith("C_Login " + token.label().toUtf8() + ' ');
        return n;
    }

    // A fresh session (its own key cache) with the scripted PIN source.
    std::unique_ptr<Session> session(ScriptedPins& pins) {
        auto s = std::make_unique<Session>(
            AppPaths::under(m_dir.filePath(QStringLiteral("home%1").arg(++m_home))));
        s->setPassphraseSource(&pins);
        return s;
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        if (!SoftHsmToken::prepare(m_dir.path(), &why))
            QFAIL(qPrintable(why)); // a missing token stack is a failure, never a skip
        for (SoftHsmToken* t :
             {&m_token, &m_automation, &m_finalTry, &m_locked, &m_stop, &m_bound, &m_shared}) {
            QVERIFY2(t->init(&why), qPrintable(why));
            QVERIFY2(t->generate("EC:prime256v1", "07", "console-signing", &why), qPrintable(why));
        }
        // Tries left / tries in all, per token, as the counting module reads them.
        qputenv("DCR_TEST_PIN_TRIES", "dcr-console=3/3;pin-automation=3/3;pin-final=1/3;"
                                      "pin-locked=0/3;pin-stop=2/2;pin-bound=5/5;pin-shared=3/3");
        qputenv("DCR_TEST_PKCS11_LOG", log().toUtf8());
        qputenv("DCR_PKCS11_MODULE", "/nonexistent/module.so"); // the profile's module must win
    }

    void wrongPinThenRightPin() {
        ScriptedPins pins;
        pins.answers = {QByteArray("00000"), QByteArray("13579")};
        auto s = session(pins);
        const QString uri = m_token.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QVERIFY2(material.ok(), material.ok() ? "" : qPrintable(material.error().toString()));
        QVERIFY(material->privateKey.isTokenKey());
        QCOMPARE(pins.asked.size(), 2); // the wrong PIN, then the right one
        QCOMPARE(logins(m_token), 2);   // each typed PIN reached the token once, none by itself
        QVERIFY(pins.asked[0].tokenPin);
        QVERIFY(!pins.asked[0].retry);
        QCOMPARE(pins.asked[0].tokenWarning, Warning::None);
        QVERIFY(pins.asked[1].retry);
        // The token counted the wrong PIN, and the second prompt says so.
        QCOMPARE(pins.asked[1].tokenWarning, Warning::CountLow);
        QVERIFY(ui::PassphraseDialog::tokenPinLabel(pins.asked[1])
                    .contains("a wrong PIN was entered recently"));
        QCOMPARE(pins.asked[0].path, uri);
        QVERIFY2(pins.asked[0].what.contains(uri), qPrintable(pins.asked[0].what));
        // Loaded once per session: no second prompt, no second login.
        QVERIFY(s->loadSigningKey(uri, module()).ok());
        QCOMPARE(pins.asked.size(), 2);
        QCOMPARE(logins(m_token), 2);
    }

    void automationNeverGetsAPrompt() {
        // In automation the source answers nothing: a clear error, not a dialog or a hang.
        ScriptedPins none;
        auto s = session(none);
        const QString uri = m_automation.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::KeyPassphraseRequired);
        QVERIFY(material.error().message.contains(uri));
        QCOMPARE(none.asked.size(), 1);
        QCOMPARE(logins(m_automation), 0);
    }

    void lockedTokenIsNeverAskedOrSentAPin() {
        ScriptedPins pins;
        pins.answers = {QByteArray("13579")};
        auto s = session(pins);
        const QString uri = m_locked.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::TokenPinLocked);
        QVERIFY2(material.error().message.contains(uri), qPrintable(material.error().message));
        QVERIFY2(material.error().message.contains("no PIN was tried"),
                 qPrintable(material.error().message));
        QCOMPARE(pins.asked.size(), 0);
        QCOMPARE(logins(m_locked), 0);
    }

    void finalTryIsAskedWithAWarningAndOnlyOnce() {
        ScriptedPins pins;
        pins.answers = {QByteArray("00000"), QByteArray("13579")};
        auto s = session(pins);
        const QString uri = m_finalTry.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QCOMPARE(pins.asked.size(), 1);
        QCOMPARE(pins.asked[0].tokenWarning, Warning::FinalTry);
        // What the console's dialog shows over the PIN field.
        const QString label = ui::PassphraseDialog::tokenPinLabel(pins.asked[0]);
        QVERIFY2(label.contains("the token locks after one more wrong PIN"), qPrintable(label));
        QVERIFY(label.contains(uri));
        // The wrong PIN was the final try: the token locked, and nobody was asked again.
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::TokenPinLocked);
        QVERIFY2(material.error().message.contains(uri), qPrintable(material.error().message));
        QCOMPARE(logins(m_finalTry), 1);
        // A locked token stays refused without a prompt.
        QVERIFY(!s->loadSigningKey(uri, module()).ok());
        QCOMPARE(pins.asked.size(), 1);
        QCOMPARE(logins(m_finalTry), 1);
    }

    void aWrongPinNeverRunsIntoTheFinalTry() {
        // Two tries: one mistyped PIN leaves the final one, which is not spent from a prompt that
        // did not say so.
        ScriptedPins pins;
        pins.answers = {QByteArray("00000"), QByteArray("13579"), QByteArray("13579")};
        auto s = session(pins);
        const QString uri = m_stop.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::KeyWrongPassphrase);
        QVERIFY2(material.error().message.contains(uri), qPrintable(material.error().message));
        QVERIFY2(material.error().message.contains("CKF_USER_PIN_FINAL_TRY"),
                 qPrintable(material.error().message));
        QCOMPARE(pins.asked.size(), 1);
        QCOMPARE(logins(m_stop), 1);
        // The next action asks once more, saying it is the final try; the right PIN resets it.
        material = s->loadSigningKey(uri, module());
        QVERIFY2(material.ok(), material.ok() ? "" : qPrintable(material.error().toString()));
        QCOMPARE(pins.asked.size(), 2);
        QCOMPARE(pins.asked[1].tokenWarning, Warning::FinalTry);
        QVERIFY(!pins.asked[1].retry);
        QCOMPARE(logins(m_stop), 2);
    }

    void promptsPerActionAreBounded() {
        // Five tries: the token would allow more, the console asks at most twice per action.
        ScriptedPins pins;
        pins.answers = {QByteArray("00000"), QByteArray("11111"), QByteArray("22222")};
        auto s = session(pins);
        const QString uri = m_bound.uri("console-signing");
        auto material = s->loadSigningKey(uri, module());
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::KeyWrongPassphrase);
        QCOMPARE(pins.asked.size(), KeyUnlocker::TokenPinPrompts);
        QCOMPARE(pins.asked.size(), 2);
        QCOMPARE(logins(m_bound), 2);
        QVERIFY2(material.error().message.contains("not asked again"),
                 qPrintable(material.error().message));
        QVERIFY2(material.error().message.contains(uri), qPrintable(material.error().message));
        QVERIFY2(material.error().message.contains("CKF_USER_PIN_COUNT_LOW"),
                 qPrintable(material.error().message));
    }

    void signingAndTransportKeysOfOneTokenAskOnce() {
        // A transport certificate for a second key of the same token (the CSR signed in the token
        // by the openssl CLI's pkcs11 engine, in its own process), self-signed.
        QString why;
        QVERIFY2(m_shared.generate("EC:prime256v1", "08", "console-tls", &why), qPrintable(why));
        const ProcessResult cert =
            run(QStringLiteral("openssl"),
                {"req", "-new", "-x509", "-engine", "pkcs11", "-keyform", "engine", "-key",
                 m_shared.uri("console-tls") + "?pin-value=13579", "-subj", "/CN=console-tls",
                 "-days", "30", "-out", m_dir.filePath("shared-tls.pem")});
        QVERIFY2(cert.exitCode == 0, cert.err.constData());
        const int before = logins(m_shared); // the openssl CLI's login is not ours to count
        ScriptedPins pins;
        pins.answers = {QByteArray("13579"), QByteArray("13579")};
        auto s = session(pins);
        Profile profile;
        profile.name = QStringLiteral("shared-token");
        profile.signingKeyPath = m_shared.uri("console-signing");
        profile.transportKeyPath = m_shared.uri("console-tls");
        profile.transportCertPath = m_dir.filePath("shared-tls.pem");
        profile.pkcs11Module = module();
        auto transport = s->transportFor(profile);
        QVERIFY2(transport.ok(), transport.ok() ? "" : qPrintable(transport.error().toString()));
        QVERIFY(transport->clientKey.isTokenKey());
        auto signing = s->signingSetup(profile);
        QVERIFY2(signing.ok(), signing.ok() ? "" : qPrintable(signing.error().toString()));
        QVERIFY(signing->key.isTokenKey());
        QCOMPARE(pins.asked.size(), 1); // one PIN for the token, not one per key
        QCOMPARE(pins.asked[0].purpose, PassphrasePrompt::Purpose::TransportKey);
        QCOMPARE(logins(m_shared) - before, 1);
    }

    void keysDialogListsTheToken() {
        ui::KeysDialog dialog;
        dialog.loadToken(QStringLiteral("pkcs11:token=dcr-console"), module());
        const QString text = dialog.detailsText();
        QVERIFY2(text.contains(
                     "Key: pkcs11:token=dcr-console;id=%07;object=console-signing;type=public"),
                 qPrintable(text));
        QVERIFY(text.contains(
            "Private key: pkcs11:token=dcr-console;id=%07;object=console-signing;type=private"));
        QString why;
        auto pub = keyloader::load(m_token.publicKeyPem("07", m_dir.path(), &why));
        QVERIFY2(pub.ok(), qPrintable(why));
        QVERIFY(text.contains(jwk::thumbprint(pub->publicKey)));
        dialog.loadToken(QStringLiteral("pkcs11:token=dcr-console;object=nothing"), module());
        QVERIFY(dialog.detailsText().contains("TokenObjectNotFound"));
    }
};

QTEST_MAIN(TestPkcs11Console)
#include "tst_pkcs11_console.moc"
