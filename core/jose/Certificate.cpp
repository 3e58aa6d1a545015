#include "Certificate.h"

#include "DistinguishedName.h"
#include "OpenSsl.h"

#include <QCoreApplication>
#include <openssl/pem.h>

#include <ctime>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct CertificateTr {
    Q_DECLARE_TR_FUNCTIONS(Certificate)
};

QString attributeType(const ASN1_OBJECT* object, DnStyle style) {
    const int nid = OBJ_obj2nid(object);
    // RFC 4514 section 3 short names.
    switch (nid) {
    case NID_commonName:
        return QStringLiteral("CN");
    case NID_localityName:
        return QStringLiteral("L");
    case NID_stateOrProvinceName:
        return QStringLiteral("ST");
    case NID_organizationName:
        return QStringLiteral("O");
    case NID_organizationalUnitName:
        return QStringLiteral("OU");
    case NID_countryName:
        return QStringLiteral("C");
    case NID_streetAddress:
        return QStringLiteral("STREET");
    case NID_domainComponent:
        return QStringLiteral("DC");
    case NID_userId:
        return QStringLiteral("UID");
    default:
        break;
    }
    if (style == DnStyle::Rfc4514Names && nid != NID_undef) {
        if (const char* sn = OBJ_nid2sn(nid))
            return QString::fromLatin1(sn);
    }
    char buffer[128] = {};
    OBJ_obj2txt(buffer, sizeof buffer, object, 1);
    return QString::fromLatin1(buffer);
}

QString berHex(const ASN1_STRING* data) {
    // The string types' ASN.1 type numbers are their universal tags (UTF8String 12, ...).
    const int length = ASN1_STRING_length(data);
    QByteArray ber(1, static_cast<char>(ASN1_STRING_type(data)));
    if (length < 0x80) {
        ber.append(static_cast<char>(length));
    } else {
        QByteArray digits;
        for (int l = length; l > 0; l >>= 8)
            digits.prepend(static_cast<char>(l & 0xff));
        ber.append(static_cast<char>(0x80 | digits.size()));
        ber.append(digits);
    }
    ber.append(reinterpret_cast<const char*>(ASN1_STRING_get0_data(data)), length);
    return QString::fromLatin1(ber.toHex());
}

QString formatName(const X509_NAME* name, DnStyle style) {
    if (!name)
        return {};
    // RFC 4514 lists RDNs starting from the last one in the ASN.1 sequence.
    QStringList rdns;
    const int count = X509_NAME_entry_count(name);
    int currentSet = -1;
    for (int i = count - 1; i >= 0; --i) {
        const X509_NAME_ENTRY* entry = X509_NAME_get_entry(name, i);
        unsigned char* utf8 = nullptr;
        const int len = ASN1_STRING_to_UTF8(&utf8, X509_NAME_ENTRY_get_data(entry));
        const QString value =
            len >= 0 ? QString::fromUtf8(reinterpret_cast<char*>(utf8), len) : QString();
        OPENSSL_free(utf8);
        const QString type = attributeType(X509_NAME_ENTRY_get_object(entry), style);
        // RFC 4514 section 2.4: an attribute written as a dotted OID has its value as "#" and the
        // hex of its BER encoding, never as a string (what Go's pkix.Name.String() writes).
        const QString ava =
            !type.isEmpty() && type.front().isDigit()
                ? type + QStringLiteral("=#") + berHex(X509_NAME_ENTRY_get_data(entry))
                : type + u'=' + escapeDnValue(value);
        const int set = X509_NAME_ENTRY_set(entry);
        if (set == currentSet && !rdns.isEmpty())
            rdns.last() = ava + u'+' + rdns.last();
        else
            rdns << ava;
        currentSet = set;
    }
    return rdns.join(u',');
}

QDateTime toDateTime(const ASN1_TIME* time) {
    struct tm tm = {};
    if (!time || ASN1_TIME_to_tm(time, &tm) != 1)
        return {};
    return QDateTime(QDate(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday),
                     QTime(tm.tm_hour, tm.tm_min, tm.tm_sec), Qt::UTC);
}

} // namespace

Certificate Certificate::adopt(X509* cert) {
    Certificate c;
    c.m_cert = std::shared_ptr<X509>(cert, X509_free);
    return c;
}

Result<Certificate> Certificate::fromPem(const QByteArray& pem) {
    auto bio = ossl::memoryBio(pem);
    X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr);
    if (!cert)
        return Error{ErrorKind::CertificateInvalid,
                     CertificateTr::tr("not a PEM certificate: %1").arg(ossl::takeErrors())};
    return adopt(cert);
}

Result<Certificate> Certificate::fromDer(const QByteArray& der) {
    const auto* p = reinterpret_cast<const unsigned char*>(der.constData());
    X509* cert = d2i_X509(nullptr, &p, static_cast<long>(der.size()));
    if (!cert) {
        ossl::clearErrors();
        return Error{ErrorKind::CertificateInvalid,
                     CertificateTr::tr("not a DER X.509 certificate")};
    }
    if (p != reinterpret_cast<const unsigned char*>(der.constData()) + der.size()) {
        X509_free(cert);
        return Error{ErrorKind::CertificateInvalid,
                     CertificateTr::tr("DER certificate is followed by unexpected trailing bytes")};
    }
    return adopt(cert);
}

