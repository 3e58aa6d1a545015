// Issue #25.3, the subject-DN workbench in the console: the Keys & certificates dialog shows a
// certificate's subject in each bank dialect with a copy button and compares a pasted DN by
// meaning (SubjectDnPanel); and after a registration, the DN the bank echoes back is compared with
// the transport certificate the request used and any difference is shown in the Response view.
#include "ConsoleFixture.h"
#include "KeysDialog.h"
#include "ScriptedServer.h"
#include "SubjectDnPanel.h"

#include <QApplication>
#include <QClipboard>
#include <QGuiApplication>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QRegularExpression>
#include <QTimer>
#include <QToolButton>

using namespace dcr;
using namespace dcr::test;
using namespace dcr::ui;

namespace {

const QString kOrgId = QStringLiteral("OFBBR-12345678");

// What `openssl x509 -noout -subject -nameopt OPTIONS` prints, without "subject=".
QString opensslSubject(const QString& pem, const QString& options) {
    const auto r = openssl({"x509", "-in", pem, "-noout", "-subject", "-nameopt", options});
    return QString::fromUtf8(r.out).trimmed().remove(
        QRegularExpression(QStringLiteral("^subject=")));
}

QByteArray http201(const QJsonObject& client) {
    return ScriptedServer::jsonResponse("201 Created",
                                        QJsonDocument(client).toJson(QJsonDocument::Compact));
}

} // namespace

class TestConsoleSubjectDn : public ConsoleFixture {
    Q_OBJECT
    QTemporaryDir m_files;
    QString m_certPath;

    QString row(KeysDialog& dialog, const QString& key) const {
        auto* text = dialog.findChild<QLineEdit*>(QStringLiteral("dn_") + key);
        return text ? text->text() : QStringLiteral("<no row %1>").arg(key);
    }

    // Types a DN into "Compare with…" as a user pasting it would.
    static void paste(KeysDialog& dialog, const QString& dn) {
        auto* compare = dialog.findChild<QLineEdit*>(QStringLiteral("dnCompare"));
        QVERIFY(compare);
        compare->selectAll();
        QTest::keyClick(compare, Qt::Key_Delete);
        compare->insert(dn);
    }

