// Issue #22, "State that goes stale" and "Words and layout" (items 8-11, 13): each pane and notice
// shows the current state, Tab moves focus, and the layout keeps its places. One console per test
// function (ConsoleFixture.h).
#include "ClaimsForm.h"
#include "ConsoleFixture.h"
#include "HistoryPanel.h"
#include "MessageWidget.h"
#include "ProfilesDialog.h"
#include "ScriptedServer.h"
#include "SsaViewer.h"
#include "TestPlanPanel.h"
#include "common/SuggestedFileName.h"
#include "registration/RegistrationRequest.h"
#include "testplan/TestPlan.h"

#include <QApplication>
#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QRegularExpression>
#include <QTabWidget>
#include <QTableView>
#include <QTableWidget>
#include <QTreeWidget>

using namespace dcr;
using namespace dcr::test;
using namespace dcr::ui;

namespace {

QString tokenStatus(const MainWindow& window) {
    return window.findChild<QLabel*>(QStringLiteral("tokenStatus"))->text();
}

QPushButton* buttonWithText(QWidget* parent, const QString& text) {
    for (auto* b : parent->findChildren<QPushButton*>())
        if (b->text() == text)
            return b;
    return nullptr;
}

} // namespace

class TestConsoleState : public ConsoleFixture {
    Q_OBJECT

private slots:
    void init() { startConsole(); }
    void cleanup() { stopConsole(); }

    // #22.8: New always makes an editable profile, also when an embedded sandbox (whose name and
    // URL are fixed) was selected, as it is on a first start.
    void newProfileIsEditableAfterAnEmbeddedOne() {
        ProfilesDialog dialog(m_controller.get(), m_window.get());
        auto* list = dialog.findChild<QListWidget*>();
        auto* name = dialog.findChild<QLineEdit*>(QStringLiteral("profileName"));
        auto* url = dialog.findChild<QLineEdit*>(QStringLiteral("profileUrl"));
        QCOMPARE(list->currentItem()->text(), QString::fromLatin1(Session::SandboxProfileName));
        QVERIFY(!name->isEnabled()); // the embedded sandbox's name and URL are fixed
        QVERIFY(!url->isEnabled());
        buttonWithText(&dialog, QStringLiteral("New"))->click();
        QVERIFY(name->isEnabled());
        QVERIFY(url->isEnabled());
        QVERIFY(name->text().isEmpty());
        QVERIFY(url->text().isEmpty());
        QVERIFY(!list->currentItem()); // nothing in the list is being edited
        name->setText(QStringLiteral("My bank"));
        url->setText(QStringLiteral("https://bank.example/register"));
        dialog.findChild<QPushButton*>(QStringLiteral("profileSave"))->click();
        const auto saved = m_session->profile(QStringLiteral("My bank"));
        QVERIFY(saved);
        QVERIFY(!saved->embeddedSandbox);
        QCOMPARE(saved->registrationUrl, QUrl(QStringLiteral("https://bank.example/register")));
        // The embedded sandbox is as it was.
        const auto sandbox = m_session->profile(QString::fromLatin1(Session::SandboxProfileName));
        QVERIFY(sandbox && sandbox->embeddedSandbox);
        // New from a preset after an embedded profile is editable too.
        list->setCurrentItem(
            list->findItems(QString::fromLatin1(Session::ObieSandboxProfileName), Qt::MatchExactly)
                .first());
        QVERIFY(!name->isEnabled());
        dialog.findChild<QAction*>(QStringLiteral("preset-rfc7591"))->trigger();
        QVERIFY(name->isEnabled());
        QVERIFY(url->isEnabled());
    }

    // #22.9: a notice clears when a new action starts: the red "… is empty." bar of a file goes
    // when a send starts, and again when a test run starts.
    void aNoticeClearsWhenTheNextActionStarts() {
        const QString empty = m_dir->filePath(QStringLiteral("empty.jwt"));
        test::writeFile(empty, QByteArray());
        MessageWidget* bar = m_window->messageWidget();
        m_window->openFile(empty);
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->level(), Notice::Level::Error);
        QVERIFY2(bar->text().endsWith(QStringLiteral("empty.jwt is empty.")),
                 qPrintable(bar->text()));
        sendAndWait();
        QTRY_VERIFY(m_window->response()->outcomeText().startsWith(QStringLiteral("Accepted")));
        QVERIFY(!bar->isVisible());
        QVERIFY(bar->text().isEmpty());

