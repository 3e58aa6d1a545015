#include "ResponseView.h"

#include "registration/OutcomeAdvice.h"

#include "JsonHighlighter.h"
#include "JsonText.h"
#include "Tone.h"

#include <QCheckBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QHeaderView>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dcr::ui {

namespace {

QString jsonText(const QJsonValue& v) {
    if (v.isUndefined())
        return QObject::tr("(dropped)");
    return compactJsonText(v);
}

} // namespace

ResponseView::ResponseView(QWidget* parent)
    : QWidget(parent) {
    auto* layout = new QVBoxLayout(this);
    m_outcome = new QLabel(tr("Nothing sent yet. Press Send (Ctrl+Return)."), this);
    m_outcome->setObjectName(QStringLiteral("responseOutcome"));
    m_outcome->setWordWrap(true);
    QFont big = m_outcome->font();
    big.setPointSizeF(big.pointSizeF() * 1.25);
    big.setBold(true);
    m_outcome->setFont(big);
    m_explanation = new QLabel(this);
    m_explanation->setObjectName(QStringLiteral("responseExplanation"));
    m_explanation->setWordWrap(true);
    m_fix = new QLabel(this);
    m_fix->setObjectName(QStringLiteral("responseFix"));
    m_fix->setWordWrap(true);
    m_meta = new QLabel(this);
    m_meta->setObjectName(QStringLiteral("responseMeta"));
    m_meta->setWordWrap(true);
    m_meta->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subjectDn = new QLabel(this);
    m_subjectDn->setObjectName(QStringLiteral("responseSubjectDn"));
    m_subjectDn->setWordWrap(true);
    m_subjectDn->setTextFormat(Qt::PlainText);
    m_subjectDn->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_subjectDn->hide();
    m_changes = new QTableWidget(0, 3, this);
    m_changes->setObjectName(QStringLiteral("responseChanges"));
    m_changes->setHorizontalHeaderLabels(
        {tr("Claim the bank changed"), tr("Requested"), tr("Granted")});
    m_changes->horizontalHeader()->setStretchLastSection(true);
    m_changes->setMaximumHeight(120);
    m_changes->hide();
    m_headers = new QPlainTextEdit(this);
    m_headers->setReadOnly(true);
    m_headers->setMaximumHeight(100);
    m_headers->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_body = new QPlainTextEdit(this);
    m_body->setObjectName(QStringLiteral("responseBody"));
    m_body->setReadOnly(true);
    m_body->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    new JsonHighlighter(m_body->document());
    m_reveal = new QCheckBox(tr("Reveal secrets (client_secret, registration_access_token)"), this);
    m_reveal->setObjectName(QStringLiteral("revealSecrets"));
    connect(m_reveal, &QCheckBox::toggled, this, &ResponseView::renderBody);
    layout->addWidget(m_outcome);
    layout->addWidget(m_explanation);
    layout->addWidget(m_fix);
    layout->addWidget(m_subjectDn);
    layout->addWidget(m_changes);
    layout->addWidget(m_meta);
    layout->addWidget(new QLabel(tr("Response headers"), this));
    layout->addWidget(m_headers);
    auto* bodyRow = new QHBoxLayout;
    bodyRow->addWidget(new QLabel(tr("Response body"), this));
    bodyRow->addStretch();
    bodyRow->addWidget(m_reveal);
    layout->addLayout(bodyRow);
    layout->addWidget(m_body, 1);
}

void ResponseView::showSending(const QString& url) {
    m_outcome->setText(tr("Sending to %1 …").arg(url));
    setTextTone(m_outcome, Tone::Normal);
    m_explanation->clear();
    m_fix->clear();
    m_meta->clear();
    m_changes->hide();
    showEchoedSubjectDns({});
    m_headers->clear();
    m_rawBody.clear();
    m_contentType.clear();
    renderBody();
}

