#pragma once

#include <QJsonArray>
#include <QList>
#include <QString>

#include <optional>

struct X509_name_st;

namespace dcr {

class Certificate;

// One spelling of a certificate subject.
struct SubjectDnDialect {
    QString key;   // stable, for --json: "rfc4514", "openssl_rfc2253", "oid_hex", ...
    QString label; // translated
    QString text;
    QString note; // what to know about this spelling for this certificate; often empty
};

// A certificate's subject in each dialect banks and their libraries use, because a
// tls_client_auth_subject_dn that means the same subject is still refused when the bank compares
// strings (Open Finance Brasil specs-seguranca #74 and #178; Go dropping organizationIdentifier).
class SubjectDnDialects {
public:
    // RFC 4514 with attribute names, OpenSSL's RFC 2253, RFC 4514 strict (dotted OID and #hex
    // for types outside RFC 4514's table, the form Open Finance Brasil banks must accept), CN
    // first, Go's pkix.Name.String(), OpenSSL's one-line form (X.500 order).
    static QList<SubjectDnDialect> of(const Certificate& certificate);
    static QJsonArray toJson(const QList<SubjectDnDialect>& dialects);
    // The first dialect spelled exactly as `dn` (leading and trailing spaces aside): tells which
    // library or rule wrote a bank's DN.
    static std::optional<SubjectDnDialect> spelledAs(const QList<SubjectDnDialect>& dialects,
                                                     const QString& dn);

    // X509_NAME_print_ex with XN_FLAG_RFC2253, byte for byte what
    // `openssl x509 -noout -subject -nameopt RFC2253` prints after "subject=".
    static QString openSslRfc2253(const X509_name_st* name);
    // X509_NAME_print_ex with XN_FLAG_ONELINE, what `openssl x509 -noout -subject` prints.
    static QString openSslOneLine(const X509_name_st* name);
    // RFC 4514 with attribute names, the RDNs holding a CN moved to the front.
    static QString cnFirst(const Certificate& certificate);
};

} // namespace dcr