QString Certificate::subjectDn(DnStyle style) const {
    return m_cert ? formatName(X509_get_subject_name(m_cert.get()), style) : QString();
}

QString Certificate::issuerDn(DnStyle style) const {
    return m_cert ? formatName(X509_get_issuer_name(m_cert.get()), style) : QString();
}

QString Certificate::serialHex() const {
    if (!m_cert)
        return {};
    ossl::BignumPtr bn(ASN1_INTEGER_to_BN(X509_get0_serialNumber(m_cert.get()), nullptr));
    char* hex = BN_bn2hex(bn.get());
    const QString out = QString::fromLatin1(hex);
    OPENSSL_free(hex);
    return out;
}

QDateTime Certificate::notBefore() const {
    return m_cert ? toDateTime(X509_get0_notBefore(m_cert.get())) : QDateTime();
}
QDateTime Certificate::notAfter() const {
    return m_cert ? toDateTime(X509_get0_notAfter(m_cert.get())) : QDateTime();
}

bool Certificate::isValidAt(const QDateTime& when) const {
    return !isNull() && notBefore() <= when && when <= notAfter();
}

Key Certificate::publicKey() const {
    if (!m_cert)
        return {};
    EVP_PKEY* pkey = X509_get_pubkey(m_cert.get()); // adds a reference
    return pkey ? Key::adopt(pkey) : Key{};
}

QStringList Certificate::subjectAltNames() const {
    QStringList out;
    if (!m_cert)
        return out;
    ossl::GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
        X509_get_ext_d2i(m_cert.get(), NID_subject_alt_name, nullptr, nullptr)));
    if (!names)
        return out;
    for (int i = 0; i < sk_GENERAL_NAME_num(names.get()); ++i) {
        const GENERAL_NAME* gn = sk_GENERAL_NAME_value(names.get(), i);
        auto text = [](const ASN1_STRING* s) {
            return QString::fromLatin1(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                                       ASN1_STRING_length(s));
        };
        switch (gn->type) {
        case GEN_DNS:
            out << QStringLiteral("DNS:") + text(gn->d.dNSName);
            break;
        case GEN_EMAIL:
            out << QStringLiteral("email:") + text(gn->d.rfc822Name);
            break;
        case GEN_URI:
            out << QStringLiteral("URI:") + text(gn->d.uniformResourceIdentifier);
            break;
        case GEN_IPADD: {
            const unsigned char* ip = ASN1_STRING_get0_data(gn->d.iPAddress);
            const int len = ASN1_STRING_length(gn->d.iPAddress);
            if (len == 4)
                out << QStringLiteral("IP:%1.%2.%3.%4").arg(ip[0]).arg(ip[1]).arg(ip[2]).arg(ip[3]);
            else
                out << QStringLiteral("IP:<%1 bytes>").arg(len);
            break;
        }
        default:
            out << QStringLiteral("other:<type %1>").arg(gn->type);
            break;
        }
    }
    return out;
}

QStringList Certificate::keyUsage() const {
    QStringList out;
    if (!m_cert)
        return out;
    const uint32_t usage = X509_get_key_usage(m_cert.get());
    if (usage == UINT32_MAX)
        return out; // extension absent: no restriction
    const std::pair<uint32_t, const char*> names[] = {{KU_DIGITAL_SIGNATURE, "digitalSignature"},
                                                      {KU_NON_REPUDIATION, "nonRepudiation"},
                                                      {KU_KEY_ENCIPHERMENT, "keyEncipherment"},
                                                      {KU_DATA_ENCIPHERMENT, "dataEncipherment"},
                                                      {KU_KEY_AGREEMENT, "keyAgreement"},
                                                      {KU_KEY_CERT_SIGN, "keyCertSign"},
                                                      {KU_CRL_SIGN, "cRLSign"}};
    for (const auto& [bit, name] : names)
        if (usage & bit)
            out << QString::fromLatin1(name);
    return out;
}

QStringList Certificate::extendedKeyUsage() const {
    QStringList out;
    if (!m_cert)
        return out;
    const uint32_t usage = X509_get_extended_key_usage(m_cert.get());
    if (usage == UINT32_MAX)
        return out;
    if (usage & XKU_SSL_SERVER)
        out << QStringLiteral("serverAuth");
    if (usage & XKU_SSL_CLIENT)
        out << QStringLiteral("clientAuth");
    return out;
}

QString Certificate::sha256Fingerprint() const {
    if (!m_cert)
        return {};
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    X509_digest(m_cert.get(), EVP_sha256(), md, &len);
    return QString::fromLatin1(QByteArray(reinterpret_cast<char*>(md), len).toHex(':').toUpper());
}

bool Certificate::matchesPrivateKey(const Key& key) const {
    return !isNull() && !key.isNull() && publicKey().samePublicKey(key);
}

QByteArray Certificate::toDer() const {
    if (!m_cert)
        return {};
    unsigned char* der = nullptr;
    const int len = i2d_X509(m_cert.get(), &der);
    QByteArray out(reinterpret_cast<char*>(der), len > 0 ? len : 0);
    OPENSSL_free(der);
    return out;
}

QByteArray Certificate::toPem() const {
    ossl::BioPtr bio(BIO_new(BIO_s_mem()));
    if (!m_cert || !PEM_write_bio_X509(bio.get(), m_cert.get()))
        return {};
    return ossl::bioContents(bio.get());
}

} // namespace dcr
