#pragma once

#include "common/Result.h"

#include <QList>
#include <QString>

struct X509_name_st;

namespace dcr {

class Certificate;

// One attribute of a relative distinguished name: the attribute type as a dotted OID (names such
// as CN or organizationIdentifier are resolved when parsing) and its value as text.
struct DnAttribute {
    QString oid;
    QString value;
};

// An X.500 distinguished name as a value, so that two renderings of one subject compare equal.
// Banks and libraries render the same certificate subject differently (RFC 4514 with a dotted OID
// and a #hex BER value as Go does, attribute names as OpenSSL's RFC2253 option does, ", "
// separators, OpenSSL's reversed "C = GB, O = ..." one-line form, or "/C=GB/O=.../CN=..."); a
// tls_client_auth_subject_dn is about the subject, not about one library's spelling of it.
class DistinguishedName {
public:
    // How a parsed string was written, beyond what RFC 4514 says is insignificant.
    enum class Order { Rfc4514, Reversed };

    DistinguishedName() = default;

    // Parses RFC 4514 (multi-valued RDNs with '+', backslash escapes and \hex pairs, #hex BER
    // values, attribute names or dotted OIDs with an optional "OID." prefix, whitespace around
    // separators), OpenSSL's one-line form with " = " and the slash form "/C=GB/CN=x", which both
    // list RDNs in X.500 order (the reverse of RFC 4514).
    static Result<DistinguishedName> parse(const QString& text);
    static DistinguishedName fromCertificateSubject(const Certificate& certificate);
    static DistinguishedName fromX509Name(const X509_name_st* name);

    // RDNs in RFC 4514 order (most specific first, as in "CN=x,O=y,C=GB").
    const QList<QList<DnAttribute>>& rdns() const { return m_rdns; }
    bool isEmpty() const { return m_rdns.isEmpty(); }
    // Set by parse() when the text listed RDNs in X.500 order (slash form, OpenSSL one-line).
    Order parsedOrder() const { return m_order; }

    // Same attributes in the same RDNs, in the same order; values compared case-insensitively
    // with insignificant spaces removed (RFC 4518's caseIgnoreMatch, which every attribute of a
    // certificate subject that OB uses is matched with), the members of a multi-valued RDN in
    // any order.
    bool sameAs(const DistinguishedName& other) const;

    // The RFC 4514 string: short names from RFC 4514 section 3, everything else as a dotted OID
    // with a #hex UTF8String value (RFC 4514 section 2.4).
    QString toRfc4514() const;

private:
    QList<QList<DnAttribute>> m_rdns;
    Order m_order = Order::Rfc4514;
};

// RFC 4514 section 2.4 escaping of a string value.
QString escapeDnValue(const QString& value);
// The RFC 4514 section 3 short name of an OID ("2.5.4.3" -> "CN"), empty when it has none.
QString rfc4514ShortName(const QString& oid);
// The name OpenSSL knows an attribute type by ("2.5.4.97" -> "organizationIdentifier",
// "2.5.4.3" -> "commonName"), empty for an OID it does not know.
QString dnAttributeName(const QString& oid);
// A value as sameAs() matches it: RFC 4518 insignificant spaces removed, case folded.
QString dnMatchValue(const QString& value);

} // namespace dcr
