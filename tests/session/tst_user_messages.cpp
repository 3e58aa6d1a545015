// #22.11: every text the console and dcrctl show for a refused, cancelled or failed action,
// listed by driving each failure kind through the code that words it (the outcome classifier and
// its advice, the token endpoint's errors, the transport failures, a test run's end), and checked
// for the garbles found before: a prefix said twice ("stopped: stopped: …"), a fix run on into the
// sentence before it ("… does not accept check the client_id"), a fix offered after the user's own
// cancel. The checks are first shown to catch those very texts.
#include "registration/OutcomeAdvice.h"
#include "registration/RegistrationOutcome.h"
#include "registration/TokenResponse.h"
#include "testplan/TestRunSummary.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace dcr;

namespace {

// "stopped: stopped:", "Not sent: not sent:" (a phrase of 3 to 40 characters, then itself).
bool hasDoubledPrefix(const QString& text) {
    static const QRegularExpression doubled(QStringLiteral("\\b([A-Za-z][A-Za-z ]{2,39}): \\1:"),
                                            QRegularExpression::CaseInsensitiveOption);
    return doubled.match(text).hasMatch();
}

// A fix's imperative glued to the end of the sentence before it: a word, one space, the verb and
// its object, where a sentence needs a full stop, a colon or a conjunction in between.
bool hasRunOnFix(const QString& text) {
    static const QRegularExpression runOn(
        QStringLiteral("\\b(?!and\\b|or\\b|to\\b|then\\b|also\\b|first\\b|please\\b|not\\b|"
                       "fix\\b|\\w+:)[a-z_]+ (check|use|send|get|read|add|ask|retry|request|"
                       "register|wait|switch|compare) (the|a|an|its|only|whether|that)\\b"));
    return runOn.match(text).hasMatch();
}

QStringList problemsOf(const QString& where, const QString& text) {
    QStringList problems;
    if (hasDoubledPrefix(text))
        problems << where + QStringLiteral(": a prefix said twice: ") + text;
    if (hasRunOnFix(text))
        problems << where + QStringLiteral(": a fix run on into the sentence before: ") + text;
    return problems;
}

// What the console's Response tab and dcrctl print for a classified answer.
QStringList shownTexts(const RegistrationOutcome& o) {
    QStringList texts{o.summary(), o.explanation};
    if (!o.likelyFix.isEmpty())
        texts << QStringLiteral("Likely fix: ") + o.likelyFix
              << QStringLiteral("  fix:     ") + o.likelyFix;
    return texts;
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

const QStringList kRfcCodes = {QStringLiteral("invalid_redirect_uri"),
                               QStringLiteral("invalid_client_metadata"),
                               QStringLiteral("invalid_software_statement"),
                               QStringLiteral("unapproved_software_statement"),
                               QStringLiteral("invalid_request"),
                               QStringLiteral("invalid_client"),
                               QStringLiteral("invalid_grant"),
                               QStringLiteral("unauthorized_client"),
                               QStringLiteral("unsupported_grant_type"),
                               QStringLiteral("invalid_scope"),
                               QStringLiteral("access_denied"),
                               QStringLiteral("invalid_token"),
                               QStringLiteral("insufficient_scope"),
                               QStringLiteral("made_up_code")};

} // namespace

class TestUserMessages : public QObject {
    Q_OBJECT

private slots:
    // The checks catch the texts the issue quotes, and pass their repaired forms.
    void theChecksCatchTheKnownGarbles() {
        QVERIFY(
            hasDoubledPrefix(QStringLiteral("stopped: stopped: the ASPSP could not be reached")));
        QVERIFY(hasDoubledPrefix(QStringLiteral("Run 1; stopped: Stopped: x")));
        QVERIFY(!hasDoubledPrefix(QStringLiteral("stopped: the ASPSP could not be reached")));
        QVERIFY(hasRunOnFix(QStringLiteral(
            "Token refused (HTTP 401, invalid_client): client authentication failed: unknown "
            "client, wrong method, or a credential the server does not accept check the "
            "client_id, that the method is the one registered")));
        QVERIFY(!hasRunOnFix(QStringLiteral("… the server does not accept. Likely fix: check the "
                                            "client_id")));
        QVERIFY(!hasRunOnFix(QStringLiteral("Read the text; run preflight for missing claims, and "
                                            "check the signing key")));
        // The token refusal of the issue, as the console words it now.
        TokenResponse refused = parseTokenResponse(
            401, {}, json({{QStringLiteral("error"), QStringLiteral("invalid_client")}}));
        QVERIFY(hasRunOnFix(refused.summary() + u' ' + refused.likelyFix)); // how it was shown
        QVERIFY2(problemsOf(QStringLiteral("token"), refused.summaryWithFix()).isEmpty(),
                 qPrintable(refused.summaryWithFix()));
        QVERIFY(refused.summaryWithFix().contains(QStringLiteral("does not accept. Likely fix: "
                                                                 "check the client_id")));
    }

