#include "Pkcs11Uri.h"

#include <QCoreApplication>
#include <QStringList>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct Pkcs11UriTr {
    Q_DECLARE_TR_FUNCTIONS(Pkcs11Uri)
};

const QStringList kPathAttributes = {QStringLiteral("token"),
                                     QStringLiteral("manufacturer"),
                                     QStringLiteral("serial"),
                                     QStringLiteral("model"),
                                     QStringLiteral("library-manufacturer"),
                                     QStringLiteral("library-description"),
                                     QStringLiteral("library-version"),
                                     QStringLiteral("object"),
                                     QStringLiteral("type"),
                                     QStringLiteral("id"),
                                     QStringLiteral("slot-description"),
                                     QStringLiteral("slot-manufacturer"),
                                     QStringLiteral("slot-id")};
const QStringList kQueryAttributes = {QStringLiteral("pin-value"), QStringLiteral("pin-source"),
                                      QStringLiteral("module-name"), QStringLiteral("module-path")};
const QStringList kObjectTypes = {QStringLiteral("private"), QStringLiteral("public"),
                                  QStringLiteral("cert"), QStringLiteral("secret-key"),
                                  QStringLiteral("data")};

Result<QByteArray> percentDecode(const QString& text, const QString& where) {
    const QByteArray in = text.toUtf8();
    QByteArray out;
    for (qsizetype i = 0; i < in.size(); ++i) {
        if (in.at(i) != '%') {
            out += in.at(i);
            continue;
        }
        bool ok = false;
        const int byte = i + 2 < in.size() ? in.mid(i + 1, 2).toInt(&ok, 16) : -1;
        if (!ok)
            return Error{
                ErrorKind::TokenUriInvalid,
                Pkcs11UriTr::tr("%1: \"%2\" has a broken %-escape (RFC 7512 values encode "
                                "bytes as %XX)")
                    // A PIN is never shown, not even a broken one.
                    .arg(where, where == QStringLiteral("pin-value") ? QStringLiteral("…") : text)};
        out += static_cast<char>(byte);
        i += 2;
    }
    return out;
}

Error invalid(const QString& why) {
    return Error{ErrorKind::TokenUriInvalid, why};
}

} // namespace

bool Pkcs11Uri::looksLike(const QString& text) {
    return text.trimmed().startsWith(QStringLiteral("pkcs11:"), Qt::CaseInsensitive);
}