        m_window->openFile(empty);
        QVERIFY(bar->isVisible());
        TestPlanPanel* tests = m_window->testPlanPanel();
        const QList<TestScenario> scenarios = TestPlan::builtIn().scenarios;
        for (const TestScenario& s : scenarios)
            tests->setScenarioChecked(s.id, s.id == scenarios.first().id);
        QSignalSpy finished(m_controller.get(), &ConsoleController::testRunFinished);
        tests->runButton()->click();
        QVERIFY(!bar->isVisible()); // gone when the run starts, not only when it ends
        QVERIFY(finished.wait(60000));
        QVERIFY(!bar->isVisible());
    }

    // #22.9 (review): a switch of profile clears the last profile's notice, but not the new
    // profile's own, which its preparation says after the switch (here: a signing key file that
    // is not a key).
    void aProfilesOwnNoticeOutlivesTheSwitch() {
        MessageWidget* bar = m_window->messageWidget();
        const QString empty = m_dir->filePath(QStringLiteral("empty.jwt"));
        test::writeFile(empty, QByteArray());
        m_window->openFile(empty);
        QVERIFY(bar->isVisible());
        const QString notAKey = m_dir->filePath(QStringLiteral("not-a-key.pem"));
        test::writeFile(notAKey, QByteArrayLiteral("this is not a key\n"));
        Profile p;
        p.name = QStringLiteral("Bank with a broken key");
        p.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        p.signingKeyPath = notAKey;
        QVERIFY(m_controller->saveProfile(p));
        m_controller->selectProfile(p.name);
        QVERIFY(!bar->isVisible()); // the file's notice is the last profile's
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(bar->isVisible());
        QCOMPARE(bar->level(), Notice::Level::Warning);
        QVERIFY2(bar->text().startsWith(QStringLiteral("The profile's signing key is not loaded")),
                 qPrintable(bar->text()));
    }

    // What the session says when it opens (here: a damaged history moved aside) reaches the
    // message bar, though the window is made after the controller starts, as in main().
    void aStartNoticeReachesTheWindow() {
        stopConsole();
        m_dir = std::make_unique<QTemporaryDir>();
        const AppPaths paths = consolePaths();
        QVERIFY(QDir().mkpath(QFileInfo(paths.historyDb).absolutePath()));
        test::writeFile(paths.historyDb, QByteArray(4096, 'x'));
        m_session = std::make_unique<Session>(paths);
        m_controller = std::make_unique<ui::ConsoleController>(m_session.get());
        m_controller->start();
        m_window = std::make_unique<ui::MainWindow>(m_controller.get());
        m_window->show();
        MessageWidget* bar = m_window->messageWidget();
        QTRY_VERIFY(bar->isVisible());
        QCOMPARE(bar->level(), Notice::Level::Error);
        QVERIFY2(bar->text().startsWith(QStringLiteral("The history database was damaged")),
                 qPrintable(bar->text()));
        QTRY_VERIFY(m_controller->isProfileReady());
        QVERIFY(bar->isVisible()); // the sandbox profile's preparation has nothing to say
    }

    // #22.9: the preview says "Being sent" only while the request is being sent: not after the
    // user declined to send it, and not after it was sent.
    void thePreviewIsBeingSentOnlyWhileItIs() {
        redirects()->item(0)->setText(QStringLiteral("https://evil.example.com/cb"));
        QTRY_VERIFY(findingRules().contains(QStringLiteral("redirect-in-ssa")));
        QString whileAsked;
        m_window->setSendConfirmation([&](int) {
            whileAsked = tokenStatus(*m_window);
            return false;
        });
        m_window->sendAction()->trigger();
        QVERIFY2(whileAsked.startsWith(QStringLiteral("Being sent")), qPrintable(whileAsked));
        QVERIFY2(!tokenStatus(*m_window).contains(QStringLiteral("Being sent")),
                 qPrintable(tokenStatus(*m_window)));
        QVERIFY(tokenStatus(*m_window).contains(QStringLiteral("as it would be sent now")));
        QVERIFY(!m_window->preview()->token().isEmpty());

        m_window->setSendConfirmation([](int) { return true; });
        sendAndWait();
        QTRY_VERIFY2(!tokenStatus(*m_window).contains(QStringLiteral("Being sent")),
                     qPrintable(tokenStatus(*m_window)));
    }

    // #22.9: a filter that matches nothing leaves no entry's detail, note or enabled actions.
    void aFilterThatEmptiesTheHistoryClearsItsDetail() {
        sendAndWait();
        HistoryPanel* history = m_window->historyPanel();
        QTRY_VERIFY(history->model()->rowCount() > 0);
        history->selectRow(0);
        QTRY_VERIFY(history->shownRecord().has_value());
        const QStringList actions{
            QStringLiteral("historyOpen"),     QStringLiteral("historySendAgain"),
            QStringLiteral("historySaveNote"), QStringLiteral("historyExportJson"),
            QStringLiteral("historyCopyCurl"), QStringLiteral("historyForget"),
            QStringLiteral("historyDelete")};
        auto enabled = [&](bool expected) {
            for (const QString& name : actions)
                if (history->findChild<QPushButton*>(name)->isEnabled() != expected)
                    return false;
            return true;
        };
        QVERIFY(enabled(true));
        QVERIFY(!history->detail()->toPlainText().isEmpty());
        history->filterEdit()->setText(QStringLiteral("no-such-entry-anywhere"));
        QTRY_COMPARE(history->model()->rowCount(), 0);
        QTRY_VERIFY(history->detail()->toPlainText().isEmpty());
        QVERIFY(!history->shownRecord());
        QVERIFY(enabled(false));
        QVERIFY(history->findChild<QLineEdit*>(QStringLiteral("historyNote"))->text().isEmpty());
        // Clearing the filter brings the rows, a selection and its actions back.
        history->filterEdit()->clear();
        QTRY_VERIFY(history->model()->rowCount() > 0);
        QTRY_VERIFY(history->shownRecord().has_value());
        QVERIFY(enabled(true));
    }

    // #22.9: "Open in form" puts that entry's SSA in the SSA tab, not the one shown before.
    void openInFormShowsThatRequestsSsa() {
        sendAndWait();
        const QString kitClient = m_window->ssaViewer()->statement()->clientName();
        // Another SSA in the SSA tab: the seed example's.
        const auto seed =
            Jws::parse(test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed());
        QVERIFY(seed);
        m_window->ssaViewer()->setSsaText(RegistrationRequest(seed->claims()).softwareStatement());
        QCOMPARE(m_window->ssaViewer()->statement()->clientName(),
                 QStringLiteral("Amazon Prime Movies"));
        HistoryPanel* history = m_window->historyPanel();
        QTRY_VERIFY(history->model()->rowCount() > 0);
        history->selectRow(0);
        QTRY_VERIFY(history->shownRecord().has_value());
        history->findChild<QPushButton*>(QStringLiteral("historyOpen"))->click();
        QVERIFY(m_window->ssaViewer()->statement());
        QCOMPARE(m_window->ssaViewer()->statement()->clientName(), kitClient);
        QCOMPARE(m_window->ssaViewer()->statement()->jws().compact(),
                 m_controller->request().softwareStatement().toLatin1());
    }

    // #22.10: Tab moves the focus on from every text field of the form (a JWT and JSON have no
    // tabs to type); Ctrl+Tab is the tab widget's.
    void tabMovesFocusInEveryField() {
        m_window->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_window.get()));
        const auto edits = m_window->form()->findChildren<QPlainTextEdit*>();
        QVERIFY(edits.size() >= 2); // software_statement, extra claims
        for (QPlainTextEdit* edit : edits) {
            QVERIFY2(edit->tabChangesFocus(), qPrintable(edit->objectName()));
            edit->setFocus();
            QTRY_COMPARE(QApplication::focusWidget(), edit);
            const QString before = edit->toPlainText();
            QTest::keyClick(edit, Qt::Key_Tab);
            QVERIFY2(QApplication::focusWidget() != edit, qPrintable(edit->objectName()));
            QCOMPARE(edit->toPlainText(), before);
            QVERIFY(!edit->toPlainText().contains(u'\t'));
        }
    }

    // #22.11: a cancel by the user is said as such, with no fix to make.
    void aCancelOffersNoFix() {
        const SandboxKit kit = *m_controller->sandboxKit();
        QSslConfiguration tls = ScriptedBankKit::serverTls(kit);
        test::ScriptedServer silent(test::ScriptedServer::Behaviour::NeverAnswer, &tls);
        Profile p = kitProfile(kit, QStringLiteral("Silent"), silent.port());
        p.signingKeyPath = kit.path(QStringLiteral("tpp-signing-key.pem"));
        QVERIFY(m_controller->saveProfile(p).ok());
        m_controller->selectProfile(QStringLiteral("Silent"));
        QTRY_VERIFY(m_controller->isProfileReady());
        QTRY_VERIFY(m_window->sendAction()->isEnabled());
        QSignalSpy finished(m_controller.get(), &ConsoleController::sendFinished);
        m_window->sendAction()->trigger();
        // Busy from the moment Send is pressed (#25.2: the history is looked at first, on the
        // reader's thread): Send off, Cancel on.
        QVERIFY(m_controller->isSending());
        QVERIFY(!m_window->sendAction()->isEnabled());
        QVERIFY(m_window->cancelAction()->isEnabled());
        // This test cancels a request in flight (a cancel during the check is
        // tst_console_lost's): once it is sent, and the silent bank has had time to read it.
        QTRY_COMPARE(m_controller->sendState(), ConsoleController::SendState::Sending);
        QTest::qWait(300);
        m_window->cancelAction()->trigger();
        QVERIFY(finished.wait(20000));
        QCOMPARE(m_window->response()->outcomeText(), QStringLiteral("Cancelled: not delivered"));
        const QString explanation = m_window->response()->explanationText();
        QVERIFY2(explanation.contains(QStringLiteral("cancelled by the user")),
                 qPrintable(explanation));
        QVERIFY2(!explanation.contains(QStringLiteral("Likely fix")), qPrintable(explanation));
    }

    // #22.13: the subject DN box is a whole row wide, like the text fields, once its choices (the
    // transport certificate's DN) arrive after the window was first shown.
    void theSubjectDnBoxIsAWholeRow() {
        auto* dn =
            m_window->findChild<QComboBox*>(QStringLiteral("claim_tls_client_auth_subject_dn"));
        auto* softwareId = m_window->findChild<QLineEdit*>(QStringLiteral("claim_software_id"));
        QVERIFY(dn && softwareId);
        QTRY_VERIFY(dn->count() > 0);
        QTRY_VERIFY2(
            dn->width() >= softwareId->width() - 2,
            qPrintable(QStringLiteral("%1 vs %2").arg(dn->width()).arg(softwareId->width())));
        QVERIFY(dn->width() >= dn->fontMetrics().horizontalAdvance(QString(40, u'x')));
    }

    // #22.13: the Expected column shows its text whole; each cell's text is its tooltip.
    void theExpectedColumnShowsItsTextWhole() {
        TestPlanPanel* panel = m_window->testPlanPanel();
        TestRunSummary run;
        run.runId = QStringLiteral("3f2a9c1d");
        run.profile = QStringLiteral("Local sandbox");
        run.spec = QStringLiteral("seed");
        run.started = QDateTime(QDate(2026, 12, 2), QTime(9, 30), Qt::UTC);
        run.finished = run.started;
        ScenarioResult r;
        r.scenarioId = QStringLiteral("DCR-012");
        r.expected = QStringLiteral("401 WrongRequiredFields or 400 RequestFormatInvalid");
        r.got = QStringLiteral("401 WrongRequiredFields");
        r.verdict = Verdict::Passed;
        run.results << r;
        panel->showSummary(run);
        m_window->showTab(QStringLiteral("Test plan"));
        QTableWidget* table = panel->results();
        QTRY_VERIFY(table->isVisible());
        const int needed = table->fontMetrics().horizontalAdvance(r.expected);
        QTRY_VERIFY2(table->columnWidth(1) >= needed,
                     qPrintable(QStringLiteral("%1 < %2").arg(table->columnWidth(1)).arg(needed)));
        QCOMPARE(table->item(0, 1)->toolTip(), r.expected);
        QCOMPARE(table->item(0, 2)->toolTip(), r.got);
        // #22.13: the export dialogs propose <profile>-<run id>-<date>.
        QCOMPARE(panel->proposedReportName(QStringLiteral("html")),
                 QStringLiteral("Local-sandbox-3f2a9c1d-2026-12-02.html"));
        QCOMPARE(panel->proposedReportName(QStringLiteral("xml")),
                 QStringLiteral("Local-sandbox-3f2a9c1d-2026-12-02.xml"));
        QCOMPARE(m_window->historyPanel()->proposedExportName({12}),
                 QStringLiteral("dcr-history-entry-12-%1.json")
                     .arg(fileNameDate(QDateTime::currentDateTimeUtc().date())));
    }

    // #22.13: without findings the preflight pane is its text lines only (the summary, the SSA
    // signature verdict when there is an SSA, and which key verified it); findings open it again.
    void theEmptyPreflightPaneIsOneLine() {
        PreflightPanel* pane = m_window->preflight();
        QTRY_VERIFY(m_window->preflight()->findings().isEmpty());
        QVERIFY(pane->isCollapsed());
        // The visible text lines, read when asked (the SSA line comes with the signed preview).
        const auto lines = [pane] {
            int height = 0;
            for (const char* name :
                 {"preflightSummary", "preflightSsaSignature", "preflightSignatureKeys"})
                if (auto* label = pane->findChild<QLabel*>(QString::fromLatin1(name));
                    label->isVisible())
                    height += label->sizeHint().height();
            return height;
        };
        const QString good = redirects()->item(0)->text();
        QTRY_VERIFY2(pane->height() <= lines() + 30, qPrintable(QString::number(pane->height())));
        redirects()->item(0)->setText(QStringLiteral("https://evil.example.com/cb"));
        QTRY_VERIFY(findingRules().contains(QStringLiteral("redirect-in-ssa")));
        QVERIFY(!pane->isCollapsed());
        QTRY_VERIFY2(pane->height() >= 150, qPrintable(QString::number(pane->height())));
        QVERIFY(pane->tree()->isVisible());
        redirects()->item(0)->setText(good);
        QTRY_VERIFY(pane->isCollapsed());
        QTRY_VERIFY2(pane->height() <= lines() + 30, qPrintable(QString::number(pane->height())));
    }

    // #22.13: the message bar keeps its place: the tabs do not move when a message comes or goes,
    // and a long message is cut at two lines with the whole text in the tooltip.
    void theMessageBarDoesNotMoveTheTabs() {
        auto* tabs = m_window->findChild<QTabWidget*>(QStringLiteral("tabs"));
        MessageWidget* bar = m_window->messageWidget();
        QVERIFY(!bar->isVisible());
        const int top = tabs->mapTo(m_window.get(), QPoint(0, 0)).y();
        const int height = bar->height();
        QVERIFY(height > 0);
        m_window->showNotice({Notice::Level::Error, QStringLiteral("short")});
        QVERIFY(bar->isVisible());
        QApplication::processEvents();
        QCOMPARE(tabs->mapTo(m_window.get(), QPoint(0, 0)).y(), top);
        QString longText;
        for (int i = 0; i < 60; ++i)
            longText += QStringLiteral("word%1 and more words ").arg(i);
        m_window->showNotice({Notice::Level::Warning, longText});
        QApplication::processEvents();
        QCOMPARE(bar->height(), height);
        QCOMPARE(tabs->mapTo(m_window.get(), QPoint(0, 0)).y(), top);
        QCOMPARE(bar->text(), longText);
        QVERIFY(bar->label()->text().endsWith(u'…'));
        QCOMPARE(bar->label()->toolTip(), longText);
        bar->dismiss();
        QApplication::processEvents();
        QVERIFY(!bar->isVisible());
        QCOMPARE(tabs->mapTo(m_window.get(), QPoint(0, 0)).y(), top);
    }

    // #22.13: an age reads "6 years ago", with the exact UTC time beside it and in the tooltip.
    void agesAreSaidInYears() {
        m_window->importReceivedRequest(
            test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed(),
            QStringLiteral("seed example"));
        QTreeWidget* tree = m_window->preflight()->tree();
        QTreeWidgetItem* expPast = nullptr;
        for (int i = 0; i < tree->topLevelItemCount(); ++i)
            if (tree->topLevelItem(i)->text(1) == QStringLiteral("exp-past"))
                expPast = tree->topLevelItem(i);
        QVERIFY(expPast);
        const QString text = expPast->text(3);
        QVERIFY2(text.contains(QRegularExpression(QStringLiteral("\\(\\d+ years ago\\)"))),
                 qPrintable(text));
        QVERIFY2(!text.contains(QStringLiteral(" s ago")), qPrintable(text));
        QVERIFY(expPast->toolTip(3).contains(QStringLiteral("2020-11-25T09:56:09Z")));
    }
};

QTEST_MAIN(TestConsoleState)
#include "tst_console_state.moc"
