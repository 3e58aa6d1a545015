#include "Jws.h"

#include "Base64Url.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct JwsTr {
    Q_DECLARE_TR_FUNCTIONS(Jws)
};

} // namespace

Result<QJsonObject> parseJsonObject(const QByteArray& bytes, const QString& what) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(bytes, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorKind::JsonInvalid, JwsTr::tr("%1 is not valid JSON: %2 at offset %3")
                                                 .arg(what, parseError.errorString())
                                                 .arg(parseError.offset)};
    if (!doc.isObject())
        return Error{ErrorKind::JsonInvalid,
                     JwsTr::tr("%1 is a JSON %2, not an object")
                         .arg(what, doc.isArray() ? JwsTr::tr("array") : JwsTr::tr("value"))};
    return doc.object();
}

Result<JwsSegments> JwsSegments::split(const QByteArray& input, qsizetype maxSize) {
    if (input.size() > maxSize)
        return Error{
            ErrorKind::JwsTooLarge,
            JwsTr::tr("token is %1 bytes; the limit is %2 bytes").arg(input.size()).arg(maxSize)};
    const QByteArray compact = input.trimmed();
    if (compact.isEmpty())
        return Error{ErrorKind::InputEmpty, JwsTr::tr("no token: the input is empty")};
    const QList<QByteArray> parts = compact.split('.');
    if (parts.size() != 3) {
        QString hint;
        if (parts.size() == 5)
            hint = JwsTr::tr(" (five segments is an encrypted JWE, which is not supported)");
        else if (parts.size() == 1)
            hint = JwsTr::tr(" (no '.' found: is this a JWT at all?)");
        else if (parts.size() == 2)
            hint = JwsTr::tr(" (the signature segment is missing or the token was cut off)");
        return Error{ErrorKind::JwsMalformed,
                     JwsTr::tr("a compact JWS has 3 segments separated by '.', this has %1%2")
                         .arg(parts.size())
                         .arg(hint)};
    }
    JwsSegments segments;
    segments.headerB64 = parts[0];
    segments.payloadB64 = parts[1];
    segments.signatureB64 = parts[2];

    const char* names[] = {"header", "payload", "signature"};
    QByteArray decoded[3];
    qsizetype offset = 0;
    for (int i = 0; i < 3; ++i) {
        auto bytes = base64url::decode(parts[i]);
        if (!bytes)
            return Error{ErrorKind::JwsSegmentEncoding,
                         JwsTr::tr("%1 segment (starting at character %2): %3")
                             .arg(QString::fromLatin1(names[i]))
                             .arg(offset)
                             .arg(bytes.error().message)};
        decoded[i] = *bytes;
        offset += parts[i].size() + 1;
    }

    auto header = parseJsonObject(decoded[0], JwsTr::tr("the header"));
    if (!header)
        return Error{ErrorKind::JwsHeaderNotObject, header.error().message};
    segments.header = *header;
    segments.payload = decoded[1];
    segments.signature = decoded[2];
    return segments;
}

Result<Jws> Jws::parse(const QByteArray& input, const JwsParseOptions& options) {
    auto segments = JwsSegments::split(input, options.maxSize);
    if (!segments)
        return segments.error();
    Jws jws;
    jws.m_headerB64 = segments->headerB64;
    jws.m_payloadB64 = segments->payloadB64;
    jws.m_signatureB64 = segments->signatureB64;
    jws.m_header = segments->header;

    const QJsonValue alg = jws.m_header.value(QStringLiteral("alg"));
    if (alg.isUndefined())
        return Error{ErrorKind::JwsAlgMissing, JwsTr::tr("the header has no \"alg\"")};
    if (!alg.isString())
        return Error{ErrorKind::JwsAlgMissing, JwsTr::tr("the header's \"alg\" is not a string")};
    if (alg.toString().compare(QStringLiteral("none"), Qt::CaseInsensitive) == 0)
        return Error{ErrorKind::JwsAlgNone,
                     JwsTr::tr("\"alg\": \"none\" (an unsigned token) is never accepted")};
    auto parsedAlg = algorithmFromName(alg.toString());
    if (!parsedAlg)
        return Error{
            ErrorKind::JwsAlgUnsupported,
            JwsTr::tr(
                "\"alg\": \"%1\" is not supported; supported are PS256, RS256, ES256 and HS256")
                .arg(alg.toString())};
    jws.m_alg = *parsedAlg;

    if (jws.m_header.contains(QStringLiteral("crit"))) {
        // RFC 7515 4.1.11: we understand no extensions, so any listed one must be refused.
        const QJsonValue crit = jws.m_header.value(QStringLiteral("crit"));
        QStringList names;
        for (const auto& v : crit.toArray())
            names << v.toString();
        return Error{ErrorKind::JwsCritUnsupported,
                     JwsTr::tr("the header marks extensions as critical (%1); none are "
                               "supported, so the token must be rejected")
                         .arg(crit.isArray() ? names.join(QStringLiteral(", "))
                                             : JwsTr::tr("malformed \"crit\""))};
    }

    jws.m_payload = segments->payload;
    jws.m_signature = segments->signature;
    auto claims = parseJsonObject(jws.m_payload, JwsTr::tr("the payload"));
    if (claims) {
        jws.m_claims = *claims;
        jws.m_hasClaims = true;
    } else if (options.requireJsonClaims) {
        return Error{ErrorKind::JwsPayloadNotJson,
                     claims.error().message + JwsTr::tr("; JWT claims must be a JSON object")};
    }
    return jws;
}

} // namespace dcr
