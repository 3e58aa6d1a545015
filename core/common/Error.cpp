#include "Error.h"

namespace dcr {

QString errorKindName(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InputEmpty:
        return QStringLiteral("InputEmpty");
    case ErrorKind::InputTooLarge:
        return QStringLiteral("InputTooLarge");
    case ErrorKind::InputUnreadable:
        return QStringLiteral("InputUnreadable");
    case ErrorKind::JsonInvalid:
        return QStringLiteral("JsonInvalid");
    case ErrorKind::Base64Invalid:
        return QStringLiteral("Base64Invalid");
    case ErrorKind::JwsMalformed:
        return QStringLiteral("JwsMalformed");
    case ErrorKind::JwsSegmentEncoding:
        return QStringLiteral("JwsSegmentEncoding");
    case ErrorKind::JwsHeaderNotObject:
        return QStringLiteral("JwsHeaderNotObject");
    case ErrorKind::JwsAlgMissing:
        return QStringLiteral("JwsAlgMissing");
    case ErrorKind::JwsAlgUnsupported:
        return QStringLiteral("JwsAlgUnsupported");
    case ErrorKind::JwsAlgNone:
        return QStringLiteral("JwsAlgNone");
    case ErrorKind::JwsCritUnsupported:
        return QStringLiteral("JwsCritUnsupported");
    case ErrorKind::JwsPayloadNotJson:
        return QStringLiteral("JwsPayloadNotJson");
    case ErrorKind::JwsTooLarge:
        return QStringLiteral("JwsTooLarge");
    case ErrorKind::KeyPassphraseRequired:
        return QStringLiteral("KeyPassphraseRequired");
    case ErrorKind::KeyWrongPassphrase:
        return QStringLiteral("KeyWrongPassphrase");
    case ErrorKind::KeyWrongFileType:
        return QStringLiteral("KeyWrongFileType");
    case ErrorKind::KeyTruncated:
        return QStringLiteral("KeyTruncated");
    case ErrorKind::KeyUnsupportedType:
        return QStringLiteral("KeyUnsupportedType");
    case ErrorKind::KeyTooWeak:
        return QStringLiteral("KeyTooWeak");
    case ErrorKind::KeyMalformed:
        return QStringLiteral("KeyMalformed");
    case ErrorKind::KeyMismatch:
        return QStringLiteral("KeyMismatch");
    case ErrorKind::CertificateInvalid:
        return QStringLiteral("CertificateInvalid");
    case ErrorKind::JwkInvalid:
        return QStringLiteral("JwkInvalid");
    case ErrorKind::JwksInvalid:
        return QStringLiteral("JwksInvalid");
    case ErrorKind::JwksKidNotFound:
        return QStringLiteral("JwksKidNotFound");
    case ErrorKind::JwksAmbiguous:
        return QStringLiteral("JwksAmbiguous");
    case ErrorKind::SignatureInvalid:
        return QStringLiteral("SignatureInvalid");
    case ErrorKind::PssSaltLength:
        return QStringLiteral("PssSaltLength");
    case ErrorKind::AlgorithmNotAllowed:
        return QStringLiteral("AlgorithmNotAllowed");
    case ErrorKind::AlgorithmKeyMismatch:
        return QStringLiteral("AlgorithmKeyMismatch");
    case ErrorKind::CryptoFailure:
        return QStringLiteral("CryptoFailure");
    case ErrorKind::ClaimInvalid:
        return QStringLiteral("ClaimInvalid");
    case ErrorKind::NetworkDns:
        return QStringLiteral("NetworkDns");
    case ErrorKind::NetworkConnectionRefused:
        return QStringLiteral("NetworkConnectionRefused");
    case ErrorKind::NetworkTls:
        return QStringLiteral("NetworkTls");
    case ErrorKind::NetworkTimeout:
        return QStringLiteral("NetworkTimeout");
    case ErrorKind::NetworkReset:
        return QStringLiteral("NetworkReset");
    case ErrorKind::NetworkOversize:
        return QStringLiteral("NetworkOversize");
    case ErrorKind::NetworkCancelled:
        return QStringLiteral("NetworkCancelled");
    case ErrorKind::NetworkOther:
        return QStringLiteral("NetworkOther");
    case ErrorKind::StorageUnavailable:
        return QStringLiteral("StorageUnavailable");
    case ErrorKind::StorageCorrupt:
        return QStringLiteral("StorageCorrupt");
    case ErrorKind::StorageLocked:
        return QStringLiteral("StorageLocked");
    case ErrorKind::StorageNotFound:
        return QStringLiteral("StorageNotFound");
    case ErrorKind::SessionBusy:
        return QStringLiteral("SessionBusy");
    case ErrorKind::SessionNoSigningKey:
        return QStringLiteral("SessionNoSigningKey");
    case ErrorKind::SessionNotReady:
        return QStringLiteral("SessionNotReady");
    case ErrorKind::SessionUnknownProfile:
        return QStringLiteral("SessionUnknownProfile");
    }
    return QStringLiteral("Unknown");
}

