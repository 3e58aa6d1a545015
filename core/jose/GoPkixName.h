#pragma once

#include "DistinguishedName.h"

#include <QList>
#include <QString>

namespace dcr {

// What Go prints for a certificate subject: crypto/x509 parses the subject into a pkix.Name
// (FillFromRDNSequence), whose String() rebuilds an RDN sequence from the named fields only (C,
// ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER, in that order, one RDN per type) and prints
// it in reverse, RFC 2253 style. Types without a field (organizationIdentifier, UID, DC,
// emailAddress, jurisdictionC, businessCategory, ...) live only in Names, which String() does not
// read; only ExtraNames would be printed as OID=#hex, and parsing leaves ExtraNames empty. So a
// bank written in Go that compares "cert.Subject.String()" with a registered DN never sees them.
class GoPkixName {
public:
    explicit GoPkixName(const DistinguishedName& subject);

    // pkix.Name.String() of the parsed subject.
    QString text() const { return m_text; }
    // The subject's attributes that String() does not print, in RFC 4514 order.
    const QList<DnAttribute>& dropped() const { return m_dropped; }

private:
    QString m_text;
    QList<DnAttribute> m_dropped;
};

} // namespace dcr
