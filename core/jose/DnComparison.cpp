#include "DnComparison.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct DnComparisonTr {
    Q_DECLARE_TR_FUNCTIONS(DnComparison)
};

QList<DnAttribute> flatten(const DistinguishedName& dn) {
    QList<DnAttribute> out;
    for (const auto& rdn : dn.rdns())
        out << rdn;
    return out;
}

// "2.5.4.97 organizationIdentifier", or just the OID when OpenSSL has no name for it.
QString typeLabel(const QString& oid, const QString& name) {
    return name.isEmpty() ? oid : oid + u' ' + name;
}

QString quoted(const QString& value) {
    return u'"' + value + u'"';
}

DnDifference difference(DnDifference::Kind kind, const QString& oid, const QString& subjectValue,
                        const QString& givenValue) {
    DnDifference d{kind, oid, dnAttributeName(oid), subjectValue, givenValue, {}};
    const QString type = typeLabel(oid, d.name);
    switch (kind) {
    case DnDifference::Kind::Missing:
        d.explanation =
            DnComparisonTr::tr("the given DN lacks %1 (the certificate's subject has %2)")
                .arg(type, quoted(subjectValue));
        break;
    case DnDifference::Kind::Extra:
        d.explanation =
            DnComparisonTr::tr(
                "the given DN has %1 = %2, which the certificate's subject does not have")
                .arg(type, quoted(givenValue));
        break;
    case DnDifference::Kind::DifferentValue:
        d.explanation =
            DnComparisonTr::tr("%1 differs: the certificate's subject has %2, the given DN %3")
                .arg(type, quoted(subjectValue), quoted(givenValue));
        break;
    }
    return d;
}

QString kindName(DnDifference::Kind kind) {
    switch (kind) {
    case DnDifference::Kind::Missing:
        return QStringLiteral("missing");
    case DnDifference::Kind::Extra:
        return QStringLiteral("extra");
    case DnDifference::Kind::DifferentValue:
        return QStringLiteral("different_value");
    }
    return {};
}

// Takes the first attribute of `pool` that `accept` likes, or returns false.
template <typename Accept>
bool takeFirst(QList<DnAttribute>& pool, Accept accept, DnAttribute* taken) {
    for (qsizetype i = 0; i < pool.size(); ++i) {
        if (accept(pool.at(i))) {
            *taken = pool.takeAt(i);
            return true;
        }
    }
    return false;
}

} // namespace

DnComparison DnComparison::compare(const DistinguishedName& subject,
                                   const DistinguishedName& given) {
    DnComparison c;
    c.matchAttributes(subject, given);
    if (c.sameByMeaning())
        c.noteOrder(subject, given);
    if (given.parsedOrder() == DistinguishedName::Order::Reversed)
        c.m_notes << DnComparisonTr::tr(
            "the given DN was read in X.500 order (OpenSSL's one-line or the slash "
            "form, most significant RDN first) and compared as such");
    return c;
}

void DnComparison::matchAttributes(const DistinguishedName& subject,
                                   const DistinguishedName& given) {
    QList<DnAttribute> unmatchedSubject;
    QList<DnAttribute> pool = flatten(given);
    // First equal values (by meaning), so that "OU=a,OU=b" against "OU=b,OU=a" pairs correctly.
    for (const auto& attribute : flatten(subject)) {
        DnAttribute match;
        const auto equal = [&](const DnAttribute& a) {
            return a.oid == attribute.oid && dnMatchValue(a.value) == dnMatchValue(attribute.value);
        };
        if (!takeFirst(pool, equal, &match)) {
            unmatchedSubject << attribute;
            continue;
        }
        if (match.value != attribute.value)
            m_notes << DnComparisonTr::tr(
                           "%1 is %2 in the certificate's subject and %3 in the given DN: the same "
                           "by meaning (RFC 4518 ignores case and extra spaces), but not the same "
                           "string")
                           .arg(typeLabel(attribute.oid, dnAttributeName(attribute.oid)),
                                quoted(attribute.value), quoted(match.value));
    }
    // Then the same type with another value, then what is left on either side.
    for (const auto& attribute : unmatchedSubject) {
        DnAttribute other;
        const auto sameType = [&](const DnAttribute& a) { return a.oid == attribute.oid; };
        if (takeFirst(pool, sameType, &other))
            m_differences << difference(DnDifference::Kind::DifferentValue, attribute.oid,
                                        attribute.value, other.value);
        else
            m_differences << difference(DnDifference::Kind::Missing, attribute.oid, attribute.value,
                                        {});
    }
    for (const auto& extra : pool)
        m_differences << difference(DnDifference::Kind::Extra, extra.oid, {}, extra.value);
}

void DnComparison::noteOrder(const DistinguishedName& subject, const DistinguishedName& given) {
    if (subject.sameAs(given))
        return;
    m_notes
        << DnComparisonTr::tr(
               "the same attributes, in a different RDN order or grouping: the same by meaning, "
               "but a bank comparing strings sees a different DN (the certificate's order, RFC "
               "4514: %1)")
               .arg(subject.toRfc4514());
}

QJsonObject DnComparison::toJson() const {
    QJsonArray differences;
    for (const auto& d : m_differences) {
        QJsonObject o{{QStringLiteral("kind"), kindName(d.kind)},
                      {QStringLiteral("oid"), d.oid},
                      {QStringLiteral("name"), d.name},
                      {QStringLiteral("explanation"), d.explanation}};
        if (d.kind != DnDifference::Kind::Extra)
            o.insert(QStringLiteral("certificate_value"), d.subjectValue);
        if (d.kind != DnDifference::Kind::Missing)
            o.insert(QStringLiteral("given_value"), d.givenValue);
        differences.append(o);
    }
    return {{QStringLiteral("same_by_meaning"), sameByMeaning()},
            {QStringLiteral("differences"), differences},
            {QStringLiteral("notes"), QJsonArray::fromStringList(m_notes)}};
}

} // namespace dcr
