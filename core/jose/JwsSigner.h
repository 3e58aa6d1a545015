#pragma once

#include "JwsAlgorithm.h"
#include "Key.h"
#include "common/Result.h"

#include <QJsonObject>

namespace dcr {

struct JwsSigningOptions {
    JwsAlgorithm alg = JwsAlgorithm::PS256;
    QString kid; // empty: no kid header
    QString typ; // empty: no typ header
};

class JwsSigner {
public:
    // Builds {"alg","kid","typ"} (sorted, compact) and signs the payload bytes as given.
    static Result<QByteArray> sign(const QByteArray& payload, const Key& key,
                                   const JwsSigningOptions& options);
    static Result<QByteArray> signClaims(const QJsonObject& claims, const Key& key,
                                         const JwsSigningOptions& options);
    // Signs exactly the given header JSON bytes (needed to reproduce published vectors).
    static Result<QByteArray> signWithHeader(const QByteArray& headerJson,
                                             const QByteArray& payload, const Key& key,
                                             JwsAlgorithm alg);
    // HS256 with a shared secret of at least 32 bytes (RFC 7518 3.2).
    static Result<QByteArray> signHmac(const QByteArray& payload, const QByteArray& secret,
                                       const QString& kid = {});

    // How many private-key signatures this process has made: a statistic that lets tests prove
    // a request is signed exactly once per send.
    static quint64 signaturesMade();

    // The raw signature primitive shared with the verifier and benchmarks.
    static Result<QByteArray> rawSignature(JwsAlgorithm alg, const Key& key,
                                           const QByteArray& input);
};

} // namespace dcr
