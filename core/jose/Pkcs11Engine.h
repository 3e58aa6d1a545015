#pragma once

#include "Certificate.h"
#include "Key.h"
#include "Pkcs11Uri.h"
#include "common/Result.h"

#include <QString>

#include <memory>
#include <mutex>

struct engine_st;

namespace dcr {

// OpenSSL's "pkcs11" engine (Debian's libengine-pkcs11-openssl, built on libp11) bound to one
// PKCS#11 module. It hands out EVP_PKEYs whose private operations run inside the token, so keys
// never leave it and no PKCS#11 signing is written here. One engine lives for the whole process:
// libp11 keeps the module's session and login in the engine, keys it handed out stop working when
// the engine is finished, and its engine cannot be bound twice in one process, so the first module
// used is the process's module (the default p11-kit proxy reaches every token p11-kit knows).
class Pkcs11Engine {
public:
    // The module for a URI: its module-path attribute, else the profile's setting, else
    // $DCR_PKCS11_MODULE, else the p11-kit proxy (which reaches every module p11-kit knows).
    static QString modulePathFor(const Pkcs11Uri& uri, const QString& configured);
    static QString defaultModulePath();

    static Result<std::shared_ptr<Pkcs11Engine>> forModule(const QString& modulePath);

    ~Pkcs11Engine();
    Pkcs11Engine(const Pkcs11Engine&) = delete;
    Pkcs11Engine& operator=(const Pkcs11Engine&) = delete;

    QString modulePath() const { return m_modulePath; }

    // The private key the URI names, logged in with pin (used for this login only; the engine's
    // copy is cleared right after).
    Result<Key> privateKey(const Pkcs11Uri& uri, const QByteArray& pin);
    Result<Key> publicKey(const Pkcs11Uri& uri);
    Result<Certificate> certificate(const Pkcs11Uri& uri);

private:
    Pkcs11Engine(engine_st* engine, const QString& modulePath);
    Error failure(const Pkcs11Uri& uri, const QString& what) const;

    engine_st* m_engine = nullptr; // owns one structural and one functional reference
    QString m_modulePath;
    std::mutex m_mutex; // the engine's PIN is per engine: one login at a time
    std::weak_ptr<Pkcs11Engine> m_self;
};

} // namespace dcr
