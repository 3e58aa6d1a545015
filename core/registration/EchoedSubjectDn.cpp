#include "EchoedSubjectDn.h"

#include "jose/Certificate.h"
#include "jose/DistinguishedName.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr {

namespace {

struct EchoedSubjectDnTr {
    Q_DECLARE_TR_FUNCTIONS(EchoedSubjectDn)
};

// The claim names a bank may echo the subject DN in: RFC 8705's, then OBIE 3.1's.
const QStringList& dnClaims() {
    static const QStringList claims{QStringLiteral("tls_client_auth_subject_dn"),
                                    QStringLiteral("tls_client_auth_dn")};
    return claims;
}

QString typeLabel(const DnDifference& d) {
    return d.name.isEmpty() ? d.oid : d.oid + u' ' + d.name;
}

QString quoted(const QString& value) {
    return u'"' + value + u'"';
}

EchoedSubjectDn compareOne(const QString& claim, const QJsonValue& value,
                           const DistinguishedName& subject, const QString& subjectText) {
    EchoedSubjectDn echo{claim, value.toString(), subjectText, {}, {}};
    if (!value.isString()) {
        echo.unreadable = EchoedSubjectDnTr::tr("%1 is not a string").arg(claim);
        return echo;
    }
    auto parsed = DistinguishedName::parse(echo.echoed);
    if (!parsed) {
        echo.unreadable = EchoedSubjectDnTr::tr("the bank's %1 could not be read as a DN: %2")
                              .arg(claim, parsed.error().message);
        return echo;
    }
    const auto comparison = DnComparison::compare(subject, *parsed);
    for (const auto& d : comparison.differences())
        echo.differences << bankDnDifference(d);
    return echo;
}

} // namespace

QString bankDnDifference(const DnDifference& d) {
    switch (d.kind) {
    case DnDifference::Kind::Missing:
        return EchoedSubjectDnTr::tr(
                   "the bank's DN lacks %1 (the transport certificate's subject has %2)")
            .arg(typeLabel(d), quoted(d.subjectValue));
    case DnDifference::Kind::Extra:
        return EchoedSubjectDnTr::tr(
                   "the bank's DN has %1 = %2, which the transport certificate's subject does not "
                   "have")
            .arg(typeLabel(d), quoted(d.givenValue));
    case DnDifference::Kind::DifferentValue:
        return EchoedSubjectDnTr::tr(
                   "%1 differs: the transport certificate's subject has %2, the bank's DN %3")
            .arg(typeLabel(d), quoted(d.subjectValue), quoted(d.givenValue));
    }
    return {};
}

QStringList EchoedSubjectDn::problems() const {
    if (!unreadable.isEmpty())
        return {unreadable};
    return differences;
}

QJsonObject EchoedSubjectDn::toJson() const {
    QJsonObject out{{QStringLiteral("claim"), claim},
                    {QStringLiteral("echoed"), echoed},
                    {QStringLiteral("certificate_subject"), certificateSubject},
                    {QStringLiteral("same_by_meaning"), sameByMeaning()},
                    {QStringLiteral("differences"), QJsonArray::fromStringList(differences)}};
    if (!unreadable.isEmpty())
        out.insert(QStringLiteral("unreadable"), unreadable);
    return out;
}

QList<EchoedSubjectDn> compareEchoedSubjectDns(const QJsonObject& client,
                                               const Certificate& certificate) {
    QList<EchoedSubjectDn> out;
    if (certificate.isNull())
        return out;
    const auto subject = DistinguishedName::fromCertificateSubject(certificate);
    const QString subjectText = certificate.subjectDn(DnStyle::Rfc4514Names);
    for (const QString& claim : dnClaims())
        if (client.contains(claim))
            out << compareOne(claim, client.value(claim), subject, subjectText);
    return out;
}

} // namespace dcr
