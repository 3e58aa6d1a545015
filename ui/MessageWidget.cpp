#include "MessageWidget.h"

#include "Tone.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace dcr::ui {

MessageWidget::MessageWidget(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("messageWidget"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, 4, 4, 4);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("notice"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this message"));
    connect(close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(m_label, 1);
    layout->addWidget(close);
    hide();
}

QString MessageWidget::text() const {
    return m_label->text();
}

void MessageWidget::showMessage(const Notice& notice) {
    m_level = notice.level;
    m_label->setText(notice.text);
    switch (notice.level) {
    case Notice::Level::Info:
        setBarTone(this, Tone::Info);
        break;
    case Notice::Level::Warning:
        setBarTone(this, Tone::Caution);
        break;
    case Notice::Level::Error:
        setBarTone(this, Tone::Error);
        break;
    }
    show();
}

} // namespace dcr::ui