    // Every answer the classifier words: each status, operation, body shape and challenge.
    void everyClassifiedRefusalReadsRight() {
        QStringList problems;
        int texts = 0;
        const RegistrationOperation operations[] = {
            RegistrationOperation::Register, RegistrationOperation::Read,
            RegistrationOperation::Update, RegistrationOperation::Delete,
            RegistrationOperation::Discovery};
        QList<QByteArray> bodies{QByteArray(), "<html><body>Bad gateway</body></html>",
                                 "plain words", "{\"unrelated\":true}",
                                 "{\"error_message\":\"Details are stored in error_message\"}"};
        for (const QString& code : kRfcCodes)
            bodies << json({{QStringLiteral("error"), code},
                            {QStringLiteral("error_description"), QStringLiteral("as the bank "
                                                                                 "says")}});
        for (const ErrorClassInfo& info : seedErrorClasses())
            bodies << json(
                {{QStringLiteral("tppMessages"),
                  QJsonArray{QJsonObject{{QStringLiteral("category"), info.errorClass},
                                         {QStringLiteral("code"), info.errorClass},
                                         {QStringLiteral("text"), QStringLiteral("t")}}}}});
        QList<HeaderList> headerSets{{}, {{"WWW-Authenticate", "Bearer realm=\"dcr\""}}};
        for (const QString& code : kRfcCodes)
            headerSets << HeaderList{
                {"WWW-Authenticate", "Bearer error=\"" + code.toLatin1() + "\""}};
        for (RegistrationOperation op : operations)
            for (int status : {200, 201, 204, 302, 400, 401, 403, 404, 405, 406, 409, 415, 418, 429,
                               500, 502, 503})
                for (const QByteArray& body : bodies)
                    for (const HeaderList& headers : headerSets) {
                        if (!headers.isEmpty() && status != 400 && status != 401 && status != 403)
                            continue;
                        const RegistrationOutcome o = classifyResponse(
                            ClassificationContext{op, {}, std::nullopt}, status, headers, body);
                        const QString where =
                            QStringLiteral("%1 %2 %3 %4")
                                .arg(operationName(op))
                                .arg(status)
                                .arg(QString::fromLatin1(body.left(60)))
                                .arg(headers.isEmpty()
                                         ? QString()
                                         : QString::fromLatin1(headers.first().second));
                        for (const QString& text : shownTexts(o)) {
                            ++texts;
                            problems << problemsOf(where, text);
                        }
                        // A fix is a sentence of its own: it starts with a capital letter and
                        // ends with a full stop, whatever was appended to it.
                        if (!o.likelyFix.isEmpty() &&
                            (!o.likelyFix.front().isUpper() || !o.likelyFix.endsWith(u'.')))
                            problems
                                << where + QStringLiteral(": fix not a sentence: ") + o.likelyFix;
                    }
        QVERIFY(texts > 5000);
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // The token endpoint's answers, as the console's message bar and dcrctl token show them.
    void everyTokenRefusalReadsRight() {
        QStringList problems;
        QList<QByteArray> bodies{QByteArray(), "not json", "{}"};
        for (const QString& code : kRfcCodes)
            bodies << json({{QStringLiteral("error"), code}});
        for (int status : {200, 400, 401, 403, 500})
            for (const QByteArray& body : bodies) {
                const TokenResponse r = parseTokenResponse(status, {}, body);
                const QString where =
                    QStringLiteral("token %1 %2").arg(status).arg(QString::fromLatin1(body));
                problems << problemsOf(where, r.summaryWithFix()) << problemsOf(where, r.summary())
                         << problemsOf(where, QStringLiteral("  fix:     ") + r.likelyFix);
                if (!r.ok) {
                    QVERIFY2(r.summaryWithFix().contains(QStringLiteral(". Likely fix: ")),
                             qPrintable(r.summaryWithFix()));
                    QVERIFY2(r.summaryWithFix().endsWith(u'.'), qPrintable(r.summaryWithFix()));
                    QVERIFY2(!r.summaryWithFix().contains(QStringLiteral("..")),
                             qPrintable(r.summaryWithFix()));
                }
            }
        problems.removeDuplicates();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }

    // A request that got no answer: a fix for each failure, none after the user's own cancel.
    void transportFailuresAndTheUsersCancel() {
        for (ErrorKind kind :
             {ErrorKind::NetworkDns, ErrorKind::NetworkConnectionRefused, ErrorKind::NetworkTls,
              ErrorKind::NetworkTlsRefused, ErrorKind::NetworkTimeout, ErrorKind::NetworkReset,
              ErrorKind::NetworkOversize, ErrorKind::NetworkOriginRefused,
              ErrorKind::NetworkOther}) {
            const QString fix = transportFailureFix(kind);
            QVERIFY2(!fix.isEmpty() && fix.front().isUpper() && fix.endsWith(u'.'),
                     qPrintable(fix));
            QVERIFY(problemsOf(QStringLiteral("transport"), fix).isEmpty());
        }
        QVERIFY(transportFailureFix(ErrorKind::NetworkCancelled).isEmpty());
    }

    // How a test run ended, as the Test plan tab, the HTML report and dcrctl say it.
    void aTestRunsEndIsSaidOnce() {
        TestRunSummary run;
        QVERIFY(run.endNote().isEmpty());
        run.stopReason = QStringLiteral("the ASPSP could not be reached (no answer within 5 s)");
        QCOMPARE(run.endNote(),
                 QStringLiteral("stopped: the ASPSP could not be reached (no answer within 5 s)"));
        QVERIFY(!hasDoubledPrefix(run.endNote()));
        // A run saved with the prefix in its reason reads back with it once.
        run.runId = QStringLiteral("r1");
        QJsonObject saved = run.toJson();
        saved.insert(QStringLiteral("stop_reason"), QStringLiteral("stopped: ") + run.stopReason);
        const auto back = TestRunSummary::fromJson(saved);
        QVERIFY(back.ok());
        QCOMPARE(back->endNote(), run.endNote());
        run.cancelled = true;
        QCOMPARE(run.endNote(), QStringLiteral("cancelled"));
    }
};

QTEST_GUILESS_MAIN(TestUserMessages)
#include "tst_user_messages.moc"
