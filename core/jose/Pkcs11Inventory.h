#pragma once

#include "Pkcs11Uri.h"
#include "common/Result.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace dcr {

// One object a token shows without logging in: a public key or a certificate (and a private key
// only where the token marks it public, which few do).
struct TokenObject {
    QString token;          // the token's label
    QString type;           // "public", "private" or "cert" (RFC 7512 type= values)
    QString label;          // CKA_LABEL
    QByteArray id;          // CKA_ID, which a key pair and its certificate share
    QByteArray certificate; // DER (CKA_VALUE), for certificates
    QString uri;            // the RFC 7512 URI that selects this object
    // The URI of the private key of the same pair: what a profile's signing or transport key is.
    QString privateKeyUri() const;
};

// The objects of every token the module offers that match the filter's token / object / id / type
// attributes. Read-only: it opens sessions and reads attributes, never logs in, signs or writes.
// The module stays loaded (and initialised) for the life of the process, as OpenSSL's pkcs11
// engine may share it.
Result<QList<TokenObject>> listTokenObjects(const QString& modulePath, const Pkcs11Uri& filter);

} // namespace dcr
