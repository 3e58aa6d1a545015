// The console's side of hardware-token keys: the PIN is asked through the Session's
// PassphraseSource (the console's dialog; never a dialog in automation), kept in memory only, and
// the Keys & certificates dialog lists a token. A SoftHSM2 token made in a temporary folder.
#include "KeysDialog.h"
#include "SoftHsmToken.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"
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

} // namespace

class TestPkcs11Console : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    SoftHsmToken m_token{QStringLiteral("dcr-console"), "13579"};

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        QString why;
        if (!SoftHsmToken::prepare(m_dir.path(), &why))
            QFAIL(qPrintable(why)); // a missing token stack is a failure, never a skip
        QVERIFY2(m_token.init(&why), qPrintable(why));
        QVERIFY2(m_token.generate("EC:prime256v1", "07", "console-signing", &why), qPrintable(why));
        qputenv("DCR_PKCS11_MODULE", "/nonexistent/module.so"); // the profile's module must win
    }

    void pinIsAskedThroughThePassphraseSource() {
        Session session(AppPaths::under(m_dir.filePath("home")));
        ScriptedPins pins;
        pins.answers = {QByteArray("00000"), QByteArray("13579")};
        session.setPassphraseSource(&pins);
        const QString uri = m_token.uri("console-signing");
        auto material = session.loadSigningKey(uri, SoftHsmToken::module());
        QVERIFY2(material.ok(), material.ok() ? "" : qPrintable(material.error().toString()));
        QVERIFY(material->privateKey.isTokenKey());
        QCOMPARE(pins.asked.size(), 2); // the wrong PIN, then the right one
        QVERIFY(pins.asked[0].tokenPin);
        QVERIFY(!pins.asked[0].retry);
        QVERIFY(pins.asked[1].retry);
        QCOMPARE(pins.asked[0].path, uri);
        QVERIFY2(pins.asked[0].what.contains(uri), qPrintable(pins.asked[0].what));
        // Loaded once per session: no second prompt.
        QVERIFY(session.loadSigningKey(uri, SoftHsmToken::module()).ok());
        QCOMPARE(pins.asked.size(), 2);
    }

    void automationNeverGetsAPrompt() {
        // In automation the source answers nothing: a clear error, not a dialog or a hang.
        Session session(AppPaths::under(m_dir.filePath("home2")));
        ScriptedPins none;
        session.setPassphraseSource(&none);
        const QString uri = m_token.uri("console-signing");
        auto material = session.loadSigningKey(uri, SoftHsmToken::module());
        QVERIFY(!material.ok());
        QCOMPARE(material.error().kind, ErrorKind::KeyPassphraseRequired);
        QVERIFY(material.error().message.contains(uri));
    }

    void keysDialogListsTheToken() {
        ui::KeysDialog dialog;
        dialog.loadToken(QStringLiteral("pkcs11:token=dcr-console"), SoftHsmToken::module());
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
        dialog.loadToken(QStringLiteral("pkcs11:token=dcr-console;object=nothing"),
                         SoftHsmToken::module());
        QVERIFY(dialog.detailsText().contains("TokenObjectNotFound"));
    }
};

QTEST_MAIN(TestPkcs11Console)
#include "tst_pkcs11_console.moc"
