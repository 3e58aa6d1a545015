#include "JsonHighlighter.h"

#include <QGuiApplication>
#include <QPalette>

namespace dcr::ui {

JsonHighlighter::JsonHighlighter(QTextDocument* document)
    : QSyntaxHighlighter(document) {
    const bool dark = QGuiApplication::palette().color(QPalette::Base).lightness() < 128;
    m_key.setForeground(dark ? QColor(0x9c, 0xdc, 0xfe) : QColor(0x00, 0x45, 0x9e));
    m_key.setFontWeight(QFont::DemiBold);
    m_string.setForeground(dark ? QColor(0xce, 0x91, 0x78) : QColor(0xa3, 0x15, 0x15));
    m_number.setForeground(dark ? QColor(0xb5, 0xce, 0xa8) : QColor(0x09, 0x86, 0x58));
    m_literal.setForeground(dark ? QColor(0x56, 0x9c, 0xd6) : QColor(0x00, 0x00, 0xff));
}

void JsonHighlighter::highlightBlock(const QString& text) {
    static const QRegularExpression token(
        QStringLiteral("(\"(?:[^\"\\\\]|\\\\.)*\")(\\s*:)?|(-?\\d+(?:\\.\\d+)?(?:[eE][+-]?\\d+)?)|"
                       "\\b(true|false|null)\\b"));
    for (auto it = token.globalMatch(text); it.hasNext();) {
        const auto m = it.next();
        if (m.capturedLength(1) > 0)
            setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)),
                      m.capturedLength(2) > 0 ? m_key : m_string);
        else if (m.capturedLength(3) > 0)
            setFormat(static_cast<int>(m.capturedStart(3)), static_cast<int>(m.capturedLength(3)),
                      m_number);
        else if (m.capturedLength(4) > 0)
            setFormat(static_cast<int>(m.capturedStart(4)), static_cast<int>(m.capturedLength(4)),
                      m_literal);
    }
}

} // namespace dcr::ui
