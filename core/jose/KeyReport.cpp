#include "KeyReport.h"

#include "Jwk.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

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

QJsonObject keyReportJson(const KeyMaterial& material) {
    QJsonObject out{{QStringLiteral("format"), material.format},
                    {QStringLiteral("has_private_key"), material.hasPrivateKey()}};
    if (!material.publicKey.isNull()) {
        QJsonObject publicJwk = jwk::fromPublicKey(material.publicKey);
        const QString thumbprint = jwk::thumbprint(material.publicKey);
        publicJwk.insert(QStringLiteral("kid"), thumbprint);
        out.insert(QStringLiteral("key"), material.publicKey.description());
        out.insert(QStringLiteral("public_jwk"), publicJwk);
        out.insert(QStringLiteral("thumbprint"), thumbprint);
    }
    QJsonArray certs;
    for (const auto& c : material.certificates)
        certs.append(certificateJson(c));
    if (!certs.isEmpty())
        out.insert(QStringLiteral("certificates"), certs);
    if (material.jwks)
        out.insert(QStringLiteral("jwks_keys"), static_cast<int>(material.jwks->entries().size()));
    if (!material.warnings.isEmpty())
        out.insert(QStringLiteral("warnings"), QJsonArray::fromStringList(material.warnings));
    return out;
}

QString keyReportText(const KeyMaterial& material, const QDateTime& now) {
    const QJsonObject json = keyReportJson(material);
    QStringList lines{QStringLiteral("Format:      %1%2")
                          .arg(material.format, material.hasPrivateKey()
                                                    ? QStringLiteral(" (with private key)")
                                                    : QString())};
    if (json.contains(QStringLiteral("key")))
        lines << QStringLiteral("Key:         %1").arg(json[QStringLiteral("key")].toString())
              << QStringLiteral("Thumbprint:  %1  (RFC 7638, default kid)")
                     .arg(json[QStringLiteral("thumbprint")].toString())
              << QStringLiteral("Public JWK:  %1")
                     .arg(QString::fromUtf8(
                         QJsonDocument(json[QStringLiteral("public_jwk")].toObject())
                             .toJson(QJsonDocument::Compact)));
    for (const auto& c : material.certificates)
        lines << QStringLiteral("Certificate: %1").arg(c.subjectDn())
              << QStringLiteral("  subject (names): %1").arg(c.subjectDn(DnStyle::Rfc4514Names))
              << QStringLiteral("  issuer:          %1").arg(c.issuerDn())
              << QStringLiteral("  serial:          %1").arg(c.serialHex())
              << QStringLiteral("  valid:           %1 .. %2%3")
                     .arg(c.notBefore().toString(Qt::ISODate), c.notAfter().toString(Qt::ISODate),
                          c.isValidAt(now) ? QString() : QStringLiteral("  (NOT VALID NOW)"))
              << QStringLiteral("  key:             %1").arg(c.keyDescription())
              << QStringLiteral("  SANs:            %1")
                     .arg(c.subjectAltNames().join(QStringLiteral(", ")))
              << QStringLiteral("  key usage:       %1")
                     .arg((c.keyUsage() + c.extendedKeyUsage()).join(QStringLiteral(", ")))
              << QStringLiteral("  SHA-256:         %1").arg(c.sha256Fingerprint());
    if (material.jwks)
        lines
            << QStringLiteral("JWKS:        %1 usable key(s)").arg(material.jwks->entries().size());
    for (const auto& w : material.warnings)
        lines << QStringLiteral("Warning:     %1").arg(w);
    return lines.join(u'\n') + u'\n';
}

} // namespace dcr
