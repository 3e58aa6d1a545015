#include "DistinguishedName.h"

#include "Certificate.h"

#include <QCoreApplication>
#include <QStringDecoder>

#include <openssl/x509.h>

#include <algorithm>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct DistinguishedNameTr {
    Q_DECLARE_TR_FUNCTIONS(DistinguishedName)
};

struct NamedType {
    const char* name;
    const char* oid;
    bool rfc4514; // one of the short names RFC 4514 section 3 lists
};

// RFC 4514 section 3, then the long names and the extra names certificates of UK Open Banking and
// eIDAS (organizationIdentifier, serialNumber) are printed with by OpenSSL.
constexpr NamedType kNames[] = {
    {"CN", "2.5.4.3", true},
    {"L", "2.5.4.7", true},
    {"ST", "2.5.4.8", true},
    {"O", "2.5.4.10", true},
    {"OU", "2.5.4.11", true},
    {"C", "2.5.4.6", true},
    {"STREET", "2.5.4.9", true},
    {"DC", "0.9.2342.19200300.100.1.25", true},
    {"UID", "0.9.2342.19200300.100.1.1", true},
    {"commonName", "2.5.4.3", false},
    {"localityName", "2.5.4.7", false},
    {"stateOrProvinceName", "2.5.4.8", false},
    {"organizationName", "2.5.4.10", false},
    {"organizationalUnitName", "2.5.4.11", false},
    {"countryName", "2.5.4.6", false},
    {"streetAddress", "2.5.4.9", false},
    {"domainComponent", "0.9.2342.19200300.100.1.25", false},
    {"userId", "0.9.2342.19200300.100.1.1", false},
    {"organizationIdentifier", "2.5.4.97", false},
    {"serialNumber", "2.5.4.5", false},
    {"SN", "2.5.4.4", false},
    {"surname", "2.5.4.4", false},
    {"GN", "2.5.4.42", false},
    {"givenName", "2.5.4.42", false},
    {"title", "2.5.4.12", false},
    {"businessCategory", "2.5.4.15", false},
    {"postalCode", "2.5.4.17", false},
    {"emailAddress", "1.2.840.113549.1.9.1", false},
    {"E", "1.2.840.113549.1.9.1", false},
    {"jurisdictionC", "1.3.6.1.4.1.311.60.2.1.3", false},
    {"jurisdictionCountryName", "1.3.6.1.4.1.311.60.2.1.3", false},
};

Error syntax(const QString& why) {
    return Error{ErrorKind::ClaimInvalid,
                 DistinguishedNameTr::tr("not a distinguished name: ") + why};
}

bool isNumericOid(const QString& text) {
    // RFC 4512 numericoid: number 1*( DOT number ), no empty arcs.
    if (text.isEmpty() || text.front() == u'.' || text.back() == u'.')
        return false;
    int dots = 0;
    for (qsizetype i = 0; i < text.size(); ++i) {
        const QChar c = text.at(i);
        if (c == u'.') {
            if (text.at(i - 1) == u'.')
                return false;
            ++dots;
        } else if (!c.isDigit() || c.unicode() > 0x7f) {
            return false;
        }
    }
    return dots > 0;
}

