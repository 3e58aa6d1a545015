#include "SubjectDnDialects.h"

#include "Certificate.h"
#include "DistinguishedName.h"
#include "GoPkixName.h"
#include "OpenSsl.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

#include <openssl/bio.h>
#include <openssl/x509.h>

#include <algorithm>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct SubjectDnDialectsTr {
    Q_DECLARE_TR_FUNCTIONS(SubjectDnDialects)
};

QString printName(const X509_NAME* name, unsigned long flags) {
    if (!name)
        return {};
    BIO* bio = BIO_new(BIO_s_mem());
    if (!bio)
        return {};
    QString out;
    if (X509_NAME_print_ex(bio, name, 0, flags) >= 0) {
        char* data = nullptr;
        const long length = BIO_get_mem_data(bio, &data);
        out = QString::fromUtf8(data, length);
    }
    BIO_free(bio);
    ossl::clearErrors();
    return out;
}

QString goNote(const GoPkixName& go) {
    QStringList notes;
    const auto named = [](const DnAttribute& a) {
        const QString name = dnAttributeName(a.oid);
        return (name.isEmpty() ? a.oid : a.oid + u' ' + name) + QStringLiteral("=\"") + a.value +
               u'"';
    };
    if (!go.printedAsOid().isEmpty()) {
        QStringList types;
        for (const auto& a : go.printedAsOid())
            types << named(a);
        notes << SubjectDnDialectsTr::tr(
                     "Go prints %1 last as OID=#hex (Go 1.15 and later; older Go left it out, so "
                     "a DN registered from an older Go bank may lack it)")
                     .arg(types.join(QStringLiteral(", ")));
    }
    if (!go.dropped().isEmpty()) {
        QStringList dropped;
        for (const auto& a : go.dropped())
            dropped << named(a);
        notes << SubjectDnDialectsTr::tr(
                     "Go leaves out %1: a bank in Go comparing Subject.String() never sees it")
                     .arg(dropped.join(QStringLiteral(", ")));
    }
    return notes.join(QStringLiteral("; "));
}

// An RFC 4514 string's RDNs: split at each ',' that is not escaped (preceded by an odd number of
// backslashes). #hex values hold no commas.
QStringList splitRdns(const QString& dn) {
    QStringList out;
    QString current;
    int backslashes = 0;
    for (const QChar c : dn) {
        if (c == u',' && backslashes % 2 == 0) {
            out << current;
            current.clear();
        } else {
            current += c;
        }
        backslashes = c == u'\\' ? backslashes + 1 : 0;
    }
    out << current;
    return out;
}

bool hasNonAscii(const QString& text) {
    for (const QChar c : text)
        if (c.unicode() > 0x7f)
            return true;
    return false;
}

} // namespace

QString SubjectDnDialects::openSslRfc2253(const X509_NAME* name) {
    return printName(name, XN_FLAG_RFC2253);
}

QString SubjectDnDialects::openSslOneLine(const X509_NAME* name) {
    return printName(name, XN_FLAG_ONELINE);
}

QString SubjectDnDialects::cnFirst(const Certificate& certificate) {
    const QStringList rdns = splitRdns(certificate.subjectDn(DnStyle::Rfc4514Names));
    const auto parsed = DistinguishedName::fromCertificateSubject(certificate).rdns();
    if (rdns.size() != parsed.size())
        return rdns.join(u','); // cannot happen: both walk the same entries into the same RDNs
    QStringList withCn;
    QStringList others;
    for (qsizetype i = 0; i < rdns.size(); ++i) {
        const auto& rdn = parsed.at(i);
        const bool cn = std::any_of(rdn.cbegin(), rdn.cend(), [](const DnAttribute& a) {
            return a.oid == QLatin1String("2.5.4.3");
        });
        (cn ? withCn : others) << rdns.at(i);
    }
    return (withCn + others).join(u',');
}

QList<SubjectDnDialect> SubjectDnDialects::of(const Certificate& certificate) {
    if (certificate.isNull())
        return {};
    const X509_NAME* name = X509_get_subject_name(certificate.raw());
    const QString named = certificate.subjectDn(DnStyle::Rfc4514Names);
    const QString strict = certificate.subjectDn(DnStyle::Rfc4514Oid);
    const QString cn = cnFirst(certificate);
    const GoPkixName go(DistinguishedName::fromX509Name(name));
    const QString rfc2253 = openSslRfc2253(name);
    return {
        {QStringLiteral("rfc4514"),
         SubjectDnDialectsTr::tr("RFC 4514, attribute names"),
         named,
         {}},
        {QStringLiteral("openssl_rfc2253"),
         SubjectDnDialectsTr::tr("OpenSSL RFC 2253 (-nameopt RFC2253)"), rfc2253,
         hasNonAscii(named)
             ? SubjectDnDialectsTr::tr("non-ASCII characters are written as \\XX escapes of their "
                                       "UTF-8 bytes")
             : QString()},
        {QStringLiteral("oid_hex"),
         SubjectDnDialectsTr::tr(
             "RFC 4514 strict: dotted OID and #hex BER value for types outside RFC 4514's table "
             "(the OID form Open Finance Brasil banks must accept)"),
         strict,
         strict == named ? SubjectDnDialectsTr::tr(
                               "the same as RFC 4514: every attribute has an RFC 4514 short name")
                         : QString()},
        {QStringLiteral("cn_first"), SubjectDnDialectsTr::tr("CN first"), cn,
         cn == named ? SubjectDnDialectsTr::tr("the same as RFC 4514: the CN is already first")
                     : QString()},
        {QStringLiteral("go_pkix"), SubjectDnDialectsTr::tr("Go pkix.Name.String()"), go.text(),
         goNote(go)},
        {QStringLiteral("openssl_oneline"),
         SubjectDnDialectsTr::tr("OpenSSL one-line, X.500 order (openssl x509 -subject)"),
         openSslOneLine(name),
         {}},
    };
}

std::optional<SubjectDnDialect>
SubjectDnDialects::spelledAs(const QList<SubjectDnDialect>& dialects, const QString& dn) {
    const QString wanted = dn.trimmed();
    for (const auto& d : dialects)
        if (!wanted.isEmpty() && d.text == wanted)
            return d;
    return std::nullopt;
}

QJsonArray SubjectDnDialects::toJson(const QList<SubjectDnDialect>& dialects) {
    QJsonArray out;
    for (const auto& d : dialects) {
        QJsonObject o{{QStringLiteral("key"), d.key},
                      {QStringLiteral("label"), d.label},
                      {QStringLiteral("dn"), d.text}};
        if (!d.note.isEmpty())
            o.insert(QStringLiteral("note"), d.note);
        out.append(o);
    }
    return out;
}

} // namespace dcr
