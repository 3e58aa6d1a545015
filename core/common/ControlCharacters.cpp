#include "ControlCharacters.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct ControlCharactersTr {
    Q_DECLARE_TR_FUNCTIONS(ControlCharacters)
};

bool isBidiControl(char32_t c) {
    return c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E) ||
           (c >= 0x2066 && c <= 0x2069);
}

// The code point at i (a surrogate pair counts as one); i moves past it.
char32_t nextCodePoint(QStringView text, qsizetype& i) {
    const QChar c = text.at(i++);
    if (c.isHighSurrogate() && i < text.size() && text.at(i).isLowSurrogate())
        return QChar::surrogateToUcs4(c, text.at(i++));
    return c.unicode();
}

QString visible(char32_t c) {
    if (c < 0x20)
        return QStringLiteral("\\x%1").arg(static_cast<uint>(c), 2, 16, QLatin1Char('0'));
    return QStringLiteral("\\u%1").arg(static_cast<uint>(c), 4, 16, QLatin1Char('0'));
}

} // namespace

bool isControlCharacter(char32_t c) {
    return c < 0x20 || (c >= 0x7F && c <= 0x9F) || isBidiControl(c);
}

QString escapeControlCharacters(QStringView text, bool keepLineBreaks) {
    QString out;
    out.reserve(text.size());
    for (qsizetype i = 0; i < text.size();) {
        const qsizetype start = i;
        const char32_t c = nextCodePoint(text, i);
        if (isControlCharacter(c) && !(keepLineBreaks && (c == u'\n' || c == u'\t')))
            out += visible(c);
        else
            out += text.mid(start, i - start);
    }
    return out;
}

Status checkPrintableName(const QString& name, const QString& what) {
    qsizetype position = 0;
    for (qsizetype i = 0; i < name.size();) {
        const char32_t c = nextCodePoint(name, i);
        ++position;
        if (isControlCharacter(c))
            return Error{
                ErrorKind::InputUnreadable,
                ControlCharactersTr::tr("%1 \"%2\" has a control character (%3) at position %4; "
                                        "a name is printable text on one line")
                    .arg(what, escapeControlCharacters(name, false), visible(c))
                    .arg(position)};
    }
    return {};
}

} // namespace dcr
