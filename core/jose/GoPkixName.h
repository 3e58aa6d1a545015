#pragma once

#include "DistinguishedName.h"

#include <QList>
#include <QString>

namespace dcr {

// What Go prints for a certificate subject: crypto/x509 parses the subject into a pkix.Name
// (FillFromRDNSequence), and String() prints, RFC 2253 style (last RDN first):
// - the named fields (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER), rebuilt in that
//   order with one RDN per type, so its order and grouping are Go's, not the certificate's;
// - then every other attribute of the subject (organizationIdentifier, UID, jurisdictionC,
//   businessCategory, ...) as OID=#hex, the hex being Go's own DER re-encoding of the value it
//   parsed (PrintableString when every character allows it, else UTF8String), in the reverse of
//   their certificate order. Go added these in 1.15 (golang/go issue 39924: "Place non-standard
//   parsed values at the beginning of the sequence so they will be at the end of the string");
//   older Go left them out, which is why some banks' registered DNs lack organizationIdentifier.
// A CommonName or SerialNumber read twice keeps the last value; the other, and an empty one, are
// not printed.
class GoPkixName {
public:
    explicit GoPkixName(const DistinguishedName& subject);

    // pkix.Name.String() of the parsed subject.
    QString text() const { return m_text; }
    // The subject's attributes that String() does not print (an overwritten or empty CN or
    // SERIALNUMBER), in RFC 4514 order.
    const QList<DnAttribute>& dropped() const { return m_dropped; }
    // The attributes printed as OID=#hex, in the order printed.
    const QList<DnAttribute>& printedAsOid() const { return m_printedAsOid; }

private:
    QString m_text;
    QList<DnAttribute> m_dropped;
    QList<DnAttribute> m_printedAsOid;
};

} // namespace dcr
