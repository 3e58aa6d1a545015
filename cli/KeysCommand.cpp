#include "CommandLine.h"
#include "Commands.h"
#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dcr::cli {

namespace {

QJsonObject certificateJson(const Certificate& c) {
    return QJsonObject{
        {QStringLiteral("subject"), c.subjectDn()},
        {QStringLiteral("subject_names"), c.subjectDn(DnStyle::Rfc4514Names)},
        {QStringLiteral("issuer"), c.issuerDn()},
        {QStringLiteral("serial"), c.serialHex()},
        {QStringLiteral("not_before"), c.notBefore().toString(Qt::ISODate)},
        {QStringLiteral("not_after"), c.notAfter().toString(Qt::ISODate)},
        {QStringLiteral("key"), c.keyDescription()},
        {QStringLiteral("subject_alt_names"), QJsonArray::fromStringList(c.subjectAltNames())},
        {QStringLiteral("key_usage"), QJsonArray::fromStringList(c.keyUsage())},
        {QStringLiteral("extended_key_usage"), QJsonArray::fromStringList(c.extendedKeyUsage())},
        {QStringLiteral("sha256_fingerprint"), c.sha256Fingerprint()}};
}

} // namespace

int keysCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("keys"),
                    QStringLiteral("Shows a key or certificate file: format, key type, public JWK, "
                                   "RFC 7638 thumbprint, certificate subject DN and details."),
                    QStringLiteral("FILE"),
                    QStringLiteral("PEM, DER, PKCS#12, JWK or JWKS file, or - for standard input"));
    cmd.addOption(QStringLiteral("passphrase-file"), QStringLiteral("file holding the passphrase"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("machine-readable output"));
    if (auto stop = cmd.parse(args, io))
        return *stop;
    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("passphrase-file"), io);
    if (!passphraseFile)
        return io.fail(ExitUsage, passphraseFile.error().toString());
    const QByteArray passphrase = *passphraseFile;
    auto bytes = readInput(cmd.positional().first(), io);
    if (!bytes)
        return io.fail(ExitUsage, bytes.error().toString());
    auto material = keyloader::load(*bytes, passphrase);
    if (!material)
        return io.fail(ExitUsage, material.error().toString());

    QJsonObject out{{QStringLiteral("format"), material->format},
                    {QStringLiteral("has_private_key"), material->hasPrivateKey()}};
    if (!material->publicKey.isNull()) {
        QJsonObject jwk = jwk::fromPublicKey(material->publicKey);
        const QString thumbprint = jwk::thumbprint(material->publicKey);
        jwk.insert(QStringLiteral("kid"), thumbprint);
        out.insert(QStringLiteral("key"), material->publicKey.description());
        out.insert(QStringLiteral("public_jwk"), jwk);
        out.insert(QStringLiteral("thumbprint"), thumbprint);
    }
    QJsonArray certs;
    for (const auto& c : material->certificates)
        certs.append(certificateJson(c));
    if (!certs.isEmpty())
        out.insert(QStringLiteral("certificates"), certs);
    if (material->jwks)
        out.insert(QStringLiteral("jwks_keys"), static_cast<int>(material->jwks->entries().size()));
    if (!material->warnings.isEmpty())
        out.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(material->warnings));

    if (cmd.isSet(QStringLiteral("json"))) {
        io.printJson(QJsonDocument(out));
        return ExitOk;
    }
    io.out << "Format:      " << material->format
           << (material->hasPrivateKey() ? " (with private key)" : "") << '\n';
    if (out.contains(QStringLiteral("key"))) {
        io.out << "Key:         " << out[QStringLiteral("key")].toString() << '\n'
               << "Thumbprint:  " << out[QStringLiteral("thumbprint")].toString()
               << "  (RFC 7638, default kid)\n"
               << "Public JWK:  "
               << QString::fromUtf8(QJsonDocument(out[QStringLiteral("public_jwk")].toObject())
                                        .toJson(QJsonDocument::Compact))
               << '\n';
    }
    for (const auto& c : material->certificates) {
        io.out << "Certificate: " << c.subjectDn() << '\n'
               << "  subject (names): " << c.subjectDn(DnStyle::Rfc4514Names) << '\n'
               << "  issuer:          " << c.issuerDn() << '\n'
               << "  serial:          " << c.serialHex() << '\n'
               << "  valid:           " << c.notBefore().toString(Qt::ISODate) << " .. "
               << c.notAfter().toString(Qt::ISODate)
               << (c.isValidAt(QDateTime::currentDateTimeUtc()) ? "" : "  (NOT VALID NOW)") << '\n'
               << "  key:             " << c.keyDescription() << '\n'
               << "  SANs:            " << c.subjectAltNames().join(QStringLiteral(", ")) << '\n'
               << "  key usage:       "
               << (c.keyUsage() + c.extendedKeyUsage()).join(QStringLiteral(", ")) << '\n'
               << "  SHA-256:         " << c.sha256Fingerprint() << '\n';
    }
    if (material->jwks)
        io.out << "JWKS:        " << material->jwks->entries().size() << " usable key(s)\n";
    for (const auto& w : material->warnings)
        io.out << "Warning:     " << w << '\n';
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
