#pragma once

#include <QString>

namespace dcr {

// Every failure the core reports carries one of these kinds, so callers (and tests) can branch on
// the kind while users read the message.
enum class ErrorKind {
    // input
    InputEmpty,
    InputTooLarge,
    InputUnreadable,
    JsonInvalid,
    // base64url and JWS structure
    Base64Invalid,
    JwsMalformed,
    JwsSegmentEncoding,
    JwsHeaderNotObject,
    JwsAlgMissing,
    JwsAlgUnsupported,
    JwsAlgNone,
    JwsCritUnsupported,
    JwsPayloadNotJson,
    JwsTooLarge,
    // keys and certificates
    KeyPassphraseRequired,
    KeyWrongPassphrase,
    KeyWrongFileType,
    KeyTruncated,
    KeyUnsupportedType,
    KeyTooWeak,
    KeyMalformed,
    KeyMismatch,
    CertificateInvalid,
    JwkInvalid,
    JwksInvalid,
    JwksKidNotFound,
    JwksAmbiguous,
    // signatures
    SignatureInvalid,
    PssSaltLength,
    AlgorithmNotAllowed,
    AlgorithmKeyMismatch,
    CryptoFailure,
    // registration domain
    ClaimInvalid,
    // transport
    NetworkDns,
    NetworkConnectionRefused,
    NetworkTls,
    NetworkTimeout,
    NetworkReset,
    NetworkOversize,
    NetworkCancelled,
    NetworkOther,
    // storage
    StorageUnavailable,
    StorageCorrupt,
    StorageLocked,
    StorageNotFound,
};

QString errorKindName(ErrorKind kind);

struct Error {
    ErrorKind kind;
    QString message;

    QString toString() const { return errorKindName(kind) + QStringLiteral(": ") + message; }
};

} // namespace dcr