    // Registers through the console's Send against a bank that echoes `dnClaim: dn`.
    SubmissionResult registerWithEcho(const QString& dnClaim, const QString& dn) {
        const SandboxKit kit = *m_controller->sandboxKit();
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        auto bank = ScriptedServer::answering(
            http201({{QStringLiteral("client_id"), QStringLiteral("c-echo")}, {dnClaim, dn}}),
            &tls);
        Profile p = kitProfile(kit, QStringLiteral("Echoing bank"), bank->port());
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        if (!m_controller->saveProfile(p).ok())
            qFatal("profile not saved");
        m_controller->selectProfile(p.name);
        if (!QTest::qWaitFor([&] { return m_window->sendAction()->isEnabled(); }, 20000))
            qFatal("the profile never became ready");
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        if (!finished.wait(20000))
            qFatal("no answer");
        return finished.at(0).at(0).value<SubmissionResult>();
    }

private slots:
    void initTestCase() {
        QVERIFY(m_files.isValid());
        m_certPath = m_files.filePath(QStringLiteral("tpp.pem"));
        const auto r =
            openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", m_files.filePath(QStringLiteral("tpp.key")), "-subj",
                     QStringLiteral("/C=GB/O=Acme Payments Ltd/2.5.4.97=%1/"
                                    "CN=tpp.example.com")
                         .arg(kOrgId),
                     "-days", "2", "-out", m_certPath});
        QVERIFY2(r.exitCode == 0, r.err.constData());
    }
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    void panelShowsEachDialectWithACopyButton() {
        KeysDialog dialog;
        auto* panel = dialog.subjectDnPanel();
        QVERIFY(!panel->isEnabled()); // nothing loaded yet
        dialog.loadFile(m_certPath);
        QVERIFY(panel->isEnabled());
        const QString hex = QStringLiteral("0c0e") + QString::fromLatin1(kOrgId.toLatin1().toHex());
        QCOMPARE(row(dialog, "rfc4514"),
                 QStringLiteral("CN=tpp.example.com,organizationIdentifier=%1,O=Acme Payments "
                                "Ltd,C=GB")
                     .arg(kOrgId));
        // The OpenSSL forms byte for byte as the openssl tool prints them.
        QCOMPARE(row(dialog, "openssl_rfc2253"), opensslSubject(m_certPath, "RFC2253"));
        QCOMPARE(row(dialog, "openssl_oneline"), opensslSubject(m_certPath, "oneline"));
        // Brazil's form: the OID and the value's BER (UTF8String, 14 bytes) in hex.
        QCOMPARE(
            row(dialog, "oid_hex"),
            QStringLiteral("CN=tpp.example.com,2.5.4.97=#%1,O=Acme Payments Ltd,C=GB").arg(hex));
        QCOMPARE(row(dialog, "cn_first"), row(dialog, "rfc4514"));
        // Go re-encodes it as a PrintableString (tag 0x13) and prints it after the named fields.
        QCOMPARE(row(dialog, "go_pkix"),
                 QStringLiteral("CN=tpp.example.com,O=Acme Payments Ltd,C=GB,2.5.4.97=#130e%1")
                     .arg(QString::fromLatin1(kOrgId.toLatin1().toHex())));

        for (const char* key :
             {"rfc4514", "openssl_rfc2253", "oid_hex", "cn_first", "go_pkix", "openssl_oneline"}) {
            auto* copy = dialog.findChild<QToolButton*>(QStringLiteral("copy_") + key);
            QVERIFY2(copy, key);
            QGuiApplication::clipboard()->clear();
            QTest::mouseClick(copy, Qt::LeftButton);
            QCOMPARE(QGuiApplication::clipboard()->text(), row(dialog, key));
        }

        // A key-only file has no subject: the panel is emptied, not left showing the last one.
        dialog.loadFile(m_files.filePath(QStringLiteral("tpp.key")));
        QVERIFY(!panel->isEnabled());
        QVERIFY(!dialog.findChild<QLineEdit*>(QStringLiteral("dn_rfc4514")));
    }

    void keysActionOpensOnTheProfilesTransportCertificate() {
        const SandboxKit kit = *m_controller->sandboxKit();
        const QString subject =
            opensslSubject(kit.path(QStringLiteral("tpp-transport.pem")), "RFC2253");
        QString rfc4514Row;
        QString details;
        bool seen = false;
        // The dialog is modal: read it from inside its own event loop, then close it.
        QTimer::singleShot(0, this, [&] {
            auto* dialog = qobject_cast<KeysDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                return;
            seen = true;
            rfc4514Row = row(*dialog, "openssl_rfc2253");
            details = dialog->detailsText();
            dialog->reject();
        });
        auto* keys = m_window->findChild<QAction*>(QStringLiteral("keysAction"));
        QVERIFY(keys);
        keys->trigger();
        QVERIFY(seen);
        QCOMPARE(rfc4514Row, subject);
        QVERIFY2(details.contains(QString::fromLatin1(Session::SandboxProfileName)),
                 qPrintable(details));
    }

    void pastedDnIsComparedByMeaning() {
        KeysDialog dialog;
        dialog.loadFile(m_certPath);
        auto* panel = dialog.subjectDnPanel();

        // What a bank on Go before 1.15 registered: no organizationIdentifier.
        paste(dialog, QStringLiteral("CN=tpp.example.com,O=Acme Payments Ltd,C=GB"));
        QCOMPARE(panel->verdictText(), QStringLiteral("Different by meaning"));
        QVERIFY2(panel->explanationText().contains(
                     QStringLiteral("lacks 2.5.4.97 organizationIdentifier")),
                 qPrintable(panel->explanationText()));
        QVERIFY(panel->explanationText().contains(kOrgId));

        // Another value is named as such.
        paste(dialog, QStringLiteral("CN=tpp.example.com,2.5.4.97=OFBBR-99999999,O=Acme "
                                     "Payments Ltd,C=GB"));
        QCOMPARE(panel->verdictText(), QStringLiteral("Different by meaning"));
        QVERIFY(panel->explanationText().contains(QStringLiteral("differs")));
        QVERIFY(panel->explanationText().contains(QStringLiteral("OFBBR-99999999")));

        // Reordered, respaced, another case: the same subject.
        paste(dialog, QStringLiteral("C=GB,  o=Acme   Payments LTD , 2.5.4.97=%1, "
                                     "CN=tpp.example.com")
                          .arg(kOrgId));
        QCOMPARE(panel->verdictText(), QStringLiteral("The same by meaning"));
        QVERIFY(!panel->explanationText().contains(QStringLiteral("lacks")));
        QVERIFY(panel->explanationText().contains(QStringLiteral("not the same string")));

        // The slash form, and one of the rows pasted back: the same, and named.
        paste(
            dialog,
            QStringLiteral("/C=GB/O=Acme Payments Ltd/2.5.4.97=%1/CN=tpp.example.com").arg(kOrgId));
        QCOMPARE(panel->verdictText(), QStringLiteral("The same by meaning"));
        paste(dialog, row(dialog, "oid_hex"));
        QCOMPARE(panel->verdictText(), QStringLiteral("The same by meaning"));
        QVERIFY(panel->explanationText().contains(QStringLiteral("spelled exactly as")));

        // Not a DN: said, not compared.
        paste(dialog, QStringLiteral("tpp.example.com"));
        QVERIFY2(panel->verdictText().startsWith(QStringLiteral("Not read as a DN")),
                 qPrintable(panel->verdictText()));
        // Cleared: nothing said.
        paste(dialog, QString());
        QVERIFY(panel->verdictText().isEmpty());
    }

    void bankEchoingAnotherDnIsReportedInTheResponseView() {
        const SandboxKit kit = *m_controller->sandboxKit();
        const QString kitPem = kit.path(QStringLiteral("tpp-transport.pem"));
        const QString subject = opensslSubject(kitPem, "RFC2253");
        QVERIFY2(subject.contains(QStringLiteral("organizationIdentifier=PSDGB-FCA-123456,")),
                 qPrintable(subject));
        QString lacking = subject;
        lacking.remove(QStringLiteral("organizationIdentifier=PSDGB-FCA-123456,"));

        const auto result = registerWithEcho(QStringLiteral("tls_client_auth_subject_dn"), lacking);
        QCOMPARE(result.outcome.kind, OutcomeKind::Registered);
        const QString shown = m_window->response()->subjectDnText();
        QVERIFY2(
            shown.contains(QStringLiteral("the bank's DN lacks 2.5.4.97 organizationIdentifier")),
            qPrintable(shown));
        QVERIFY(shown.contains(lacking));
        auto* label = m_window->response()->findChild<QLabel*>(QStringLiteral("responseSubjectDn"));
        QVERIFY(label && label->isVisible());
    }

    void bankEchoingTheSameSubjectIsNotReported() {
        const SandboxKit kit = *m_controller->sandboxKit();
        // OpenSSL's one-line spelling: another string, the same subject.
        const QString same =
            opensslSubject(kit.path(QStringLiteral("tpp-transport.pem")), "oneline");
        QVERIFY(same.contains(QStringLiteral(" = ")));
        const auto result = registerWithEcho(QStringLiteral("tls_client_auth_dn"), same);
        QCOMPARE(result.outcome.kind, OutcomeKind::Registered);
        QCOMPARE(result.echoedSubjectDns.size(), 1);
        QVERIFY(result.echoedSubjectDns.first().sameByMeaning());
        QVERIFY(m_window->response()->subjectDnText().isEmpty());
        auto* label = m_window->response()->findChild<QLabel*>(QStringLiteral("responseSubjectDn"));
        QVERIFY(label && !label->isVisible());
    }
};

QTEST_MAIN(TestConsoleSubjectDn)
#include "tst_console_subject_dn.moc"
