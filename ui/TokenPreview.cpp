#include "TokenPreview.h"

#include "JsonHighlighter.h"
#include "jose/Jws.h"

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
    grid->addWidget(new QLabel(tr("Header"), this), 1, 0);
    grid->addWidget(copyButton(tr("Copy header"), m_header), 1, 1, Qt::AlignRight);
    grid->addWidget(m_header, 2, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Payload (claims)"), this), 3, 0);
    grid->addWidget(copyButton(tr("Copy claims"), m_payload), 3, 1, Qt::AlignRight);
    grid->addWidget(m_payload, 4, 0, 1, 2);
    grid->addWidget(new QLabel(tr("Compact JWT"), this), 5, 0);
    auto* copyJwt = copyButton(tr("Copy JWT"), m_compact);
    copyJwt->setObjectName(QStringLiteral("copyJwt"));
    grid->addWidget(copyJwt, 5, 1, Qt::AlignRight);
    grid->addWidget(m_compact, 6, 0, 1, 2);
}

void TokenPreview::showToken(const QByteArray& compact, const QString& note) {
    m_token = compact;
    auto jws = Jws::parse(compact, {.requireJsonClaims = false});
    if (!jws) {
        showError(jws.error().message);
        return;
    }
    m_status->setText(note.isEmpty() ? tr("Signed with %1 as it would be sent now; iat, exp and "
                                          "jti are set anew on every send.")
                                           .arg(algorithmName(jws->algorithm()))
                                     : note);
    m_status->setStyleSheet(QString());
    m_header->setPlainText(
        QString::fromUtf8(QJsonDocument(jws->header()).toJson(QJsonDocument::Indented)));
    m_payload->setPlainText(
        jws->hasJsonClaims()
            ? QString::fromUtf8(QJsonDocument(jws->claims()).toJson(QJsonDocument::Indented))
            : QString::fromUtf8(jws->payload()));
    m_compact->setPlainText(QString::fromLatin1(compact));
}

void TokenPreview::showError(const QString& message) {
    m_token.clear();
    m_status->setText(message);
    m_status->setStyleSheet(QStringLiteral("color: #c0392b; font-weight: bold"));
    m_compact->clear();
}

} // namespace dcr::ui