Result<Pkcs11Uri> Pkcs11Uri::parse(const QString& input) {
    const QString text = input.trimmed();
    if (!looksLike(text))
        return invalid(QStringLiteral("\"%1\" is not a pkcs11: URI").arg(withoutPinValue(text)));
    Pkcs11Uri uri;
    const QString body = text.mid(7);
    const qsizetype question = body.indexOf(u'?');
    const QString path = question < 0 ? body : body.left(question);
    const QString query = question < 0 ? QString() : body.mid(question + 1);
    for (const QString& part : path.split(u';', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        const QString name = eq < 0 ? part : part.left(eq);
        if (eq < 0)
            return invalid(Pkcs11UriTr::tr("pkcs11: URI attribute \"%1\" has no value (write "
                                           "name=value, e.g. object=my-key)")
                               .arg(name));
        if (!kPathAttributes.contains(name) && !name.startsWith(QStringLiteral("x-")))
            return invalid(
                Pkcs11UriTr::tr("pkcs11: URI attribute \"%1\" is not an RFC 7512 path attribute%2")
                    .arg(name, name == QStringLiteral("label")
                                   ? Pkcs11UriTr::tr(" (a key's label is \"object=\")")
                                   : Pkcs11UriTr::tr(" (token, object, id, type, serial, ...)")));
        auto value = percentDecode(part.mid(eq + 1), name);
        if (!value)
            return value.error();
        if (name == QStringLiteral("type") && !kObjectTypes.contains(QString::fromUtf8(*value)))
            return invalid(Pkcs11UriTr::tr("pkcs11: URI type=%1 is not one of %2")
                               .arg(QString::fromUtf8(*value), kObjectTypes.join(u'|')));
        uri.m_path.append({name, *value});
    }
    for (const QString& part : query.split(u'&', Qt::SkipEmptyParts)) {
        const qsizetype eq = part.indexOf(u'=');
        const QString name = eq < 0 ? part : part.left(eq);
        if (eq < 0 || (!kQueryAttributes.contains(name) && !name.startsWith(QStringLiteral("x-"))))
            return invalid(Pkcs11UriTr::tr("pkcs11: URI query attribute \"%1\" is not one of %2")
                               .arg(name, kQueryAttributes.join(QStringLiteral(", "))));
        auto value = percentDecode(part.mid(eq + 1), name);
        if (!value)
            return value.error();
        if (name == QStringLiteral("pin-value"))
            uri.m_pinValue = *value;
        else if (name == QStringLiteral("pin-source"))
            uri.m_pinSource = QString::fromUtf8(*value);
        else if (name == QStringLiteral("module-path"))
            uri.m_modulePath = QString::fromUtf8(*value);
    }
    if (uri.m_path.isEmpty())
        return invalid(Pkcs11UriTr::tr("the pkcs11: URI selects nothing; name the key, e.g. "
                                       "pkcs11:token=TOKEN;object=LABEL"));
    return uri;
}

QByteArray Pkcs11Uri::pathValue(const QString& name) const {
    for (const auto& [key, value] : m_path)
        if (key == name)
            return value;
    return {};
}

bool Pkcs11Uri::hasPath(const QString& name) const {
    for (const auto& entry : m_path)
        if (entry.first == name)
            return true;
    return false;
}

QString pkcs11PercentEncode(const QByteArray& value) {
    // RFC 7512 pk11-pchar: unreserved / pk11-res-avail / pct-encoded.
    static const QByteArray safe = ":[]@!$'()*+,=&-._~";
    QString out;
    for (char c : value) {
        const auto byte = static_cast<unsigned char>(c);
        if ((byte >= 'a' && byte <= 'z') || (byte >= 'A' && byte <= 'Z') ||
            (byte >= '0' && byte <= '9') || (byte < 0x80 && safe.contains(c) && c != '&'))
            out += QLatin1Char(c);
        else
            out += QStringLiteral("%%1").arg(byte, 2, 16, QLatin1Char('0'));
    }
    return out;
}

QString Pkcs11Uri::engineUri(const QString& type) const {
    QStringList parts;
    bool typed = false;
    for (const auto& [name, value] : m_path) {
        if (name.startsWith(QStringLiteral("x-")))
            continue;
        typed = typed || name == QStringLiteral("type");
        parts << name + u'=' + pkcs11PercentEncode(value);
    }
    if (!typed && !type.isEmpty())
        parts << QStringLiteral("type=") + type;
    return QStringLiteral("pkcs11:") + parts.join(u';');
}

Pkcs11Uri Pkcs11Uri::withType(const QString& type) const {
    Pkcs11Uri copy = *this;
    copy.m_path.removeIf([](const auto& entry) { return entry.first == QStringLiteral("type"); });
    copy.m_path.append({QStringLiteral("type"), type.toUtf8()});
    return copy;
}

QString Pkcs11Uri::displayString() const {
    QStringList parts;
    for (const auto& [name, value] : m_path)
        parts << name + u'=' + pkcs11PercentEncode(value);
    QStringList query;
    if (!m_pinSource.isEmpty())
        query << QStringLiteral("pin-source=") + pkcs11PercentEncode(m_pinSource.toUtf8());
    if (!m_modulePath.isEmpty())
        query << QStringLiteral("module-path=") + pkcs11PercentEncode(m_modulePath.toUtf8());
    return QStringLiteral("pkcs11:") + parts.join(u';') +
           (query.isEmpty() ? QString() : u'?' + query.join(u'&'));
}

QString withoutPinValue(const QString& keySource) {
    if (!Pkcs11Uri::looksLike(keySource))
        return keySource;
    const qsizetype question = keySource.indexOf(u'?');
    if (question < 0)
        return keySource;
    QStringList kept;
    for (const QString& part : keySource.mid(question + 1).split(u'&', Qt::SkipEmptyParts))
        if (!part.startsWith(QStringLiteral("pin-value")))
            kept << part;
    return keySource.left(question) + (kept.isEmpty() ? QString() : u'?' + kept.join(u'&'));
}

} // namespace dcr
