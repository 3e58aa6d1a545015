#include "GoPkixName.h"

#include <QStringList>

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
                m_dropped.prepend(attribute);
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
    m_text = printed.join(u',');
}

} // namespace dcr
