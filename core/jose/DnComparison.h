#pragma once

#include "DistinguishedName.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dcr {

// One way a given DN (typed into a form, or a bank's tls_client_auth_subject_dn) differs in
// meaning from a certificate's subject.
struct DnDifference {
    enum class Kind { Missing, Extra, DifferentValue };
    Kind kind = Kind::Missing;
    QString oid;
    QString name;         // "organizationIdentifier", empty when OpenSSL has no name for it
    QString subjectValue; // empty for Extra
    QString givenValue;   // empty for Missing
    QString explanation;  // one sentence, translated
};

// A certificate subject and a DN string compared attribute by attribute, by meaning: values as
// RFC 4518 matches them, RDNs in any order. Explains every difference ("the given DN lacks
// 2.5.4.97 organizationIdentifier") and notes what only a string comparison would trip over
// (another RDN order, case or spacing), because banks do compare strings.
class DnComparison {
public:
    static DnComparison compare(const DistinguishedName& subject, const DistinguishedName& given);

    bool sameByMeaning() const { return m_differences.isEmpty(); }
    const QList<DnDifference>& differences() const { return m_differences; }
    // Same-by-meaning remarks: order, case and spacing, how the given string was read.
    const QStringList& notes() const { return m_notes; }

    QJsonObject toJson() const;

private:
    void matchAttributes(const DistinguishedName& subject, const DistinguishedName& given);
    void noteOrder(const DistinguishedName& subject, const DistinguishedName& given);

    QList<DnDifference> m_differences;
    QStringList m_notes;
};

} // namespace dcr
