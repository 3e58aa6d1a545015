// Issue #22 items 1, 2, 3, 4 and 5: the inspector a bank's staff use. What a received request is
// checked against (a spec guessed from the request, said to be a guess, never the last profile;
// the bank's id), the checks re-run when that or the profile changes, one SSA signature verdict
// in the findings and the SSA tab, broken input named by its content, and "Fill form from SSA"
// off while inspecting, and the "As the bank" group of checks with their rules quoted (item 3). One
// console per test function (ConsoleFixture.h).
#include "ConsoleFixture.h"
#include "InspectionBanner.h"
#include "MessageWidget.h"
#include "ScriptedServer.h"
#include "SsaViewer.h"
#include "jose/Base64Url.h"
#include "jose/Jwk.h"
#include "jose/JwsSigner.h"

#include <QApplication>
#include <QComboBox>
#include <QDropEvent>
#include <QFileDialog>
#include <QGroupBox>
#include <QInputDialog>
#include <QJsonDocument>
#include <QLabel>
#include <QLineEdit>
#include <QMimeData>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTimer>
#include <QTreeWidget>

using namespace dcr;
using namespace dcr::test;
using namespace dcr::ui;

namespace {

QByteArray seedExample() {
    return test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed();
}

const QByteArray kIssuerSecret = "the-directory-shared-secret-32-bytes!";

// The seed example's claims around an SSA the test signs itself (HS256, kIssuerSecret), so the
// SSA tab can verify it for real. The request's own signature is never checked here.
QByteArray requestWithKnownSsa() {
    QJsonObject claims = Jws::parse(seedExample())->claims();
    const QByteArray ssaPayload =
        Jws::parse(claims.value(QStringLiteral("software_statement")).toString().toLatin1())
            ->payload();
    claims.insert(QStringLiteral("software_statement"),
                  QString::fromLatin1(*JwsSigner::signHmac(ssaPayload, kIssuerSecret)));
    return *JwsSigner::signHmac(QJsonDocument(claims).toJson(QJsonDocument::Compact),
                                "the-tpp-request-secret-of-32-bytes!!");
}

// The seed example's request around an SSA whose software_jwks_endpoint is endpoint, the request
// signed (ES256) by signer.
QByteArray requestWithJwksEndpoint(const QString& endpoint, const Key& signer) {
    QJsonObject claims = Jws::parse(seedExample())->claims();
    QJsonObject ssa =
        Jws::parse(claims.value(QStringLiteral("software_statement")).toString().toLatin1())
            ->claims();
    ssa.insert(QStringLiteral("software_jwks_endpoint"), endpoint);
    claims.insert(QStringLiteral("software_statement"),
                  QString::fromLatin1(*JwsSigner::signHmac(
                      QJsonDocument(ssa).toJson(QJsonDocument::Compact), kIssuerSecret)));
    return *JwsSigner::signClaims(claims, signer, {JwsAlgorithm::ES256, "tpp", {}});
}

// The seed example's claims with a subject DN, signed again (HS256; never verified here).
QByteArray requestWithSubjectDn(const QString& dn) {
    QJsonObject claims = Jws::parse(seedExample())->claims();
    claims.insert(QStringLiteral("tls_client_auth_subject_dn"), dn);
    return *JwsSigner::signHmac(QJsonDocument(claims).toJson(QJsonDocument::Compact),
                                "the-tpp-request-secret-of-32-bytes!!");
}

// The test hook for a CA the keystore's certificate chains to: Qt's default TLS configuration,
// which every TransportSettings starts from, with the sandbox kit's CA added, as if it were one of
// the system's CAs (the anonymous software_jwks_endpoint fetch trusts those and nothing a profile
// names). Restored when it goes out of scope, so no other test sees it.
class KitCaTrustedBySystem {
public:
    explicit KitCaTrustedBySystem(const SandboxKit& kit)
        : m_saved(QSslConfiguration::defaultConfiguration()) {
        QSslConfiguration tls = m_saved;
        tls.addCaCertificates(QSslCertificate::fromPath(kit.path(QStringLiteral("ca.pem"))));
        QSslConfiguration::setDefaultConfiguration(tls);
    }
    ~KitCaTrustedBySystem() { QSslConfiguration::setDefaultConfiguration(m_saved); }
    KitCaTrustedBySystem(const KitCaTrustedBySystem&) = delete;
    KitCaTrustedBySystem& operator=(const KitCaTrustedBySystem&) = delete;

private:
    QSslConfiguration m_saved;
};

} // namespace

class TestConsoleInspect : public ConsoleFixture {
    Q_OBJECT

