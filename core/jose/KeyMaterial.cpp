#include "KeyMaterial.h"

#include "Jwk.h"
#include "OpenSsl.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>

#include <openssl/decoder.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/pkcs12.h>

namespace dcr::keyloader {

namespace {

// Messages the user reads, in the language of the running program.
struct KeyMaterialTr {
    Q_DECLARE_TR_FUNCTIONS(KeyMaterial)
};

struct PemBlock {
    QByteArray label;
    QByteArray text; // BEGIN..END inclusive
    int line = 0;
};

int lineOf(const QByteArray& bytes, qsizetype offset) {
    return static_cast<int>(bytes.left(offset).count('\n')) + 1;
}

Result<QList<PemBlock>> splitPem(const QByteArray& bytes) {
    QList<PemBlock> blocks;
    static const QByteArray begin = "-----BEGIN ";
    qsizetype pos = 0;
    while ((pos = bytes.indexOf(begin, pos)) >= 0) {
        const qsizetype labelStart = pos + begin.size();
        const qsizetype labelEnd = bytes.indexOf("-----", labelStart);
        if (labelEnd < 0)
            return Error{
                ErrorKind::KeyTruncated,
                KeyMaterialTr::tr("PEM BEGIN line at line %1 is cut off").arg(lineOf(bytes, pos))};
        const QByteArray label = bytes.mid(labelStart, labelEnd - labelStart);
        const QByteArray endMarker = "-----END " + label + "-----";
        const qsizetype end = bytes.indexOf(endMarker, labelEnd);
        if (end < 0)
            return Error{
                ErrorKind::KeyTruncated,
                KeyMaterialTr::tr("PEM block \"%1\" starting at line %2 has no END line; the "
                                  "file looks truncated")
                    .arg(QString::fromLatin1(label))
                    .arg(lineOf(bytes, pos))};
        blocks << PemBlock{label, bytes.mid(pos, end + endMarker.size() - pos) + '\n',
                           lineOf(bytes, pos)};
        pos = end + endMarker.size();
    }
    return blocks;
}

struct PassphraseData {
    QByteArray passphrase;
    bool asked = false;
};

int passphraseCallback(char* buf, int size, int /*rwflag*/, void* userdata) {
    auto* data = static_cast<PassphraseData*>(userdata);
    data->asked = true;
    if (data->passphrase.isEmpty() || data->passphrase.size() > size)
        return 0;
    memcpy(buf, data->passphrase.constData(), static_cast<size_t>(data->passphrase.size()));
    return static_cast<int>(data->passphrase.size());
}

bool isBadDecrypt() {
    const unsigned long code = ERR_peek_last_error();
    const int reason = ERR_GET_REASON(code);
    // The reason code differs by the layer that noticed (EVP, PEM, provider).
    return reason == EVP_R_BAD_DECRYPT || reason == PEM_R_BAD_DECRYPT ||
           reason == PEM_R_BAD_PASSWORD_READ || reason == 100 /* PROV_R_BAD_DECRYPT */;
}

Status acceptKeyType(const Key& key, const QString& where) {
    if (key.type() == KeyType::Unsupported)
        return Error{
            ErrorKind::KeyUnsupportedType,
            KeyMaterialTr::tr("%1 holds a %2 key; only RSA and EC P-256 keys are supported "
                              "(PS256/RS256/ES256)")
                .arg(where, key.description())};
    return {};
}

// Decodes SubjectPublicKeyInfo ("PUBLIC KEY") and PKCS#1 ("RSA PUBLIC KEY") PEM alike.
EVP_PKEY* decodePublicPem(const QByteArray& text) {
    EVP_PKEY* pkey = nullptr;
    OSSL_DECODER_CTX* ctx = OSSL_DECODER_CTX_new_for_pkey(&pkey, "PEM", nullptr, nullptr,
                                                          EVP_PKEY_PUBLIC_KEY, nullptr, nullptr);
    if (!ctx)
        return nullptr;
    const auto* data = reinterpret_cast<const unsigned char*>(text.constData());
    size_t len = static_cast<size_t>(text.size());
    OSSL_DECODER_from_data(ctx, &data, &len);
    OSSL_DECODER_CTX_free(ctx);
    return pkey;
}

Status loadPrivatePem(const PemBlock& block, const QByteArray& passphrase, KeyMaterial& out) {
    const bool encrypted =
        block.label == "ENCRYPTED PRIVATE KEY" || block.text.contains("Proc-Type: 4,ENCRYPTED");
    if (encrypted && passphrase.isEmpty())
        return Error{
            ErrorKind::KeyPassphraseRequired,
            KeyMaterialTr::tr("the private key at line %1 is encrypted; a passphrase is required")
                .arg(block.line)};
    ossl::clearErrors();
    PassphraseData data{passphrase};
    auto bio = ossl::memoryBio(block.text);
    EVP_PKEY* pkey = PEM_read_bio_PrivateKey(bio.get(), nullptr, passphraseCallback, &data);
    if (!pkey) {
        if (encrypted && isBadDecrypt()) {
            ossl::clearErrors();
            return Error{
                ErrorKind::KeyWrongPassphrase,
                KeyMaterialTr::tr("the passphrase does not decrypt the private key at line %1")
                    .arg(block.line)};
        }
        const QString detail = ossl::takeErrors();
        if (encrypted)
            return Error{
                ErrorKind::KeyWrongPassphrase,
                KeyMaterialTr::tr("the private key at line %1 could not be decrypted (wrong "
                                  "passphrase?): %2")
                    .arg(block.line)
                    .arg(detail)};
        return Error{ErrorKind::KeyMalformed,
                     KeyMaterialTr::tr("PEM block \"%1\" at line %2 is not a valid private key: %3")
                         .arg(QString::fromLatin1(block.label))
                         .arg(block.line)
                         .arg(detail)};
    }
    Key key = Key::adopt(pkey);
    if (auto ok = acceptKeyType(key, KeyMaterialTr::tr("the PEM file")); !ok)
        return ok.error();
    if (!out.privateKey.isNull())
        out.warnings << KeyMaterialTr::tr("more than one private key; using the first");
    else
        out.privateKey = key;
    return {};
}

Status loadPemBlocks(const QByteArray& bytes, const QByteArray& passphrase, KeyMaterial& out) {
    auto blocks = splitPem(bytes);
    if (!blocks)
        return blocks.error();
    out.format = QStringLiteral("PEM");
    for (const PemBlock& block : *blocks) {
        const QByteArray& label = block.label;
        if (label == "CERTIFICATE" || label == "TRUSTED CERTIFICATE" ||
            label == "X509 CERTIFICATE") {
            auto cert = Certificate::fromPem(block.text);
            if (!cert)
                return Error{ErrorKind::CertificateInvalid,
                             KeyMaterialTr::tr("certificate at line %1 is damaged: %2")
                                 .arg(block.line)
                                 .arg(cert.error().message)};
            out.certificates << *cert;
        } else if (label == "PRIVATE KEY" || label == "RSA PRIVATE KEY" ||
                   label == "EC PRIVATE KEY" || label == "ENCRYPTED PRIVATE KEY") {
            if (auto ok = loadPrivatePem(block, passphrase, out); !ok)
                return ok;
        } else if (label == "PUBLIC KEY" || label == "RSA PUBLIC KEY") {
            EVP_PKEY* pkey = decodePublicPem(block.text);
            if (!pkey)
                return Error{ErrorKind::KeyMalformed,
                             KeyMaterialTr::tr("public key at line %1 is damaged: %2")
                                 .arg(block.line)
                                 .arg(ossl::takeErrors())};
            Key key = Key::adopt(pkey);
            if (auto ok = acceptKeyType(key, KeyMaterialTr::tr("the PEM file")); !ok)
                return ok.error();
            out.publicKey = key;
        } else if (label == "CERTIFICATE REQUEST" || label == "NEW CERTIFICATE REQUEST") {
            return Error{
                ErrorKind::KeyWrongFileType,
                KeyMaterialTr::tr("this is a certificate signing request (CSR), not a key or "
                                  "certificate; use the certificate your CA issued for it")};
        } else if (label == "OPENSSH PRIVATE KEY") {
            return Error{
                ErrorKind::KeyWrongFileType,
                KeyMaterialTr::tr("this is an OpenSSH private key; convert it to PKCS#8 with "
                                  "'ssh-keygen -p -m PKCS8 -f FILE'")};
        } else {
            return Error{
                ErrorKind::KeyWrongFileType,
                KeyMaterialTr::tr("PEM block \"%1\" at line %2 is neither a key nor a certificate")
                    .arg(QString::fromLatin1(label))
                    .arg(block.line)};
        }
    }
    return {};
}

// The length a DER SEQUENCE header announces, or -1 when the bytes do not start with one.
qint64 announcedDerLength(const QByteArray& bytes) {
    if (bytes.size() < 2 || static_cast<unsigned char>(bytes.at(0)) != 0x30)
        return -1;
    const auto first = static_cast<unsigned char>(bytes.at(1));
    if (first < 0x80)
        return 2 + first;
    const int count = first & 0x7f;
    if (count == 0 || count > 4 || bytes.size() < 2 + count)
        return -1;
    qint64 length = 0;
    for (int i = 0; i < count; ++i)
        length = (length << 8) | static_cast<unsigned char>(bytes.at(2 + i));
    return 2 + count + length;
}

Status loadPkcs12(PKCS12* p12, const QByteArray& passphrase, KeyMaterial& out) {
    out.format = QStringLiteral("PKCS#12");
    const char* pass = passphrase.isEmpty() ? nullptr : passphrase.constData();
    if (PKCS12_mac_present(p12)) {
        const bool macOk =
            passphrase.isEmpty()
                ? (PKCS12_verify_mac(p12, nullptr, 0) == 1 || PKCS12_verify_mac(p12, "", 0) == 1)
                : PKCS12_verify_mac(p12, pass, static_cast<int>(passphrase.size())) == 1;
        if (!macOk) {
            ossl::clearErrors();
            if (passphrase.isEmpty())
                return Error{
                    ErrorKind::KeyPassphraseRequired,
                    KeyMaterialTr::tr("the PKCS#12 file is protected; a passphrase is required")};
            return Error{ErrorKind::KeyWrongPassphrase,
                         KeyMaterialTr::tr("the passphrase does not open the PKCS#12 file")};
        }
    }
    EVP_PKEY* pkey = nullptr;
    X509* cert = nullptr;
    STACK_OF(X509)* ca = nullptr;
    if (PKCS12_parse(p12, passphrase.isEmpty() ? "" : pass, &pkey, &cert, &ca) != 1) {
        const QString detail = ossl::takeErrors();
        if (detail.contains(QStringLiteral("unsupported")))
            return Error{
                ErrorKind::KeyUnsupportedType,
                KeyMaterialTr::tr("the PKCS#12 file uses a legacy cipher (such as RC2-40) that "
                                  "OpenSSL 3 disables; re-export it with 'openssl pkcs12 "
                                  "-export -keypbe AES-256-CBC -certpbe AES-256-CBC': %1")
                    .arg(detail)};
        return Error{ErrorKind::KeyMalformed,
                     KeyMaterialTr::tr("the PKCS#12 file could not be read: %1").arg(detail)};
    }
    ossl::X509StackPtr chain(ca);
    if (cert)
        out.certificates << Certificate::adopt(cert);
    for (int i = 0; chain && i < sk_X509_num(chain.get()); ++i) {
        X509* c = sk_X509_value(chain.get(), i);
        X509_up_ref(c);
        out.certificates << Certificate::adopt(c);
    }
    if (pkey) {
        Key key = Key::adopt(pkey);
        if (auto ok = acceptKeyType(key, KeyMaterialTr::tr("the PKCS#12 file")); !ok)
            return ok.error();
        out.privateKey = key;
    }
    return {};
}

Status loadDer(const QByteArray& bytes, const QByteArray& passphrase, KeyMaterial& out) {
    out.format = QStringLiteral("DER");
    if (auto cert = Certificate::fromDer(bytes)) {
        out.certificates << *cert;
        return {};
    }
    const auto* begin = reinterpret_cast<const unsigned char*>(bytes.constData());
    const long size = static_cast<long>(bytes.size());
    {
        const unsigned char* p = begin;
        ossl::Pkcs12Ptr p12(d2i_PKCS12(nullptr, &p, size));
        if (p12)
            return loadPkcs12(p12.get(), passphrase, out);
    }
    {
        const unsigned char* p = begin;
        if (EVP_PKEY* pkey = d2i_AutoPrivateKey(nullptr, &p, size)) {
            Key key = Key::adopt(pkey);
            if (auto ok = acceptKeyType(key, KeyMaterialTr::tr("the DER file")); !ok)
                return ok.error();
            out.privateKey = key;
            return {};
        }
    }
    {
        const unsigned char* p = begin;
        if (EVP_PKEY* pkey = d2i_PUBKEY(nullptr, &p, size)) {
            Key key = Key::adopt(pkey);
            if (auto ok = acceptKeyType(key, KeyMaterialTr::tr("the DER file")); !ok)
                return ok.error();
            out.publicKey = key;
            return {};
        }
    }
    {
        auto bio = ossl::memoryBio(bytes);
        PassphraseData data{passphrase};
        if (d2i_PKCS8PrivateKey_bio(bio.get(), nullptr, passphraseCallback, &data)) {
            // Only reached when the passphrase was right; re-read to take ownership cleanly.
            auto bio2 = ossl::memoryBio(bytes);
            EVP_PKEY* pkey =
                d2i_PKCS8PrivateKey_bio(bio2.get(), nullptr, passphraseCallback, &data);
            out.privateKey = Key::adopt(pkey);
            return acceptKeyType(out.privateKey, KeyMaterialTr::tr("the DER file"));
        }
        if (data.asked) {
            ossl::clearErrors();
            if (passphrase.isEmpty())
                return Error{ErrorKind::KeyPassphraseRequired,
                             KeyMaterialTr::tr(
                                 "the DER private key is encrypted; a passphrase is required")};
            return Error{ErrorKind::KeyWrongPassphrase,
                         KeyMaterialTr::tr("the passphrase does not decrypt the DER private key")};
        }
    }
    ossl::clearErrors();
    const qint64 announced = announcedDerLength(bytes);
    if (announced > bytes.size())
        return Error{
            ErrorKind::KeyTruncated,
            KeyMaterialTr::tr("the file is %1 bytes but its DER structure announces %2 bytes; "
                              "it looks truncated")
                .arg(bytes.size())
                .arg(announced)};
    return Error{
        ErrorKind::KeyWrongFileType,
        KeyMaterialTr::tr("the file is not a PEM, DER, PKCS#12 or JWK key or certificate")};
}

Status loadJson(const QByteArray& bytes, KeyMaterial& out) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject())
        return Error{
            ErrorKind::KeyWrongFileType,
            KeyMaterialTr::tr(
                "the file starts like JSON but is not a JWK or JWKS object (%1 at offset %2)")
                .arg(parseError.errorString())
                .arg(parseError.offset)};
    const QJsonObject object = doc.object();
    if (object.contains(QStringLiteral("keys"))) {
        auto set = JwkSet::fromJson(object);
        if (!set)
            return set.error();
        out.format = QStringLiteral("JWKS");
        out.warnings << set->warnings();
        if (set->entries().size() == 1)
            out.publicKey = set->entries().first().key;
        out.jwks = *set;
        return {};
    }
    out.format = QStringLiteral("JWK");
    auto key = jwk::toKey(object);
    if (!key)
        return key.error();
    if (key->hasPrivate())
        out.privateKey = *key;
    else
        out.publicKey = *key;
    const QJsonArray x5c = object.value(QStringLiteral("x5c")).toArray();
    if (!x5c.isEmpty()) {
        auto set = JwkSet::fromJson(object);
        if (set && !set->entries().isEmpty())
            out.certificates << set->entries().first().x5c;
    }
    return {};
}

} // namespace

