#pragma once

#include "KeyMaterial.h"
#include "TokenPinState.h"
#include "common/Result.h"

#include <QByteArray>
#include <QString>

namespace dcr::tokenkeys {

// Keys and certificates named by an RFC 7512 pkcs11: URI, reached through OpenSSL's pkcs11 engine.
// configuredModule is the profile's PKCS#11 module (empty: $DCR_PKCS11_MODULE or the p11-kit
// proxy; a module-path in the URI wins). The PIN comes from the URI's pin-value, else the file its
// pin-source names, else pin (what the front end's PassphraseSource answered). An empty PIN fails
// with KeyPassphraseRequired so the caller can ask, unless this process is already logged in to the
// token (then no PIN is needed or used); a refused one with KeyWrongPassphrase; a token whose
// C_GetTokenInfo says the PIN is locked with TokenPinLocked before any login. The PIN is used for
// the login and dropped; nothing is written anywhere. How often to ask, and what to tell the user
// about the token's tries, is the caller's policy (session/KeyUnlocker).

// The private key (usable for signing and TLS, never exported), its public key and, when the
// token holds one for the same object, its certificate.
Result<KeyMaterial> loadPrivate(const QString& uri, const QByteArray& pin,
                                const QString& configuredModule);
// loadPrivate plus the checks a JWS signing key must pass (RSA >= 2048 bits or EC P-256).
Result<KeyMaterial> loadSigningKey(const QString& uri, const QByteArray& pin,
                                   const QString& configuredModule);
// The PIN state of the token the URI names, read without logging in.
Result<TokenPinState> pinState(const QString& uri, const QString& configuredModule);
// The URI brings its own PIN (pin-value or pin-source): there is nobody to ask.
bool carriesPin(const QString& uri);
// The certificate the URI names (type=cert is implied).
Result<Certificate> loadCertificate(const QString& uri, const QString& configuredModule);
// What the URI names without logging in: the public key and/or certificate.
Result<KeyMaterial> loadPublic(const QString& uri, const QString& configuredModule);

} // namespace dcr::tokenkeys
