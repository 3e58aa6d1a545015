#include "MessageWidget.h"

#include "Tone.h"
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace dcr::ui {

namespace {

constexpr int VerticalMargin = 4;

// The longest start of `text` that, with "…", wraps into `lines` lines of `width` pixels.
QString cutToLines(const QString& text, const QFontMetrics& fm, int width, int lines) {
    const auto fits = [&](const QString& t) {
        return fm.boundingRect(QRect(0, 0, width, 1 << 20), Qt::TextWordWrap, t).height() <=
               lines * fm.lineSpacing();
    };
    if (width <= 0 || fits(text))
        return text;
    qsizetype low = 0, high = text.size();
    while (low < high) {
        const qsizetype mid = (low + high + 1) / 2;
        if (fits(text.left(mid) + u'…'))
            low = mid;
        else
            high = mid - 1;
    }
    return text.left(low).trimmed() + u'…';
}

} // namespace

MessageWidget::MessageWidget(QWidget* parent)
    : QWidget(parent) {
    setObjectName(QStringLiteral("messageWidget"));
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(8, VerticalMargin, 4, VerticalMargin);
    m_label = new QLabel(this);
    m_label->setObjectName(QStringLiteral("notice"));
    m_label->setWordWrap(true);
    m_label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_label->setAlignment(Qt::AlignLeft | Qt::AlignVCenter);
    auto* close = new QToolButton(this);
    close->setText(QStringLiteral("✕"));
    close->setAutoRaise(true);
    close->setToolTip(tr("Close this message"));
    connect(close, &QToolButton::clicked, this, &MessageWidget::dismiss);
    layout->addWidget(m_label, 1);
    layout->addWidget(close);
    // The place is kept when hidden, at a fixed height: the tabs below stay where they are.
    QSizePolicy policy(QSizePolicy::Preferred, QSizePolicy::Fixed);
    policy.setRetainSizeWhenHidden(true);
    setSizePolicy(policy);
    setFixedHeight(qMax(Lines * fontMetrics().lineSpacing() + 4, close->sizeHint().height()) +
                   2 * VerticalMargin);
    hide();
}

void MessageWidget::showMessage(const Notice& notice) {
    m_level = notice.level;
    m_text = notice.text;
    fitText();
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

void MessageWidget::dismiss() {
    hide();
    m_text.clear();
    m_label->clear();
    m_label->setToolTip({});
}

void MessageWidget::resizeEvent(QResizeEvent* event) {
    QWidget::resizeEvent(event);
    fitText();
}

void MessageWidget::fitText() {
    const QString shown = cutToLines(m_text, m_label->fontMetrics(), m_label->width(), Lines);
    m_label->setText(shown);
    m_label->setToolTip(shown == m_text ? QString() : m_text);
}

} // namespace dcr::ui
