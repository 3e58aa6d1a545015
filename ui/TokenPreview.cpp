#include "TokenPreview.h"

#include "JsonHighlighter.h"
#include "Tone.h"
#include "jose/Jws.h"
#include "registration/JsonRegistrationBody.h"

#include <QApplication>
#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>

namespace dcr::ui {

namespace {

QPlainTextEdit* codeView(QWidget* parent, const QString& name) {
    auto* edit = new QPlainTextEdit(parent);
    edit->setObjectName(name);
    edit->setReadOnly(true);
    edit->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    return edit;
}

} // namespace

TokenPreview::TokenPreview(QWidget* parent)
    : QWidget(parent) {
    auto* grid = new QGridLayout(this);
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("tokenStatus"));
    m_status->setWordWrap(true);
    m_header = codeView(this, QStringLiteral("tokenHeader"));
    m_header->setMaximumHeight(90);
    m_payload = codeView(this, QStringLiteral("tokenPayload"));
    m_compact = codeView(this, QStringLiteral("tokenCompact"));
    m_compact->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    m_compact->setWordWrapMode(QTextOption::WrapAnywhere);
    m_compact->setMaximumHeight(110);
    new JsonHighlighter(m_header->document());
    new JsonHighlighter(m_payload->document());
    auto copyButton = [this](const QString& text, QPlainTextEdit* source) {
        auto* b = new QPushButton(text, this);
        connect(b, &QPushButton::clicked, this,
                [source] { QApplication::clipboard()->setText(source->toPlainText()); });
        return b;
    };
    grid->addWidget(m_status, 0, 0, 1, 2);
    m_headerLabel = new QLabel(this);
    m_payloadLabel = new QLabel(this);
    m_compactLabel = new QLabel(this);
    setLabels(false);
    grid->addWidget(m_headerLabel, 1, 0);
    grid->addWidget(copyButton(tr("Copy header"), m_header), 1, 1, Qt::AlignRight);
    grid->addWidget(m_header, 2, 0, 1, 2);
    grid->addWidget(m_payloadLabel, 3, 0);
    grid->addWidget(copyButton(tr("Copy claims"), m_payload), 3, 1, Qt::AlignRight);
    grid->addWidget(m_payload, 4, 0, 1, 2);
    grid->addWidget(m_compactLabel, 5, 0);
    auto* copyJwt = copyButton(tr("Copy JWT"), m_compact);
    copyJwt->setObjectName(QStringLiteral("copyJwt"));
    grid->addWidget(copyJwt, 5, 1, Qt::AlignRight);
    grid->addWidget(m_compact, 6, 0, 1, 2);
}

void TokenPreview::setLabels(bool json) {
    m_headerLabel->setText(json ? tr("Content-Type") : tr("Header"));
    m_payloadLabel->setText(json ? tr("Metadata (JSON body)") : tr("Payload (claims)"));
    m_compactLabel->setText(json ? tr("Body as sent") : tr("Compact JWT"));
}

void TokenPreview::showJsonBody(const QByteArray& body, const QByteArray& contentType,
                                const QString& note) {
    setToken(body);
    auto metadata = JsonRegistrationBody::decode(body);
    if (!metadata) {
        showError(metadata.error().message);
        return;
    }
    setLabels(true);
    m_status->setText(
        note.isEmpty()
            ? tr("JSON body (RFC 7591, %1), as it would be sent now: nothing is signed; iss, aud, "
                 "iat, exp and jti are left out.")
                  .arg(QString::fromLatin1(contentType))
            : tr("%1 JSON body (RFC 7591, %2), not signed.")
                  .arg(note, QString::fromLatin1(contentType)));
    setTextTone(m_status, Tone::Normal);
    m_header->setPlainText(QStringLiteral("Content-Type: ") + QString::fromLatin1(contentType));
    m_payload->setPlainText(
        QString::fromUtf8(QJsonDocument(*metadata).toJson(QJsonDocument::Indented)));
    m_compact->setPlainText(QString::fromUtf8(body));
}

void TokenPreview::showToken(const QByteArray& compact, const QString& note) {
    setToken(compact);
    setLabels(false);
    auto jws = Jws::parse(compact, {.requireJsonClaims = false});
    if (!jws) {
        showError(jws.error().message);
        return;
    }
    m_status->setText(note.isEmpty() ? tr("Signed with %1 as it would be sent now; iat, exp and "
                                          "jti are set anew on every send.")
                                           .arg(algorithmName(jws->algorithm()))
                                     : note);
    setTextTone(m_status, Tone::Normal);
    m_header->setPlainText(
        QString::fromUtf8(QJsonDocument(jws->header()).toJson(QJsonDocument::Indented)));
    m_payload->setPlainText(
        jws->hasJsonClaims()
            ? QString::fromUtf8(QJsonDocument(jws->claims()).toJson(QJsonDocument::Indented))
            : QString::fromUtf8(jws->payload()));
    m_compact->setPlainText(QString::fromLatin1(compact));
}

void TokenPreview::setToken(const QByteArray& token) {
    const bool had = !m_token.isEmpty();
    m_token = token;
    if (had != !m_token.isEmpty())
        emit tokenAvailable(!m_token.isEmpty());
}

void TokenPreview::showError(const QString& message) {
    setToken({});
    m_status->setText(message);
    setTextTone(m_status, Tone::Error, true);
    m_compact->clear();
}

} // namespace dcr::ui
