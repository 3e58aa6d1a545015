#pragma once

#include "ClientAuthMethod.h"
#include "LifecycleAuth.h"
#include "common/Result.h"
#include "registration/RequestBodyFormat.h"
#include "registration/SandboxMode.h"
#include "registration/SpecVersion.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>

#include <memory>
#include <optional>

#include <QSettings>

namespace dcr {

// One bank environment. Holds paths and choices only: never a key, passphrase or token.
struct Profile {
    QString name;
    QUrl registrationUrl;
    QUrl discoveryUrl;
    QString aud;
    QByteArray contentType = "application/jwt"; // or application/jose; application/json for json
    // "jwt" (a signed request JWT, the seed's and OBIE's) or "json" (RFC 7591 §3.1 metadata as a
    // JSON object: nothing is signed).
    RequestBodyFormat bodyFormat = RequestBodyFormat::Jwt;
    // The ecosystem preset the profile was made from (EcosystemPreset id), empty: none. Preflight
    // adds the claims that ecosystem requires.
    QString preset;
    QString transportCertPath;
    QString transportKeyPath;
    QString caBundlePath;
    QString signingKeyPath;
    QString signingKid; // empty: the key's RFC 7638 thumbprint
    // The PKCS#11 module for keys given as pkcs11: URIs; empty: $DCR_PKCS11_MODULE or the p11-kit
    // proxy. A key path may be a pkcs11: URI; its pin-value is never saved.
    QString pkcs11Module;
    // The contract preflight checks against (specVersionName: seed, obie-3.1, ...; profiles
    // written before spec names existed hold a bare "3.1", read as obie-3.1).
    SpecVersion specVersion = SpecVersion::Obie31;
    QString directoryIssuer; // the SSA issuer of this environment; empty: "OpenBanking Ltd"
    bool insecure = false;
    // Seconds a request may take, MinTimeoutSeconds..MaxTimeoutSeconds; a settings file that holds
    // anything else (1e300, 1.5, "x") reads as -1, which the session refuses to send with.
    int timeoutSeconds = 30;
    static constexpr int MinTimeoutSeconds = 1;
    static constexpr int MaxTimeoutSeconds = 600;
    bool embeddedSandbox = false;                // served in-process by the console
    SandboxMode sandboxMode = SandboxMode::Seed; // embedded sandbox: "seed" or "obie"
    // How GET/PUT/DELETE of a registered client are authorised: "obie" (a client_credentials
    // access token from the token endpoint, OBIE DCR 3.3) or "rfc7592" (the
    // registration_access_token the ASPSP returned).
    LifecycleAuth lifecycleAuth = LifecycleAuth::Obie;
    QUrl tokenEndpoint; // empty: from discovery
    ClientAuthMethod tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt;
    QString tokenScope; // empty: none asked
    // Origins ("https://host[:port]") other than the registration endpoint's that a bearer token
    // may be sent to (TokenOrigin.h): a bank whose client configuration URLs live on another host.
    QStringList tokenOrigins;
    // What fromJson could not read (an unknown name, a flag that is not true or false), one
    // sentence per field: which field, what it held, what is allowed and how to fix it. Such a
    // field keeps its default above, and readable() refuses the profile, so a typo in a settings
    // file is an error naming it, never a send under another contract or format. Not saved:
    // toJson writes the fields.
    QStringList unreadable;

    // Whether the profile's contract is a FAPI one (#21.17): the UK OBIE DCR specs (obie-3.x,
    // also under the uk-obie and open-finance-brasil presets) build on FAPI 1.0 Advanced; the
    // seed API and generic RFC 7591 (rfc7591 preset, spec "seed") do not. Its TLS 1.2 suites
    // are then restricted to FAPI 1.0 Advanced §8.5's four.
    bool usesFapi() const;

    // Fails with every sentence of `unreadable` when fromJson could not read a field; the session
    // sends nothing with such a profile.
    Status readable() const;

    QJsonObject toJson() const;
    // Never fails, so that a profile with a wrong field still lists, opens and can be fixed or
    // removed; what it could not read is in `unreadable`.
    static Profile fromJson(const QJsonObject& o);
};

// Profiles persisted with QSettings (one group per profile).
class ProfileStore {
public:
    explicit ProfileStore(QSettings& settings)
        : m_settings(settings) {}

    QList<Profile> all() const;
    std::optional<Profile> find(const QString& name) const;
    // Refuses a name with a control character (a line feed or ESC would break every list that
    // shows it); the error says which character and where.
    Status save(const Profile& profile);
    void remove(const QString& name);

private:
    QList<QJsonObject> stored() const; // each profile's JSON as the settings hold it
    void writeAll(const QList<QJsonObject>& profiles);
    QSettings& m_settings;
};

} // namespace dcr
