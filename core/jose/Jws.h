#pragma once

#include "JwsAlgorithm.h"
#include "common/Result.h"

#include <QByteArray>
#include <QJsonObject>

namespace dcr {

struct JwsParseOptions {
    // JWTs (requests, SSAs) must carry a JSON object payload.
    bool requireJsonClaims = true;
    qsizetype maxSize = 1024 * 1024;
};

// The three segments of a compact JWS, decoded, and its header read as a JSON object: what
// Jws::parse checks further (alg, crit, the payload). Enough to look inside a JWS that is not
// trusted (to classify or mask a response body) without accepting its algorithm.
struct JwsSegments {
    QJsonObject header;
    QByteArray payload;
    QByteArray signature;
    QByteArray headerB64, payloadB64, signatureB64;

    // Fails on a size over maxSize, an empty input, a segment count other than 3, a segment that
    // is not base64url or a header that is not a JSON object; the input is trimmed first.
    static Result<JwsSegments> split(const QByteArray& compact, qsizetype maxSize);
};

// A parsed JWS in compact serialization. Keeps the original segments, because the signature
// covers the exact bytes that were sent, not a re-encoding.
class Jws {
public:
    static Result<Jws> parse(const QByteArray& compact, const JwsParseOptions& options = {});

    const QJsonObject& header() const { return m_header; }
    JwsAlgorithm algorithm() const { return m_alg; }
    QString kid() const { return m_header.value(QStringLiteral("kid")).toString(); }
    const QByteArray& payload() const { return m_payload; }
    // Empty when the payload is not a JSON object.
    const QJsonObject& claims() const { return m_claims; }
    bool hasJsonClaims() const { return m_hasClaims; }
    const QByteArray& signature() const { return m_signature; }
    QByteArray signingInput() const { return m_headerB64 + '.' + m_payloadB64; }
    QByteArray compact() const { return signingInput() + '.' + m_signatureB64; }

private:
    QJsonObject m_header;
    QJsonObject m_claims;
    bool m_hasClaims = false;
    JwsAlgorithm m_alg = JwsAlgorithm::PS256;
    QByteArray m_payload;
    QByteArray m_signature;
    QByteArray m_headerB64, m_payloadB64, m_signatureB64;
};

// Parses bytes as a JSON object with a readable error (offset and reason).
Result<QJsonObject> parseJsonObject(const QByteArray& bytes, const QString& what);

} // namespace dcr