Result<QString> oidForType(QString type) {
    if (type.startsWith(QStringLiteral("OID."), Qt::CaseInsensitive))
        type = type.mid(4);
    if (type.isEmpty())
        return syntax(DistinguishedNameTr::tr("an attribute type is empty"));
    if (type.front().isDigit())
        return isNumericOid(type) ? Result<QString>(type)
                                  : Result<QString>(syntax(
                                        QStringLiteral("\"%1\" is not a dotted OID").arg(type)));
    for (const auto& n : kNames)
        if (type.compare(QLatin1String(n.name), Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(n.oid);
    return syntax(DistinguishedNameTr::tr("unknown attribute type \"%1\"").arg(type.left(64)));
}

int hexDigit(QChar c) {
    const char16_t u = c.unicode();
    if (u >= u'0' && u <= u'9')
        return u - u'0';
    if (u >= u'a' && u <= u'f')
        return u - u'a' + 10;
    if (u >= u'A' && u <= u'F')
        return u - u'A' + 10;
    return -1;
}

Result<QString> utf8(const QByteArray& bytes) {
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    const QString out = decoder.decode(bytes);
    if (decoder.hasError())
        return syntax(DistinguishedNameTr::tr("a value is not valid UTF-8"));
    return out;
}

// The value of a #hex attribute: one BER-encoded string (RFC 4514 section 2.4).
Result<QString> decodeBerString(const QByteArray& ber) {
    if (ber.size() < 2)
        return syntax(DistinguishedNameTr::tr("a #hex value is too short to be BER"));
    const auto tag = static_cast<unsigned char>(ber.at(0));
    qsizetype length = static_cast<unsigned char>(ber.at(1));
    qsizetype offset = 2;
    if (length & 0x80) {
        const int count = static_cast<int>(length & 0x7f);
        if (count < 1 || count > 3 || ber.size() < 2 + count)
            return syntax(DistinguishedNameTr::tr("a #hex value has an unsupported BER length"));
        length = 0;
        for (int i = 0; i < count; ++i)
            length = (length << 8) | static_cast<unsigned char>(ber.at(2 + i));
        offset += count;
    }
    if (ber.size() - offset != length)
        return syntax(DistinguishedNameTr::tr("a #hex value's BER length does not match its size"));
    const QByteArray content = ber.mid(offset);
    switch (tag) {
    case 0x0c: // UTF8String
        return utf8(content);
    case 0x13: // PrintableString
    case 0x16: // IA5String
    case 0x1a: // VisibleString
    case 0x14: // TeletexString, read as Latin-1 as OpenSSL does
        return QString::fromLatin1(content);
    case 0x1e: { // BMPString: UTF-16BE
        if (content.size() % 2)
            return syntax(DistinguishedNameTr::tr("a BMPString has an odd length"));
        QString out;
        for (qsizetype i = 0; i < content.size(); i += 2)
            out += QChar(static_cast<char16_t>((static_cast<unsigned char>(content.at(i)) << 8) |
                                               static_cast<unsigned char>(content.at(i + 1))));
        return out;
    }
    case 0x1c: { // UniversalString: UCS-4BE
        if (content.size() % 4)
            return syntax(
                DistinguishedNameTr::tr("a UniversalString's length is not a multiple of 4"));
        QString out;
        for (qsizetype i = 0; i < content.size(); i += 4) {
            char32_t cp = 0;
            for (int k = 0; k < 4; ++k)
                cp = (cp << 8) | static_cast<unsigned char>(content.at(i + k));
            if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
                return syntax(
                    DistinguishedNameTr::tr("a UniversalString holds an invalid code point"));
            out += QString::fromUcs4(&cp, 1);
        }
        return out;
    }
    default:
        return syntax(DistinguishedNameTr::tr("a #hex value is BER tag 0x%1, not a string")
                          .arg(tag, 2, 16, QLatin1Char('0')));
    }
}

QByteArray derLength(qsizetype length) {
    QByteArray out;
    if (length < 0x80) {
        out.append(static_cast<char>(length));
        return out;
    }
    QByteArray digits;
    for (qsizetype l = length; l > 0; l >>= 8)
        digits.prepend(static_cast<char>(l & 0xff));
    out.append(static_cast<char>(0x80 | digits.size()));
    return out + digits;
}

bool isSpace(QChar c) {
    return c == u' ';
}

// A small cursor-based parser. RFC 4514 section 3's grammar, made tolerant where real renderings
// differ: spaces around '=', '+', ',' and ';' (RFC 2253's separator), quoted values (RFC 1779).
class Parser {
public:
    Parser(const QString& text, bool slashForm)
        : m_text(text)
        , m_slash(slashForm) {}

    Result<QList<QList<DnAttribute>>> run(bool* spacedEquals) {
        QList<QList<DnAttribute>> rdns{{}};
        if (m_slash)
            ++m_pos; // the leading '/'
        for (;;) {
            skipSpaces();
            const qsizetype start = m_pos;
            auto attribute = parseAttribute(spacedEquals);
            if (!attribute)
                return where(attribute.error(), start);
            rdns.last() << *attribute;
            skipSpaces();
            if (atEnd())
                break;
            const QChar sep = m_text.at(m_pos++);
            if (sep == u'+') {
                // Same RDN.
            } else if ((!m_slash && (sep == u',' || sep == u';')) || (m_slash && sep == u'/')) {
                rdns << QList<DnAttribute>{};
            } else {
                return syntax(
                    DistinguishedNameTr::tr("unexpected '%1' at position %2").arg(sep).arg(m_pos));
            }
            skipSpaces();
            if (atEnd())
                return syntax(DistinguishedNameTr::tr("it ends with a separator"));
        }
        return rdns;
    }

private:
    // Says which attribute an error is in: "(in the attribute at character 12: \"O=Acme\")".
    Error where(Error error, qsizetype start) const {
        const QString context = m_text.mid(start, 40);
        error.message +=
            DistinguishedNameTr::tr(" (in the attribute at character %1: \"%2\")")
                .arg(start + 1)
                .arg(context + (m_text.size() > start + 40 ? QStringLiteral("...") : QString()));
        return error;
    }
    bool atEnd() const { return m_pos >= m_text.size(); }
    void skipSpaces() {
        while (!atEnd() && isSpace(m_text.at(m_pos)))
            ++m_pos;
    }
    bool isSeparator(QChar c) const {
        return c == u'+' || (m_slash ? c == u'/' : (c == u',' || c == u';'));
    }

    Result<DnAttribute> parseAttribute(bool* spacedEquals) {
        const qsizetype start = m_pos;
        while (!atEnd() && m_text.at(m_pos) != u'=' && !isSeparator(m_text.at(m_pos)))
            ++m_pos;
        if (atEnd() || m_text.at(m_pos) != u'=')
            return syntax(DistinguishedNameTr::tr("an attribute has no '='"));
        QString type = m_text.mid(start, m_pos - start);
        if (type.endsWith(u' '))
            *spacedEquals = true;
        type = type.trimmed();
        auto oid = oidForType(type);
        if (!oid)
            return oid.error();
        ++m_pos; // '='
        skipSpaces();
        auto value = parseValue();
        if (!value)
            return value.error();
        return DnAttribute{*oid, *value};
    }

    Result<QString> parseValue() {
        if (!atEnd() && m_text.at(m_pos) == u'#')
            return parseHexValue();
        if (!atEnd() && m_text.at(m_pos) == u'"')
            return parseQuotedValue();
        QByteArray bytes;
        qsizetype significant = 0; // bytes up to the last non-space or escaped character
        while (!atEnd()) {
            const QChar c = m_text.at(m_pos);
            if (isSeparator(c))
                break;
            ++m_pos;
            if (c == u'\\') {
                if (atEnd())
                    return syntax(DistinguishedNameTr::tr("it ends with a lone backslash"));
                const QChar next = m_text.at(m_pos);
                const int hi = hexDigit(next);
                if (hi >= 0 && m_pos + 1 < m_text.size() && hexDigit(m_text.at(m_pos + 1)) >= 0) {
                    bytes.append(static_cast<char>(hi * 16 + hexDigit(m_text.at(m_pos + 1))));
                    m_pos += 2;
                } else if (QStringLiteral(" \"#+,;<=>\\/").contains(next)) {
                    bytes.append(QString(next).toUtf8());
                    ++m_pos;
                } else {
                    return syntax(
                        DistinguishedNameTr::tr("'\\%1' is not an RFC 4514 escape").arg(next));
                }
                significant = bytes.size();
                continue;
            }
            if (c.isHighSurrogate() && !atEnd() && m_text.at(m_pos).isLowSurrogate()) {
                bytes.append(m_text.mid(m_pos - 1, 2).toUtf8());
                ++m_pos;
            } else {
                bytes.append(QString(c).toUtf8());
            }
            if (!isSpace(c))
                significant = bytes.size();
        }
        bytes.truncate(significant);
        return utf8(bytes);
    }

    Result<QString> parseHexValue() {
        ++m_pos; // '#'
        const qsizetype start = m_pos;
        while (!atEnd() && hexDigit(m_text.at(m_pos)) >= 0)
            ++m_pos;
        const QString hex = m_text.mid(start, m_pos - start);
        if (hex.isEmpty() || hex.size() % 2)
            return syntax(
                DistinguishedNameTr::tr("a #hex value needs an even number of hex digits"));
        return decodeBerString(QByteArray::fromHex(hex.toLatin1()));
    }

    Result<QString> parseQuotedValue() {
        ++m_pos; // opening quote
        QString out;
        while (!atEnd() && m_text.at(m_pos) != u'"') {
            if (m_text.at(m_pos) == u'\\' && m_pos + 1 < m_text.size())
                ++m_pos;
            out += m_text.at(m_pos++);
        }
        if (atEnd())
            return syntax(DistinguishedNameTr::tr("a quoted value is not closed"));
        ++m_pos; // closing quote
        return out;
    }

    const QString& m_text;
    bool m_slash;
    qsizetype m_pos = 0;
};

QList<std::pair<QString, QString>> canonicalRdn(const QList<DnAttribute>& rdn) {
    QList<std::pair<QString, QString>> out;
    for (const auto& a : rdn)
        out.append({a.oid, dnMatchValue(a.value)});
    std::sort(out.begin(), out.end());
    return out;
}

// The whole dotted OID, however long: OBJ_obj2txt cuts it to the buffer it is given, and two long
// OIDs cut alike would compare equal.
QString dottedOid(const ASN1_OBJECT* object) {
    const int length = OBJ_obj2txt(nullptr, 0, object, 1);
    if (length <= 0)
        return {};
    QByteArray oid(length + 1, '\0');
    OBJ_obj2txt(oid.data(), length + 1, object, 1);
    oid.truncate(length);
    return QString::fromLatin1(oid);
}

} // namespace

Result<DistinguishedName> DistinguishedName::parse(const QString& text) {
    if (text.trimmed().isEmpty())
        return syntax(DistinguishedNameTr::tr("it is empty"));
    // Only leading whitespace goes here: a trailing "\ " is an escaped, significant space.
    qsizetype first = 0;
    while (first < text.size() && text.at(first).isSpace())
        ++first;
    const QString trimmed = text.mid(first);
    if (trimmed.size() > 4096)
        return syntax(DistinguishedNameTr::tr("it is longer than 4096 characters"));
    const bool slash = trimmed.startsWith(u'/');
    bool spacedEquals = false;
    auto rdns = Parser(trimmed, slash).run(&spacedEquals);
    if (!rdns)
        return rdns.error();
    DistinguishedName dn;
    dn.m_rdns = *rdns;
    // The slash form and OpenSSL's one-line form ("C = GB, O = x, CN = y") list the RDNs in
    // X.500 order, the reverse of RFC 4514's string order.
    if (slash || spacedEquals) {
        std::reverse(dn.m_rdns.begin(), dn.m_rdns.end());
        dn.m_order = Order::Reversed;
    }
    return dn;
}

DistinguishedName DistinguishedName::fromCertificateSubject(const Certificate& certificate) {
    return certificate.isNull() ? DistinguishedName()
                                : fromX509Name(X509_get_subject_name(certificate.raw()));
}

DistinguishedName DistinguishedName::fromX509Name(const X509_NAME* name) {
    DistinguishedName dn;
    if (!name)
        return dn;
    int currentSet = -1;
    // RFC 4514 lists RDNs starting from the last one in the ASN.1 sequence.
    for (int i = X509_NAME_entry_count(name) - 1; i >= 0; --i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        unsigned char* text = nullptr;
        const int len = ASN1_STRING_to_UTF8(&text, X509_NAME_ENTRY_get_data(entry));
        const DnAttribute attribute{dottedOid(X509_NAME_ENTRY_get_object(entry)),
                                    len >= 0 ? QString::fromUtf8(reinterpret_cast<char*>(text), len)
                                             : QString()};
        OPENSSL_free(text);
        const int set = X509_NAME_ENTRY_set(entry);
        if (set == currentSet && !dn.m_rdns.isEmpty())
            dn.m_rdns.last().prepend(attribute);
        else
            dn.m_rdns << QList<DnAttribute>{attribute};
        currentSet = set;
    }
    return dn;
}

bool DistinguishedName::sameAs(const DistinguishedName& other) const {
    if (m_rdns.size() != other.m_rdns.size() || m_rdns.isEmpty())
        return false;
    for (qsizetype i = 0; i < m_rdns.size(); ++i)
        if (canonicalRdn(m_rdns.at(i)) != canonicalRdn(other.m_rdns.at(i)))
            return false;
    return true;
}

QString DistinguishedName::toRfc4514() const {
    QStringList rdns;
    for (const auto& rdn : m_rdns) {
        QStringList avas;
        for (const auto& a : rdn) {
            const QString name = rfc4514ShortName(a.oid);
            if (!name.isEmpty()) {
                avas << name + u'=' + escapeDnValue(a.value);
            } else {
                const QByteArray value = a.value.toUtf8();
                const QByteArray ber = QByteArray(1, '\x0c') + derLength(value.size()) + value;
                avas << a.oid + QStringLiteral("=#") + QString::fromLatin1(ber.toHex());
            }
        }
        rdns << avas.join(u'+');
    }
    return rdns.join(u',');
}

QString escapeDnValue(const QString& value) {
    QString out;
    out.reserve(value.size());
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        const bool special = c == u',' || c == u'+' || c == u'"' || c == u'\\' || c == u'<' ||
                             c == u'>' || c == u';' || c == u'=';
        const bool leading = i == 0 && (c == u' ' || c == u'#');
        const bool trailing = i == value.size() - 1 && c == u' ';
        if (c == QChar::Null) {
            out += QStringLiteral("\\00");
            continue;
        }
        if (special || leading || trailing)
            out += u'\\';
        out += c;
    }
    return out;
}

QString rfc4514ShortName(const QString& oid) {
    for (const auto& n : kNames)
        if (n.rfc4514 && oid == QLatin1String(n.oid))
            return QString::fromLatin1(n.name);
    return {};
}

QString dnAttributeName(const QString& oid) {
    ASN1_OBJECT* object = OBJ_txt2obj(oid.toLatin1().constData(), 1);
    const int nid = object ? OBJ_obj2nid(object) : NID_undef;
    ASN1_OBJECT_free(object);
    const char* name = nid != NID_undef ? OBJ_nid2ln(nid) : nullptr;
    return name ? QString::fromLatin1(name) : QString();
}

QString dnMatchValue(const QString& value) {
    // RFC 4518 insignificant space handling and caseIgnoreMatch, close enough for the
    // DirectoryString and PrintableString attributes of certificate subjects.
    return value.simplified().toCaseFolded();
}

} // namespace dcr