    InspectionBanner* banner() const { return m_window->inspectionBanner(); }
    QString findingMessage(const QString& rule) const {
        for (const auto& f : m_window->preflight()->findings())
            if (f.rule == rule)
                return f.message;
        return {};
    }
    // As a person does: pick the spec in the banner's combo box.
    void chooseSpec(const QString& name) {
        QComboBox* combo = banner()->specChoice();
        const int index = combo->findText(name);
        QVERIFY2(index >= 0, qPrintable(name));
        combo->setCurrentIndex(index);
        emit combo->activated(index);
    }
    // Answers the next QInputDialog (the shared-secret prompt) with text.
    static void answerNextInputDialog(const QString& text) {
        QTimer::singleShot(0, [text] {
            auto* dialog = qobject_cast<QInputDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                qFatal("no input dialog to answer");
            dialog->setTextValue(text);
            dialog->accept();
        });
    }

    // The "As the bank" group's row for a check: outcome, title, what was found, quoted rule.
    QStringList bankRow(const QString& id) const {
        QTreeWidget* tree = m_window->preflight()->bankTree();
        for (int i = 0; i < tree->topLevelItemCount(); ++i) {
            const QTreeWidgetItem* item = tree->topLevelItem(i);
            if (item->data(1, Qt::UserRole).toString() == id)
                return {item->text(0), item->text(1), item->text(2), item->text(3)};
        }
        return {};
    }
    // Answers the next file dialog (Compare with certificate…) with path.
    static void answerNextFileDialog(const QString& path) {
        QTimer::singleShot(0, [path] {
            auto* dialog = qobject_cast<QFileDialog*>(QApplication::activeModalWidget());
            if (!dialog)
                qFatal("no file dialog to answer");
            dialog->selectFile(path);
            static_cast<QDialog*>(dialog)->accept(); // QFileDialog's own accept() is protected
        });
    }
    // A transport certificate made by the openssl CLI, independently of our code.
    QString makeCertificate(const QString& name, const QString& subject) {
        const auto r =
            test::openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                           "-nodes", "-keyout", name + QStringLiteral(".key"), "-out", name,
                           "-days", "2", "-subj", subject},
                          {}, m_dir->path());
        if (r.exitCode != 0)
            qFatal("openssl: %s", r.err.constData());
        return m_dir->filePath(name);
    }

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    // Item 1: the seed example under each spec, the spec stated as a guess until one is chosen.
    void theSeedExampleUnderEachSpec() {
        m_window->importReceivedRequest(seedExample(), QStringLiteral("seed-request.jwt"));
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QVERIFY(banner()->isVisible());
        QCOMPARE(banner()->specChoice()->currentText(), QStringLiteral("seed"));
        QVERIFY2(banner()->targetText().contains(QStringLiteral("seed (guessed from")),
                 qPrintable(banner()->targetText()));
        QVERIFY(banner()->targetText().contains(QStringLiteral("aud not compared")));

        // The four known faults under every spec: software_id, redirect_uris, exp, and the scope
        // value where the spec enumerates scopes (the seed; OBIE's scope is free text).
        for (const char* spec : {"seed", "obie-3.1", "obie-3.2", "obie-3.3"}) {
            chooseSpec(QString::fromLatin1(spec));
            const QStringList rules = findingRules();
            const QString all = QString::fromLatin1(spec) + u' ' + rules.join(u',');
            QVERIFY2(banner()->targetText().contains(QString::fromLatin1(spec) +
                                                     QStringLiteral(" (chosen)")),
                     qPrintable(banner()->targetText()));
            for (const char* fault :
                 {"software-id-match", "redirect-in-ssa", "redirect-https", "exp-past"})
                QVERIFY2(rules.contains(QString::fromLatin1(fault)), qPrintable(all));
            QCOMPARE(rules.contains(QStringLiteral("allowed-value")), QByteArray(spec) == "seed");
            // What differs between the specs, straight from the request: OBIE wants a jti (a
            // warning in 3.1, required from 3.2), the seed its minimum exp.
            QCOMPARE(rules.contains(QStringLiteral("exp-seed-minimum")),
                     QByteArray(spec) == "seed");
            QCOMPARE(rules.contains(QStringLiteral("jti-missing")), QByteArray(spec) == "obie-3.1");
            QCOMPARE(rules.contains(QStringLiteral("required-claim")),
                     QByteArray(spec) == "obie-3.2" || QByteArray(spec) == "obie-3.3");
            QVERIFY(!rules.contains(QStringLiteral("aud-expected"))); // no bank id given
            QVERIFY2(banner()->summary().contains(
                         QStringLiteral("%1 preflight finding").arg(rules.size())),
                     qPrintable(banner()->summary()));
        }
    }

    // Item 1, as the issue found it: the last profile (OBIE 3.3) decided the checks, and a switch
    // of profile left them stale, "N s ago" included.
    void theProfileNeitherDecidesNorFreezesTheChecks() {
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QCOMPARE(m_controller->currentProfile().specVersion, SpecVersion::Obie33);
        m_window->importReceivedRequest(seedExample(), QStringLiteral("seed-request.jwt"));
        QCOMPARE(banner()->specChoice()->currentText(), QStringLiteral("seed"));
        QVERIFY(!findingRules().contains(QStringLiteral("required-claim"))); // no jti "required"
        QVERIFY(findingRules().contains(QStringLiteral("allowed-value")));   // makepayment
        const QStringList before = findingRules();
        const QString expBefore = findingMessage(QStringLiteral("exp-past"));
        QVERIFY2(expBefore.contains(QStringLiteral(" ago")), qPrintable(expBefore));

        QTest::qWait(1100); // "N s ago" moves on
        QSignalSpy rerun(m_controller.get(), &ConsoleController::inspectionChanged);
        m_controller->selectProfile(QString::fromLatin1(Session::SandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(rerun.count() >= 1);
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QCOMPARE(findingRules(), before); // the same target, so the same rules
        // Re-run, not kept: an age in seconds has moved on (whatever words say the age).
        if (expBefore.contains(QRegularExpression(QStringLiteral(" \\d+ s ago"))))
            QVERIFY2(findingMessage(QStringLiteral("exp-past")) != expBefore,
                     qPrintable(findingMessage(QStringLiteral("exp-past"))));
        QVERIFY(banner()->targetText().contains(QStringLiteral("guessed from")));

        // A chosen spec stays chosen across a profile switch too.
        chooseSpec(QStringLiteral("obie-3.2"));
        QVERIFY(findingRules().contains(QStringLiteral("required-claim")));
        m_controller->selectProfile(QString::fromLatin1(Session::ObieSandboxProfileName));
        QTRY_VERIFY(m_controller->isProfileReady());
        QCOMPARE(banner()->specChoice()->currentText(), QStringLiteral("obie-3.2"));
        QVERIFY(findingRules().contains(QStringLiteral("required-claim")));
        QVERIFY(!findingRules().contains(QStringLiteral("ciba-metadata")));
    }

    // Item 1: aud is compared only when the bank's id is given, at once as it is typed.
    void audIsComparedOnlyWithTheBanksId() {
        m_window->importReceivedRequest(seedExample(), QStringLiteral("seed-request.jwt"));
        QVERIFY(!findingRules().contains(QStringLiteral("aud-expected")));
        QTest::keyClicks(banner()->bankIdEdit(), QStringLiteral("ourBankId"));
        QVERIFY2(findingRules().contains(QStringLiteral("aud-expected")),
                 qPrintable(findingRules().join(u',')));
        QVERIFY(banner()->targetText().contains(QStringLiteral("aud must be \"ourBankId\"")));
        QVERIFY(
            findingMessage(QStringLiteral("aud-expected")).contains(QStringLiteral("ourBankId")));
        banner()->bankIdEdit()->selectAll();
        QTest::keyClicks(banner()->bankIdEdit(), QStringLiteral("0dw23dsa13123"));
        QVERIFY(!findingRules().contains(QStringLiteral("aud-expected"))); // the request's aud
        // A second received request starts with a fresh guess and no bank id.
        m_window->importReceivedRequest(seedExample(), QStringLiteral("again.jwt"));
        QVERIFY(banner()->bankIdEdit()->text().isEmpty());
    }

    // Item 2: one verdict, the same words in the SSA tab and in preflight, and a verification
    // done in the SSA tab ("Verify with shared secret…") updates the findings.
    void anSsaVerifiedInTheSsaTabUpdatesTheFindings() {
        m_window->importReceivedRequest(requestWithKnownSsa(), QStringLiteral("known-ssa.jwt"));
        SsaViewer* ssa = m_window->ssaViewer();
        // Received: verified with nothing yet (never with the local sandbox's directory key).
        QVERIFY2(ssa->signatureStatus().endsWith(QStringLiteral(": not verified")),
                 qPrintable(ssa->signatureStatus()));
        QCOMPARE(m_window->preflight()->ssaSignatureText(),
                 QStringLiteral("SSA signature: not verified"));
        QVERIFY(findingMessage(QStringLiteral("ssa-signature-unverified"))
                    .contains(QStringLiteral("is not verified")));
        QVERIFY(!findingRules().contains(QStringLiteral("ssa-signature-invalid")));

        auto* verify = ssa->findChild<QPushButton*>(QStringLiteral("verifyWithSecret"));
        QVERIFY(verify);
        answerNextInputDialog(QStringLiteral("a-wrong-secret-that-is-long-enough!!"));
        verify->click();
        const QString invalid = ssa->signatureStatus();
        QVERIFY2(invalid.contains(QStringLiteral(": invalid: ")), qPrintable(invalid));
        const QString verdict = invalid.mid(invalid.indexOf(QStringLiteral("invalid: ")));
        QCOMPARE(m_window->preflight()->ssaSignatureText(),
                 QStringLiteral("SSA signature: ") + verdict);
        QVERIFY2(findingMessage(QStringLiteral("ssa-signature-invalid")).endsWith(verdict),
                 qPrintable(findingMessage(QStringLiteral("ssa-signature-invalid"))));
        QVERIFY(!findingRules().contains(QStringLiteral("ssa-signature-unverified")));

        answerNextInputDialog(QString::fromLatin1(kIssuerSecret));
        verify->click();
        QVERIFY2(ssa->signatureStatus().endsWith(
                     QStringLiteral(": valid (verified with shared secret)")),
                 qPrintable(ssa->signatureStatus()));
        QCOMPARE(m_window->preflight()->ssaSignatureText(),
                 QStringLiteral("SSA signature: valid (verified with shared secret)"));
        QVERIFY(!findingRules().contains(QStringLiteral("ssa-signature-invalid")));
        QVERIFY(!findingRules().contains(QStringLiteral("ssa-signature-unverified")));
        QVERIFY(banner()->summary().contains(
            QStringLiteral("%1 preflight finding").arg(findingRules().size())));

        // The key belongs to this inspection: the next received request starts unverified.
        m_window->importReceivedRequest(requestWithKnownSsa(), QStringLiteral("next.jwt"));
        QVERIFY(ssa->signatureStatus().endsWith(QStringLiteral(": not verified")));
        QVERIFY(findingRules().contains(QStringLiteral("ssa-signature-unverified")));
    }

    // Item 4: broken input is named as what it is, by content; nothing opens the keys dialog.
    void brokenInputIsNamedByItsContent() {
        QStringList modals; // any modal dialog (the keys dialog) is recorded and closed
        QTimer watch;
        connect(&watch, &QTimer::timeout, this, [&modals] {
            if (QWidget* w = QApplication::activeModalWidget()) {
                modals << QString::fromLatin1(w->metaObject()->className());
                w->close();
            }
        });
        watch.start(50);
        const QByteArray seed = seedExample();
        const QByteArray unsignedPart = seed.left(seed.lastIndexOf('.'));
        const struct {
            const char* file;
            QByteArray bytes;
            const char* why;
        } broken[] = {
            {"truncated.jwt", seed.left(seed.indexOf('.') + 60), "it has 2 '.'-separated parts"},
            {"no-signature.jwt", unsignedPart, "its signature is missing"},
            {"notes.txt", "Please register us by Friday. Thanks.\n", "it is plain text"},
            {"blob.bin",
             QByteArray("\x7f"
                        "ELF\x02\x01\x01\x00\xff\xfe\x00\x01",
                        12),
             "it is binary data"},
        };
        for (const auto& b : broken) {
            const QString path = m_dir->filePath(QString::fromLatin1(b.file));
            test::writeFile(path, b.bytes);
            m_window->openFile(path);
            const QString text = m_window->messageWidget()->text();
            QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Error);
            QVERIFY2(text.contains(
                         QStringLiteral("%1 is not a JWT (").arg(QString::fromLatin1(b.file))) &&
                         text.contains(QString::fromLatin1(b.why)) &&
                         text.endsWith(QStringLiteral("), a claims file, a key or a certificate.")),
                     qPrintable(text));
            QCOMPARE(m_window->mode(), MainWindow::Mode::Composing);
        }
        QVERIFY2(modals.isEmpty(), qPrintable(modals.join(u',')));

        // A request with a corrupt signature is a request: inspected, its signature invalid.
        const QString corrupt = m_dir->filePath(QStringLiteral("corrupt-signature.jwt"));
        test::writeFile(corrupt, unsignedPart + ".!!corrupt!!");
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("tabs"));
        m_window->openFile(corrupt);
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QVERIFY(tabs->currentWidget() != m_window->ssaViewer());
        QVERIFY2(findingMessage(QStringLiteral("request-signature-invalid"))
                     .contains(QStringLiteral("the request's signature is invalid: ")),
                 qPrintable(findingRules().join(u',')));
        QVERIFY(banner()->summary().contains(QStringLiteral("corrupt-signature.jwt")));
        // An SSA file still opens in the SSA tab.
        const QString ssaFile = m_dir->filePath(QStringLiteral("ssa.jwt"));
        test::writeFile(ssaFile, Jws::parse(seed)
                                     ->claims()
                                     .value(QStringLiteral("software_statement"))
                                     .toString()
                                     .toLatin1());
        m_window->openFile(ssaFile);
        QCOMPARE(tabs->currentWidget(), m_window->ssaViewer());
        QCOMPARE(m_window->ssaViewer()->statement()->clientName(),
                 QStringLiteral("Amazon Prime Movies"));
        QVERIFY2(modals.isEmpty(), qPrintable(modals.join(u',')));
    }

    // Item 3: the seed example, as a bank checks it against its own SSA. Each row quotes its rule.
    void theSeedExampleAsTheBank() {
        QVERIFY(m_window->preflight()->bankGroup()->isHidden()); // composing: no such group
        m_window->importReceivedRequest(seedExample(), QStringLiteral("seed-request.jwt"));
        QGroupBox* group = m_window->preflight()->bankGroup();
        QVERIFY(group->isVisible());
        QCOMPARE(group->title(), QStringLiteral("As the bank"));
        QCOMPARE(m_window->preflight()->bankTree()->topLevelItemCount(), 6);

        // SSA issued 2017-04-21, no exp: its age is said; nothing in it has passed.
        QStringList row = bankRow(QStringLiteral("bank-ssa-age"));
        QCOMPARE(row.value(0), QStringLiteral("passed"));
        QVERIFY2(row.value(2).contains(QStringLiteral("issued 2017-04-21T06:32:11Z (")) &&
                     row.value(2).contains(QStringLiteral("no exp")),
                 qPrintable(row.join(u'|')));
        QVERIFY(row.value(3).contains(
            QStringLiteral("This claim can be used to determine the age of the JWT.")));

        // redirect_uris: neither of the request's is the SSA's.
        row = bankRow(QStringLiteral("bank-redirect-uris"));
        QCOMPARE(row.value(0), QStringLiteral("failed"));
        QVERIFY2(row.value(2).contains(QStringLiteral("\"https://redirect.here\" is not one of the "
                                                      "SSA's software_redirect_uris")),
                 qPrintable(row.join(u'|')));
        QVERIFY(row.value(3).contains(QStringLiteral(
            "If the software statement defines a master set of redirect URIs, this must match or "
            "be a subset of the redirect URIs in the SSA.")));

        // scope "makepayment": no role of the SSA's (PISP, AISP) allows it.
        row = bankRow(QStringLiteral("bank-scope-roles"));
        QCOMPARE(row.value(0), QStringLiteral("failed"));
        QVERIFY2(row.value(2).contains(QStringLiteral("scope \"makepayment\" is not one the SSA's "
                                                      "software_roles [PISP, AISP] allow")),
                 qPrintable(row.join(u'|')));

        // software_id and iss: beKuxC1RniVsTeLYwfpgNP, the SSA's is 65d1f27c-….
        row = bankRow(QStringLiteral("bank-software-id"));
        QCOMPARE(row.value(0), QStringLiteral("failed"));
        QVERIFY(row.value(2).contains(QStringLiteral("(software-id-match)")));
        QVERIFY(row.value(2).contains(QStringLiteral("(iss-software-id)")));
        QVERIFY(row.value(3).contains(QStringLiteral(
            "If specified, the software_id in the request MUST match the software_id specified in "
            "the SSA.")));

        // No software_jwks by value; the endpoint is not fetched by opening the file.
        row = bankRow(QStringLiteral("bank-request-signature"));
        QCOMPARE(row.value(0), QStringLiteral("not checked"));
        QVERIFY2(row.value(2).contains(QStringLiteral(
                     "https://jwks.openbanking.org.uk/org_id/software_id.jkws is fetched only "
                     "when you ask")),
                 qPrintable(row.join(u'|')));

        // No subject DN claim in the seed's example.
        row = bankRow(QStringLiteral("bank-subject-dn"));
        QCOMPARE(row.value(0), QStringLiteral("not checked"));
        QVERIFY(row.value(3).contains(QStringLiteral("RFC 8705 §2.1.2")));

        m_window->leaveInspection();
        QVERIFY(m_window->preflight()->bankGroup()->isHidden());
        QVERIFY(m_window->preflight()->bankChecks().isEmpty());
    }

    // Item 3: the subject DN compared by meaning with a certificate the user picks.
    void theSubjectDnComparedWithAPickedCertificate() {
        const QString tpp =
            makeCertificate(QStringLiteral("tpp.pem"), QStringLiteral("/C=GB/O=Example/CN=tpp"));
        const QString other = makeCertificate(QStringLiteral("other.pem"),
                                              QStringLiteral("/C=GB/O=Example/CN=someone"));
        // OpenSSL's one-line rendering of the same name: equal by meaning, not by string.
        m_window->importReceivedRequest(
            requestWithSubjectDn(QStringLiteral("C = GB, O = Example, CN = tpp")),
            QStringLiteral("dn.jwt"));
        QCOMPARE(bankRow(QStringLiteral("bank-subject-dn")).value(0),
                 QStringLiteral("not checked"));
        QVERIFY(bankRow(QStringLiteral("bank-subject-dn"))
                    .value(2)
                    .contains(QStringLiteral("Compare with certificate")));

        QPushButton* compare = banner()->compareWithCertificateButton();
        QVERIFY(compare->isVisible());
        answerNextFileDialog(tpp);
        compare->click();
        QStringList row = bankRow(QStringLiteral("bank-subject-dn"));
        QCOMPARE(row.value(0), QStringLiteral("passed"));
        QVERIFY2(row.value(2).contains(QStringLiteral("compared by meaning")),
                 qPrintable(row.join(u'|')));
        QVERIFY2(
            banner()->targetText().contains(QStringLiteral("subject DN compared with tpp.pem")),
            qPrintable(banner()->targetText()));

        answerNextFileDialog(other);
        compare->click();
        row = bankRow(QStringLiteral("bank-subject-dn"));
        QCOMPARE(row.value(0), QStringLiteral("failed"));
        QVERIFY2(row.value(2).contains(QStringLiteral("(subject-dn-certificate)")),
                 qPrintable(row.join(u'|')));
        QVERIFY(findingRules().contains(QStringLiteral("subject-dn-certificate")));

        // A file with no certificate is refused, said so, and changes nothing.
        const QString notes = m_dir->filePath(QStringLiteral("notes.txt"));
        test::writeFile(notes, "not a certificate\n");
        answerNextFileDialog(notes);
        compare->click();
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Error);
        QVERIFY2(m_window->messageWidget()->text().startsWith(
                     QStringLiteral("Not compared with a certificate: ")),
                 qPrintable(m_window->messageWidget()->text()));
        QCOMPARE(bankRow(QStringLiteral("bank-subject-dn")).value(0), QStringLiteral("failed"));
        QVERIFY(banner()->targetText().contains(QStringLiteral("other.pem")));

        // Dropped on the button instead of chosen: the same.
        QMimeData mime;
        mime.setUrls({QUrl::fromLocalFile(tpp)});
        const QPoint centre = compare->rect().center();
        QDragEnterEvent enter(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(compare, &enter);
        QVERIFY(enter.isAccepted());
        QDropEvent drop(centre, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(compare, &drop);
        QVERIFY(drop.isAccepted());
        QCOMPARE(bankRow(QStringLiteral("bank-subject-dn")).value(0), QStringLiteral("passed"));
        QVERIFY(
            banner()->targetText().contains(QStringLiteral("subject DN compared with tpp.pem")));
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting); // not opened as a new file
    }

    // Item 3: the SSA's software_jwks_endpoint is fetched only on a click, over https, through
    // the session; opening the request makes no network request. The keystore's CA is trusted
    // as a system CA would be (KitCaTrustedBySystem): the fetch uses no profile's CA bundle.
    void theSoftwareJwksEndpointIsFetchedOnlyOnAClick() {
        const KitCaTrustedBySystem trusted(*m_controller->sandboxKit());
        const Key tppKey = *Key::generateEcP256();
        const QByteArray jwks = JwkSet::single(tppKey, QStringLiteral("tpp")).toJson();
        QSslConfiguration tls = ScriptedBankKit::serverTls(*m_controller->sandboxKit());
        auto keystore = test::ScriptedServer::answering(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(jwks.size()) + "\r\n\r\n" + jwks,
            &tls);
        const QString endpoint =
            QStringLiteral("https://localhost:%1/tpp.jwks").arg(keystore->port());
        const QString file = m_dir->filePath(QStringLiteral("signed-by-tpp.jwt"));
        test::writeFile(file, requestWithJwksEndpoint(endpoint, tppKey));

        m_window->openFile(file);
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QTest::qWait(300); // time enough for a request, had one been made
        QVERIFY(keystore->receivedRequests().isEmpty());
        QStringList row = bankRow(QStringLiteral("bank-request-signature"));
        QCOMPARE(row.value(0), QStringLiteral("not checked"));
        QVERIFY2(row.value(2).contains(endpoint + QStringLiteral(" is fetched only when you ask")),
                 qPrintable(row.join(u'|')));

        // The SSA verified with its issuer's secret, so the keys it names are trusted.
        auto* verify =
            m_window->ssaViewer()->findChild<QPushButton*>(QStringLiteral("verifyWithSecret"));
        QVERIFY(verify);
        answerNextInputDialog(QString::fromLatin1(kIssuerSecret));
        verify->click();
        banner()->fetchSoftwareJwksButton()->click();
        QTRY_COMPARE(bankRow(QStringLiteral("bank-request-signature")).value(0),
                     QStringLiteral("passed"));
        QCOMPARE(keystore->receivedRequests().size(), 1);
        QVERIFY(!findingRules().contains(QStringLiteral("request-signature-invalid")));
        QVERIFY(keystore->receivedRequests().first().startsWith("GET /tpp.jwks HTTP/1.1"));
        QVERIFY2(bankRow(QStringLiteral("bank-request-signature"))
                     .value(2)
                     .contains(QStringLiteral("fetched from software_jwks_endpoint")),
                 qPrintable(bankRow(QStringLiteral("bank-request-signature")).join(u'|')));

        // Another request, signed by a key the endpoint does not hold: unchecked until asked,
        // then invalid.
        const QString forged = m_dir->filePath(QStringLiteral("signed-by-another.jwt"));
        test::writeFile(forged, requestWithJwksEndpoint(endpoint, *Key::generateEcP256()));
        m_window->openFile(forged);
        QCOMPARE(bankRow(QStringLiteral("bank-request-signature")).value(0),
                 QStringLiteral("not checked"));
        banner()->fetchSoftwareJwksButton()->click();
        QTRY_COMPARE(bankRow(QStringLiteral("bank-request-signature")).value(0),
                     QStringLiteral("failed"));
        // The same verdict in the findings: one verdict, not two.
        QVERIFY(findingRules().contains(QStringLiteral("request-signature-invalid")));
        QVERIFY(bankRow(QStringLiteral("bank-request-signature"))
                    .value(2)
                    .contains(QStringLiteral("invalid")));

        // In the clear: refused, said so, and nothing is sent.
        auto plain =
            test::ScriptedServer::answering("HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        const QString clear = m_dir->filePath(QStringLiteral("http-endpoint.jwt"));
        test::writeFile(
            clear, requestWithJwksEndpoint(
                       QStringLiteral("http://127.0.0.1:%1/tpp.jwks").arg(plain->port()), tppKey));
        m_window->openFile(clear);
        banner()->fetchSoftwareJwksButton()->click();
        QCOMPARE(m_window->messageWidget()->level(), Notice::Level::Error);
        QVERIFY2(m_window->messageWidget()->text().contains(QStringLiteral("is not https")),
                 qPrintable(m_window->messageWidget()->text()));
        QTest::qWait(300);
        QVERIFY(plain->receivedRequests().isEmpty());
        QCOMPARE(bankRow(QStringLiteral("bank-request-signature")).value(0),
                 QStringLiteral("not checked"));
    }

    // A URL from a received file is fetched with verified TLS and no client identity, whatever
    // the profile says: under a profile marked insecure, that names the keystore's CA, an
    // endpoint whose certificate no system CA vouches for is refused, and no request is made.
    void theSoftwareJwksEndpointIsNotFetchedWithTheProfilesTransport() {
        const SandboxKit& kit = *m_controller->sandboxKit();
        auto bank = test::ScriptedServer::answering("HTTP/1.1 201 Created\r\n\r\n");
        Profile p = kitProfile(kit, QStringLiteral("Insecure"), bank->port());
        p.insecure = true; // and p.caBundlePath is the kit's CA
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(p.name);
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(m_controller->currentProfile().insecure);

        const Key tppKey = *Key::generateEcP256();
        const QByteArray jwks = JwkSet::single(tppKey, QStringLiteral("tpp")).toJson();
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        auto keystore = test::ScriptedServer::answering(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " +
                QByteArray::number(jwks.size()) + "\r\n\r\n" + jwks,
            &tls);
        const QString endpoint =
            QStringLiteral("https://localhost:%1/tpp.jwks").arg(keystore->port());
        const QString file = m_dir->filePath(QStringLiteral("untrusted-endpoint.jwt"));
        test::writeFile(file, requestWithJwksEndpoint(endpoint, tppKey));
        m_window->openFile(file);
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);

        banner()->fetchSoftwareJwksButton()->click();
        QTRY_COMPARE(m_window->messageWidget()->level(), Notice::Level::Error);
        QVERIFY2(m_window->messageWidget()->text().startsWith(
                     QStringLiteral("software_jwks_endpoint not fetched: ")),
                 qPrintable(m_window->messageWidget()->text()));
        QCOMPARE(bankRow(QStringLiteral("bank-request-signature")).value(0),
                 QStringLiteral("not checked"));
        QVERIFY(keystore->receivedRequests().isEmpty());
    }

    // Item 5: "Fill form from SSA" is off while inspecting (a received SSA is evidence, not a
    // template), and on again once back to composing.
    // Issue #25.5: the signature interop rules in the pane of a received request. Its SSA carries
    // software_jwks {tpp-1}: a request whose kid is tpp-1 is verified by that key (said in the
    // pane's key line); one whose header names tpp-2 is a kid-not-in-jwks row in the findings.
    void theSignatureInteropFindingsShowInThePane() {
        const Key tppKey = *Key::generateRsa(2048);
        QJsonObject claims = Jws::parse(seedExample())->claims();
        QJsonObject ssa =
            Jws::parse(claims.value(QStringLiteral("software_statement")).toString().toLatin1())
                ->claims();
        ssa.insert(QStringLiteral("software_jwks"),
                   QJsonDocument::fromJson(JwkSet::single(tppKey, QStringLiteral("tpp-1")).toJson())
                       .object());
        claims.insert(QStringLiteral("software_statement"),
                      QString::fromLatin1(*JwsSigner::signHmac(
                          QJsonDocument(ssa).toJson(QJsonDocument::Compact), kIssuerSecret)));
        const auto signedAs = [&](const char* kid) {
            const QString file = m_dir->filePath(QStringLiteral("kid-%1.jwt").arg(kid));
            test::writeFile(file,
                            *JwsSigner::signClaims(claims, tppKey, {JwsAlgorithm::PS256, kid, {}}));
            return file;
        };
        PreflightPanel* pane = m_window->preflight();

        m_window->openFile(signedAs("tpp-1"));
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QVERIFY2(!findingRules().contains(QStringLiteral("kid-not-in-jwks")),
                 qPrintable(findingRules().join(u',')));
        QVERIFY(pane->findChild<QLabel*>(QStringLiteral("preflightSignatureKeys"))->isVisible());
        QVERIFY2(pane->signatureKeysText().startsWith(
                     QStringLiteral("Keys: request verified by the software's key kid=tpp-1 (RFC "
                                    "7638 thumbprint %1) in the SSA's software_jwks")
                         .arg(jwk::thumbprint(tppKey))),
                 qPrintable(pane->signatureKeysText()));

        m_window->openFile(signedAs("tpp-2"));
        QTreeWidgetItem* row = nullptr;
        for (int i = 0; i < pane->tree()->topLevelItemCount(); ++i)
            if (pane->tree()->topLevelItem(i)->text(1) == QStringLiteral("kid-not-in-jwks"))
                row = pane->tree()->topLevelItem(i);
        QVERIFY2(row, qPrintable(findingRules().join(u',')));
        QCOMPARE(row->text(0), QStringLiteral("error"));
        QCOMPARE(row->text(2), QStringLiteral("kid"));
        QVERIFY2(row->text(3).contains(QStringLiteral(
                     "the request's header names kid \"tpp-2\", which the SSA's software_jwks "
                     "does not hold (it has: tpp-1)")),
                 qPrintable(row->text(3)));
    }

    void fillFormFromSsaIsOffWhileInspecting() {
        auto* fill = m_window->ssaViewer()->findChild<QPushButton*>(QStringLiteral("fillFromSsa"));
        QVERIFY(fill);
        QVERIFY(fill->isEnabled()); // composing, the sandbox's SSA
        m_window->importReceivedRequest(seedExample(), QStringLiteral("seed-request.jwt"));
        QVERIFY(m_window->ssaViewer()->statement());
        QVERIFY(!fill->isEnabled());
        QVERIFY(fill->toolTip().contains(QStringLiteral("inspecting")));
        const QJsonObject composed = m_controller->request().claims();
        fill->click();
        emit m_window->ssaViewer()->fillFormRequested(*m_window->ssaViewer()->statement());
        QCOMPARE(m_window->mode(), MainWindow::Mode::Inspecting);
        QCOMPARE(m_controller->request().claims(), composed);
        QVERIFY(!m_window->sendAction()->isEnabled());
        m_window->leaveInspection();
        QVERIFY(fill->isEnabled());
    }
};

QTEST_MAIN(TestConsoleInspect)
#include "tst_console_inspect.moc"
