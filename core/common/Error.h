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
    // hardware tokens (PKCS#11)
    TokenModuleMissing,  // the PKCS#11 module cannot be found or loaded
    TokenPinLocked,      // CKR_PIN_LOCKED: too many wrong PINs
    TokenPinFinalTry,    // one more wrong PIN locks the token, and nobody chose to use that try
    TokenObjectNotFound, // no key or certificate matches the pkcs11: URI
    TokenUriInvalid,     // not a valid RFC 7512 pkcs11: URI
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
    // The server refused our TLS client identity: an alert naming the certificate, or a close
    // before any answer once the handshake seemed done (TLS 1.3 checks it after the client's
    // Finished). A negative test plan scenario expects exactly this.
    NetworkTlsRefused,
    NetworkTimeout,
    NetworkReset,
    NetworkOversize,
    NetworkCancelled,
    // Not sent: a bearer token would have gone to an origin it may not go to, or over plain HTTP
    // (TokenOrigin.h). Recorded like a transport failure, as nothing left.
    NetworkOriginRefused,
    NetworkOther,
    // storage
    StorageUnavailable,
    StorageCorrupt,
    StorageLocked,
    StorageNotFound,
    // a shared history's server answered and refused the login (password, pg_hba, database)
    StorageLoginRefused,
    // session: the state of the one path from form to wire
    SessionBusy,         // a request is already in flight
    SessionNoSigningKey, // nothing to sign with
    SessionNotReady,     // e.g. the embedded sandbox has not started yet
    SessionUnknownProfile,
    SessionTokenRefused, // the ASPSP's token endpoint said no: a negative answer, not bad input
};

QString errorKindName(ErrorKind kind);

// The kinds grouped by the layer that reports them, so callers can branch on "a storage problem"
// without listing every storage kind (and a session state is never mistaken for a network error).
enum class ErrorDomain { Input, Jose, Key, Signature, Registration, Transport, Storage, Session };
ErrorDomain errorDomain(ErrorKind kind);
QString errorDomainName(ErrorDomain domain);

struct Error {
    ErrorKind kind;
    QString message;

    QString toString() const { return errorKindName(kind) + QStringLiteral(": ") + message; }
};

} // namespace dcr
