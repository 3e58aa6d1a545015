#include "InputKind.h"

#include "jose/Base64Url.h"
#include "jose/Jws.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

#include <algorithm>
#include <cctype>

namespace dcr {

namespace {

struct InputKindTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::InputKind)
};

// The first bytes of PEM, of DER (an ASN.1 SEQUENCE with a long-form length, as every
// certificate, key and PKCS#12 file has) or of a JWK/JWKS object.
bool looksLikeKeyMaterial(const QByteArray& trimmed, const QJsonObject* json) {
    if (json)
        // RFC 7517: a JWK has "kty", a JWK Set has "keys".
        return json->contains(QStringLiteral("kty")) || json->contains(QStringLiteral("keys"));
    if (trimmed.contains("-----BEGIN "))
        return true;
    return trimmed.size() > 4 && static_cast<unsigned char>(trimmed.at(0)) == 0x30 &&
           (static_cast<unsigned char>(trimmed.at(1)) & 0x80) != 0;
}

// Text a person could read: no control characters but line ends and tabs.
bool isText(const QByteArray& bytes) {
    for (char ch : bytes) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 && c != '\n' && c != '\r' && c != '\t')
            return false;
    }
    return true;
}

Result<QJsonObject> decodeJsonPart(const QByteArray& part, const QString& name) {
    auto bytes = base64url::decode(part);
    if (!bytes)
        return Error{
            ErrorKind::JwsSegmentEncoding,
            InputKindTr::tr("its %1 is not base64url: %2").arg(name, bytes.error().message)};
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes);
    if (!doc.isObject())
        return Error{ErrorKind::JwsHeaderNotObject,
                     InputKindTr::tr("its %1 does not decode to a JSON object%2")
                         .arg(name, bytes->isEmpty() ? InputKindTr::tr(" (it is empty)")
                                                     : InputKindTr::tr(" (it may be cut off)"))};
    return doc.object();
}

// Why bytes that are not JSON nor key material are not a JWT either.
QString whyNotJwt(const QByteArray& trimmed) {
    if (!isText(trimmed))
        return InputKindTr::tr("it is binary data");
    const bool compactAlphabet = std::all_of(trimmed.begin(), trimmed.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.' ||
               c == '=';
    });
    if (!compactAlphabet)
        return InputKindTr::tr("it is plain text; a JWT is base64url parts separated by '.'");
    auto shape = readJwsShape(trimmed);
    return shape ? QString() : shape.error().message;
}

} // namespace

Result<JwsShape> readJwsShape(const QByteArray& bytes) {
    const QByteArray trimmed = bytes.trimmed();
    const QList<QByteArray> parts = trimmed.split('.');
    if (parts.size() == 1)
        return Error{ErrorKind::JwsMalformed,
                     InputKindTr::tr("it has no '.'; a JWS has 3 '.'-separated parts")};
    if (parts.size() != 3)
        return Error{
            ErrorKind::JwsMalformed,
            InputKindTr::tr("it has %1 '.'-separated parts, a JWS has 3%2")
                .arg(parts.size())
                .arg(parts.size() == 2
                         ? InputKindTr::tr(" (it is cut short or its signature is missing)")
                         : QString())};
    auto header = decodeJsonPart(parts[0], InputKindTr::tr("header"));
    if (!header)
        return header.error();
    auto claims = decodeJsonPart(parts[1], InputKindTr::tr("payload"));
    if (!claims)
        return claims.error();
    return JwsShape{*header, *claims};
}

InputClassification classifyInput(const QByteArray& bytes) {
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.isEmpty())
        return {InputKind::Empty, {}};
    if (trimmed.startsWith('{')) {
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &error);
        if (!doc.isObject())
            return {InputKind::Unrecognised,
                    InputKindTr::tr("it starts like JSON but does not parse: %1 at offset %2")
                        .arg(error.errorString())
                        .arg(error.offset)};
        const QJsonObject o = doc.object();
        return {looksLikeKeyMaterial(trimmed, &o) ? InputKind::KeyOrCertificate
                                                  : InputKind::ClaimsJson,
                {}};
    }
    if (looksLikeKeyMaterial(trimmed, nullptr))
        return {InputKind::KeyOrCertificate, {}};
    // By its claims, whatever its signature: a corrupt, missing or unverifiable signature does not
    // make a request an SSA.
    if (auto shape = readJwsShape(trimmed))
        return {shape->claims.contains(QStringLiteral("software_statement"))
                    ? InputKind::RegistrationRequest
                    : InputKind::SoftwareStatement,
                {}};
    return {InputKind::Unrecognised, whyNotJwt(trimmed)};
}

} // namespace dcr