void ResponseView::showResult(const SubmissionResult& result) {
    const HttpExchange& e = result.exchange;
    Tone tone = Tone::Normal;
    if (!e.completed()) {
        const ErrorKind kind = e.failure->kind;
        // A cancel is the user's own doing: said as such, with nothing to fix.
        m_outcome->setText(kind == ErrorKind::NetworkCancelled
                               ? tr("Cancelled: not delivered")
                               : tr("Not delivered: %1 failure").arg(failureClassName(kind)));
        m_explanation->setText(e.failure->message);
        const QString fix = transportFailureFix(kind);
        m_fix->setText(fix.isEmpty() ? QString() : tr("Likely fix: %1").arg(fix));
        tone = Tone::Error;
    } else {
        const RegistrationOutcome& o = result.outcome;
        m_outcome->setText(o.summary());
        m_explanation->setText(o.explanation);
        m_fix->setText(o.likelyFix.isEmpty() ? QString() : tr("Likely fix: %1").arg(o.likelyFix));
        tone = outcomeIsSuccess(o.kind) && o.signature != ResponseSignature::Invalid ? Tone::Success
                                                                                     : Tone::Error;
        m_changes->setRowCount(0);
        for (const auto& change : o.changes) {
            const int row = m_changes->rowCount();
            m_changes->insertRow(row);
            m_changes->setItem(row, 0, new QTableWidgetItem(change.claim));
            m_changes->setItem(row, 1, new QTableWidgetItem(jsonText(change.requested)));
            m_changes->setItem(row, 2, new QTableWidgetItem(jsonText(change.granted)));
        }
        m_changes->setVisible(!o.changes.isEmpty());
    }
    showEchoedSubjectDns(result.echoedSubjectDns);
    setTextTone(m_outcome, tone);
    QStringList meta{tr("%1 %2").arg(QString::fromLatin1(e.method), e.url.toString()),
                     tr("%1 ms").arg(e.elapsedMs)};
    if (!e.tlsProtocol.isEmpty())
        meta << e.tlsProtocol + u' ' + e.tlsCipher;
    if (e.insecure)
        meta << tr("TLS VERIFICATION WAS OFF");
    if (!e.tlsWarning.isEmpty())
        meta << tr("TLS WARNING: %1").arg(e.tlsWarning);
    if (e.truncated)
        meta << tr("body truncated at the size limit");
    if (result.historyId)
        meta << tr("history #%1").arg(result.historyId);
    m_meta->setText(meta.join(QStringLiteral("  ·  ")));
    QStringList headerLines;
    if (e.status)
        headerLines
            << QStringLiteral("HTTP %1 %2").arg(e.status).arg(QString::fromLatin1(e.reason));
    for (const auto& [k, v] : e.responseHeaders)
        headerLines << QString::fromLatin1(k) + QStringLiteral(": ") + QString::fromLatin1(v);
    m_headers->setPlainText(headerLines.join(u'\n'));
    m_rawBody = e.responseBody;
    m_contentType = e.responseHeader("content-type").toLatin1();
    renderBody();
}

// Only a DN that differs by meaning is shown: the bank's own spelling of the same subject is fine.
void ResponseView::showEchoedSubjectDns(const QList<EchoedSubjectDn>& echoes) {
    QStringList lines;
    for (const auto& echo : echoes) {
        if (echo.sameByMeaning())
            continue;
        lines << tr("The bank's %1 \"%2\" is not the transport certificate's subject %3:")
                     .arg(echo.claim, echo.echoed, echo.certificateSubject);
        for (const auto& problem : echo.problems())
            lines << QStringLiteral("  • ") + problem;
    }
    m_subjectDn->setText(lines.join(u'\n'));
    setTextTone(m_subjectDn, Tone::Warning);
    m_subjectDn->setVisible(!lines.isEmpty());
}

void ResponseView::renderBody() {
    // A signed body is shown decoded with its secrets masked: its base64url would reveal them.
    const QByteArray body =
        m_reveal->isChecked() ? m_rawBody : maskSecretsInBody(m_rawBody, m_contentType);
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &err);
    m_body->setPlainText(err.error == QJsonParseError::NoError
                             ? QString::fromUtf8(doc.toJson(QJsonDocument::Indented))
                             : QString::fromUtf8(body));
}

QString ResponseView::outcomeText() const {
    return m_outcome->text();
}
QString ResponseView::subjectDnText() const {
    return m_subjectDn->text();
}
QString ResponseView::explanationText() const {
    return m_explanation->text() + u'\n' + m_fix->text();
}

} // namespace dcr::ui
