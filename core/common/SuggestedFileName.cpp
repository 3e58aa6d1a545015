#include "SuggestedFileName.h"

namespace dcr {

namespace {

bool keeps(QChar c) {
    return (c.isLetterOrNumber() && c.unicode() < 0x80) || c == u'.' || c == u'_';
}

// A part's longest cleaned form: a name of several parts stays well under the 255 bytes most file
// systems allow (a long software_id or profile name would otherwise make the save fail).
constexpr qsizetype MaxPartLength = 64;

QString cleanPart(const QString& part) {
    QString out;
    bool dash = false;
    for (QChar c : part) {
        if (keeps(c)) {
            out += c;
            dash = false;
        } else if (!dash && !out.isEmpty()) {
            out += u'-';
            dash = true;
        }
    }
    out.truncate(MaxPartLength);
    // No leading dots (a hidden file) and no dashes or dots at either end.
    while (!out.isEmpty() && (out.front() == u'.' || out.front() == u'-'))
        out.remove(0, 1);
    while (!out.isEmpty() && (out.back() == u'.' || out.back() == u'-'))
        out.chop(1);
    return out;
}

} // namespace

QString suggestedFileName(const QStringList& parts, const QString& extension) {
    QStringList cleaned;
    for (const QString& part : parts)
        if (const QString c = cleanPart(part); !c.isEmpty())
            cleaned << c;
    if (cleaned.isEmpty())
        cleaned << QStringLiteral("export"); // never a hidden ".json"
    const QString ext = cleanPart(extension);
    return cleaned.join(u'-') + (ext.isEmpty() ? QString() : u'.' + ext);
}

QString fileNameDate(const QDate& date) {
    return date.toString(Qt::ISODate);
}

} // namespace dcr