ErrorDomain errorDomain(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::InputEmpty:
    case ErrorKind::InputTooLarge:
    case ErrorKind::InputUnreadable:
    case ErrorKind::JsonInvalid:
        return ErrorDomain::Input;
    case ErrorKind::Base64Invalid:
    case ErrorKind::JwsMalformed:
    case ErrorKind::JwsSegmentEncoding:
    case ErrorKind::JwsHeaderNotObject:
    case ErrorKind::JwsAlgMissing:
    case ErrorKind::JwsAlgUnsupported:
    case ErrorKind::JwsAlgNone:
    case ErrorKind::JwsCritUnsupported:
    case ErrorKind::JwsPayloadNotJson:
    case ErrorKind::JwsTooLarge:
        return ErrorDomain::Jose;
    case ErrorKind::KeyPassphraseRequired:
    case ErrorKind::KeyWrongPassphrase:
    case ErrorKind::KeyWrongFileType:
    case ErrorKind::KeyTruncated:
    case ErrorKind::KeyUnsupportedType:
    case ErrorKind::KeyTooWeak:
    case ErrorKind::KeyMalformed:
    case ErrorKind::KeyMismatch:
    case ErrorKind::CertificateInvalid:
    case ErrorKind::JwkInvalid:
    case ErrorKind::JwksInvalid:
    case ErrorKind::JwksKidNotFound:
    case ErrorKind::JwksAmbiguous:
        return ErrorDomain::Key;
    case ErrorKind::SignatureInvalid:
    case ErrorKind::PssSaltLength:
    case ErrorKind::AlgorithmNotAllowed:
    case ErrorKind::AlgorithmKeyMismatch:
    case ErrorKind::CryptoFailure:
        return ErrorDomain::Signature;
    case ErrorKind::ClaimInvalid:
        return ErrorDomain::Registration;
    case ErrorKind::NetworkDns:
    case ErrorKind::NetworkConnectionRefused:
    case ErrorKind::NetworkTls:
    case ErrorKind::NetworkTimeout:
    case ErrorKind::NetworkReset:
    case ErrorKind::NetworkOversize:
    case ErrorKind::NetworkCancelled:
    case ErrorKind::NetworkOther:
        return ErrorDomain::Transport;
    case ErrorKind::StorageUnavailable:
    case ErrorKind::StorageCorrupt:
    case ErrorKind::StorageLocked:
    case ErrorKind::StorageNotFound:
        return ErrorDomain::Storage;
    case ErrorKind::SessionBusy:
    case ErrorKind::SessionNoSigningKey:
    case ErrorKind::SessionNotReady:
    case ErrorKind::SessionUnknownProfile:
        return ErrorDomain::Session;
    }
    return ErrorDomain::Input;
}

QString errorDomainName(ErrorDomain domain) {
    switch (domain) {
    case ErrorDomain::Input:
        return QStringLiteral("input");
    case ErrorDomain::Jose:
        return QStringLiteral("jose");
    case ErrorDomain::Key:
        return QStringLiteral("key");
    case ErrorDomain::Signature:
        return QStringLiteral("signature");
    case ErrorDomain::Registration:
        return QStringLiteral("registration");
    case ErrorDomain::Transport:
        return QStringLiteral("transport");
    case ErrorDomain::Storage:
        return QStringLiteral("storage");
    case ErrorDomain::Session:
        return QStringLiteral("session");
    }
    return QStringLiteral("input");
}

} // namespace dcr