Result<KeyMaterial> load(const QByteArray& bytes, const QByteArray& passphrase) {
    if (bytes.trimmed().isEmpty())
        return Error{ErrorKind::InputEmpty,
                     KeyMaterialTr::tr("the key or certificate file is empty")};
    if (bytes.size() > MaxKeyFileSize)
        return Error{ErrorKind::InputTooLarge,
                     KeyMaterialTr::tr(
                         "the file is %1 bytes; key and certificate files are at most %2 bytes")
                         .arg(bytes.size())
                         .arg(MaxKeyFileSize)};
    KeyMaterial out;
    Status status;
    const QByteArray trimmed = bytes.trimmed();
    if (bytes.contains("-----BEGIN "))
        status = loadPemBlocks(bytes, passphrase, out);
    else if (trimmed.startsWith('{'))
        status = loadJson(trimmed, out);
    else if (trimmed.startsWith("-----"))
        status = Error{ErrorKind::KeyTruncated,
                       KeyMaterialTr::tr("the PEM BEGIN line is damaged or cut off")};
    else
        status = loadDer(bytes, passphrase, out);
    if (!status)
        return status.error();

    if (out.publicKey.isNull()) {
        if (!out.privateKey.isNull())
            out.publicKey = out.privateKey.publicKey();
        else if (!out.certificates.isEmpty())
            out.publicKey = out.certificates.first().publicKey();
    }
    if (out.privateKey.isNull() && out.publicKey.isNull() && out.certificates.isEmpty() &&
        !out.jwks)
        return Error{ErrorKind::KeyWrongFileType,
                     KeyMaterialTr::tr("the file holds no key or certificate")};
    // A PEM bundle may list the chain before the leaf: put the certificate of our key first.
    if (!out.privateKey.isNull() && out.certificates.size() > 1) {
        for (qsizetype i = 1; i < out.certificates.size(); ++i)
            if (out.certificates.at(i).matchesPrivateKey(out.privateKey))
                out.certificates.move(i, 0);
    }
    if (!out.privateKey.isNull() && !out.certificates.isEmpty() &&
        !out.certificates.first().matchesPrivateKey(out.privateKey))
        out.warnings << KeyMaterialTr::tr("the private key does not match the certificate \"%1\"")
                            .arg(out.certificates.first().subjectDn());
    return out;
}

Result<KeyMaterial> loadSigningKey(const QByteArray& bytes, const QByteArray& passphrase) {
    auto material = load(bytes, passphrase);
    if (!material)
        return material;
    if (!material->hasPrivateKey())
        return Error{
            ErrorKind::KeyWrongFileType,
            KeyMaterialTr::tr("the %1 file holds no private key; signing needs one (a certificate "
                              "or public key is not enough)")
                .arg(material->format)};
    if (auto ok = checkSigningKey(material->privateKey); !ok)
        return ok.error();
    return material;
}

} // namespace dcr::keyloader
