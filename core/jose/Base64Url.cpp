#include "Base64Url.h"

#include <QCoreApplication>

namespace dcr::base64url {

namespace {

// Messages the user reads, in the language of the running program.
struct Base64UrlTr {
    Q_DECLARE_TR_FUNCTIONS(Base64Url)
};

int alphabetIndex(char c) {
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    if (c == '-')
        return 62;
    if (c == '_')
        return 63;
    return -1;
}

QString describeChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    if (u >= 0x21 && u < 0x7f)
        return QStringLiteral("'%1'").arg(QChar::fromLatin1(c));
    return Base64UrlTr::tr("byte 0x%1").arg(u, 2, 16, QLatin1Char('0'));
}

} // namespace

QByteArray encode(const QByteArray& bytes) {
    return bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
}

Result<QByteArray> decode(const QByteArray& text) {
    for (qsizetype i = 0; i < text.size(); ++i) {
        const char c = text.at(i);
        if (alphabetIndex(c) >= 0)
            continue;
        QString hint;
        if (c == '=')
            hint = Base64UrlTr::tr(" (padding is not allowed in base64url)");
        else if (c == '+' || c == '/')
            hint = Base64UrlTr::tr(" (standard base64, not base64url: use '-' and '_')");
        else if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
            hint = Base64UrlTr::tr(" (whitespace; remove line breaks from pasted text)");
        return Error{ErrorKind::Base64Invalid,
                     Base64UrlTr::tr("invalid base64url character %1 at position %2%3")
                         .arg(describeChar(c))
                         .arg(i)
                         .arg(hint)};
    }
    if (text.size() % 4 == 1)
        return Error{ErrorKind::Base64Invalid,
                     Base64UrlTr::tr("invalid base64url length %1 at position %2: one character "
                                     "too many or too few (the text looks truncated)")
                         .arg(text.size())
                         .arg(text.size() - 1)};
    if (!text.isEmpty()) {
        // The last character may carry bits beyond the encoded bytes; they must be zero.
        const int last = alphabetIndex(text.back());
        const int unusedMask = text.size() % 4 == 2 ? 0x0f : text.size() % 4 == 3 ? 0x03 : 0;
        if ((last & unusedMask) != 0)
            return Error{ErrorKind::Base64Invalid,
                         Base64UrlTr::tr("non-canonical base64url at position %1: the last "
                                         "character has non-zero unused bits")
                             .arg(text.size() - 1)};
    }
    auto decoded = QByteArray::fromBase64Encoding(
        text, QByteArray::Base64UrlEncoding | QByteArray::AbortOnBase64DecodingErrors);
    if (!decoded)
        return Error{ErrorKind::Base64Invalid,
                     Base64UrlTr::tr("base64url text could not be decoded")};
    return decoded.decoded;
}

} // namespace dcr::base64url
