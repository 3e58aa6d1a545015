#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace dcr::ui {

// Colours JSON keys, strings, numbers and literals; colours come from the palette family so they
// stay readable on dark themes.
class JsonHighlighter : public QSyntaxHighlighter {
public:
    explicit JsonHighlighter(QTextDocument* document);

protected:
    void highlightBlock(const QString& text) override;

private:
    QTextCharFormat m_key, m_string, m_number, m_literal;
};

} // namespace dcr::ui
