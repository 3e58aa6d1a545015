#include "GoPkixName.h"

#include <QStringList>

#include <algorithm>
#include <array>

namespace dcr {

namespace {

struct GoField {
    const char* oid;
    const char* name; // pkix's attributeTypeNames
    bool single;      // CommonName and SerialNumber are one string: the last value read wins
};

// pkix.Name.ToRDNSequence's order (X.500 order; String() prints it reversed).
constexpr std::array<GoField, 9> kGoFields = {{
    {"2.5.4.6", "C", false},
    {"2.5.4.8", "ST", false},
    {"2.5.4.7", "L", false},
    {"2.5.4.9", "STREET", false},
    {"2.5.4.17", "POSTALCODE", false},
    {"2.5.4.10", "O", false},
    {"2.5.4.11", "OU", false},
    {"2.5.4.3", "CN", true},
    {"2.5.4.5", "SERIALNUMBER", true},
}};

int fieldIndex(const QString& oid) {
    for (std::size_t i = 0; i < kGoFields.size(); ++i)
        if (oid == QLatin1String(kGoFields[i].oid))
            return static_cast<int>(i);
    return -1;
}

// RDNSequence.String()'s escaping, which is not quite RFC 4514's: '=' is left alone, a space is
// escaped only as the first or last byte, '#' only as the first.
QString goEscape(const QString& value) {
    QString out;
    for (qsizetype k = 0; k < value.size(); ++k) {
        const QChar c = value.at(k);
        bool escape = QStringLiteral(",+\"\\<>;").contains(c);
        if (c == u' ')
            escape = k == 0 || k == value.size() - 1;
        else if (c == u'#')
            escape = k == 0;
        if (escape)
            out += u'\\';
        out += c;
    }
    return out;
}

// encoding/asn1's isPrintable as Marshal uses it (no '*', no '&'): the characters that let a Go
// string be marshalled as a PrintableString.
bool goPrintable(char16_t c) {
    return (c >= u'a' && c <= u'z') || (c >= u'A' && c <= u'Z') || (c >= u'0' && c <= u'9') ||
           (c >= u'\'' && c <= u')') || (c >= u'+' && c <= u'/') || c == u' ' || c == u':' ||
           c == u'=' || c == u'?';
}

// asn1.Marshal of the Go string, as RDNSequence.String() prints an attribute type it has no
// name for: "OID=#" and the DER in lower-case hex.
QString goOidHex(const DnAttribute& attribute) {
    const QString& value = attribute.value;
    const bool printable =
        std::all_of(value.begin(), value.end(), [](QChar c) { return goPrintable(c.unicode()); });
    const QByteArray content = value.toUtf8();
    QByteArray der(1, printable ? char(0x13) : char(0x0c));
    const auto length = static_cast<quint64>(content.size());
    if (length < 0x80) {
        der += char(length);
    } else {
        QByteArray bytes;
        for (quint64 n = length; n > 0; n >>= 8)
            bytes.prepend(char(n & 0xff));
        der += char(0x80 | bytes.size());
        der += bytes;
    }
    der += content;
    return attribute.oid + QStringLiteral("=#") + QString::fromLatin1(der.toHex());
}

} // namespace

GoPkixName::GoPkixName(const DistinguishedName& subject) {
    // Walk the subject in ASN.1 order (rdns() is RFC 4514 order, the reverse), as
    // FillFromRDNSequence does, filling one list of values per field.
    std::array<QList<DnAttribute>, kGoFields.size()> values;
    const auto& rdns = subject.rdns();
    for (auto rdn = rdns.crbegin(); rdn != rdns.crend(); ++rdn) {
        for (const auto& attribute : *rdn) {
            const int i = fieldIndex(attribute.oid);
            if (i < 0) {
                m_printedAsOid.prepend(attribute); // printed last, in reverse
                continue;
            }
            auto& field = values[static_cast<std::size_t>(i)];
            if (kGoFields[static_cast<std::size_t>(i)].single && !field.isEmpty()) {
                m_dropped.prepend(field.first()); // overwritten by the later value
                field.clear();
            }
            field << attribute;
        }
    }
    QStringList printed; // in X.500 order, reversed below
    for (std::size_t i = 0; i < kGoFields.size(); ++i) {
        const auto& field = values[i];
        // ToRDNSequence skips an empty CommonName or SerialNumber, not an empty O or C.
        if (field.isEmpty() || (kGoFields[i].single && field.first().value.isEmpty())) {
            m_dropped << field;
            continue;
        }
        QStringList avas;
        for (const auto& attribute : field)
            avas << QLatin1String(kGoFields[i].name) + u'=' + goEscape(attribute.value);
        printed.prepend(avas.join(u'+'));
    }
    for (const auto& attribute : m_printedAsOid)
        printed << goOidHex(attribute);
    m_text = printed.join(u',');
}

} // namespace dcr
