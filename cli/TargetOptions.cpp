#include "TargetOptions.h"

#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"
#include "registration/RegistrationRequest.h"

namespace dcr::cli {

void addTargetOptions(CommandLine& cmd) {
    cmd.addOption(QStringLiteral("profile"),
                  QStringLiteral("a saved profile (see 'dcrctl profile')"), QStringLiteral("NAME"));
    cmd.addOption(QStringLiteral("url"), QStringLiteral("registration endpoint URL"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("cert"),
                  QStringLiteral("transport (client) certificate: PEM, or PKCS#12 with the key"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("key"), QStringLiteral("transport private key (PEM)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("cacert"), QStringLiteral("extra trusted CA bundle for the ASPSP"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("passphrase-file"),
                  QStringLiteral("passphrase of the transport key or PKCS#12 file"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("content-type"),
                  QStringLiteral("application/jwt (default, the seed's) or application/jose"),
                  QStringLiteral("TYPE"));
    cmd.addOption(QStringLiteral("timeout"),
                  QStringLiteral("seconds before giving up (default 30)"),
                  QStringLiteral("SECONDS"));
    cmd.addOption(QStringLiteral("insecure"),
                  QStringLiteral("DANGER: do not verify the ASPSP's TLS certificate"));
}

Result<Target> resolveTarget(const CommandLine& cmd, CliIo& io) {
    Target t;
    QString certPath, keyPath, caPath;
    bool insecure = cmd.isSet(QStringLiteral("insecure"));
    int timeout = 30;
    if (cmd.isSet(QStringLiteral("profile"))) {
        auto settings = openAppSettings();
        auto profile = ProfileStore(*settings).find(cmd.value(QStringLiteral("profile")));
        if (!profile)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("no profile named \"%1\" (see 'dcrctl profile list')")
                             .arg(cmd.value(QStringLiteral("profile")))};
        t.profileName = profile->name;
        t.endpoint = profile->registrationUrl;
        t.aud = profile->aud;
        t.contentType = profile->contentType;
        certPath = profile->transportCertPath;
        keyPath = profile->transportKeyPath;
        caPath = profile->caBundlePath;
        insecure = insecure || profile->insecure;
        timeout = profile->timeoutSeconds;
        t.signingKeyPath = profile->signingKeyPath;
        t.signingKid = profile->signingKid;
    }
    if (cmd.isSet(QStringLiteral("url")))
        t.endpoint = QUrl(cmd.value(QStringLiteral("url")), QUrl::StrictMode);
    if (cmd.isSet(QStringLiteral("cert")))
        certPath = cmd.value(QStringLiteral("cert"));
    if (cmd.isSet(QStringLiteral("key")))
        keyPath = cmd.value(QStringLiteral("key"));
    if (cmd.isSet(QStringLiteral("cacert")))
        caPath = cmd.value(QStringLiteral("cacert"));
    if (cmd.isSet(QStringLiteral("content-type")))
        t.contentType = cmd.value(QStringLiteral("content-type")).toLatin1();
    if (cmd.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        timeout = cmd.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || timeout <= 0 || timeout > 600)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("--timeout must be 1-600 seconds, not '%1'")
                             .arg(cmd.value(QStringLiteral("timeout")))};
    }
    if (t.contentType != "application/jwt" && t.contentType != "application/jose")
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("--content-type must be application/jwt or application/jose")};
    if (!t.endpoint.isValid() || t.endpoint.isEmpty() || t.endpoint.host().isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("no endpoint: give --profile or --url")};
    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("passphrase-file"), io);
    if (!passphraseFile)
        return passphraseFile.error();
    const QByteArray passphrase = *passphraseFile;
    auto transport = TransportSettings::fromFiles(certPath, keyPath, passphrase, caPath);
    if (!transport)
        return transport.error();
    t.transport = *transport;
    t.transport.insecure = insecure;
    t.transport.timeoutMs = timeout * 1000;
    if (insecure)
        io.err << "WARNING: TLS certificate verification is OFF (--insecure): the ASPSP's identity "
                  "is not checked.\n";
    io.err.flush();
    return t;
}

void addRequestOptions(CommandLine& cmd) {
    cmd.addOption(QStringLiteral("token"), QStringLiteral("an already signed request JWT"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("claims"),
                  QStringLiteral("claims JSON to sign (with --signing-key)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("signing-key"),
                  QStringLiteral("request signing key (default: the profile's)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("signing-passphrase-file"),
                  QStringLiteral("passphrase of the signing key"), QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("kid"),
                  QStringLiteral("key id (default: the profile's, else the RFC 7638 thumbprint)"),
                  QStringLiteral("KID"));
    cmd.addOption(QStringLiteral("alg"), QStringLiteral("PS256 (default), ES256 or RS256"),
                  QStringLiteral("ALG"));
}

Result<SignedRequest> resolveRequest(const CommandLine& cmd, CliIo& io, const Target& target,
                                     bool required) {
    const bool hasToken = cmd.isSet(QStringLiteral("token"));
    const bool hasClaims = cmd.isSet(QStringLiteral("claims"));
    if (hasToken && hasClaims)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("give --token or --claims, not both")};
    if (!hasToken && !hasClaims) {
        if (required)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("give --token FILE or --claims FILE")};
        return SignedRequest{};
    }
    if (hasToken) {
        auto bytes = readInput(cmd.value(QStringLiteral("token")), io);
        if (!bytes)
            return bytes.error();
        auto jws = Jws::parse(*bytes);
        if (!jws)
            return jws.error();
        return SignedRequest{jws->compact(), jws->claims()};
    }
    auto claimsBytes = readInput(cmd.value(QStringLiteral("claims")), io);
    if (!claimsBytes)
        return claimsBytes.error();
    auto request = RegistrationRequest::fromJsonBytes(*claimsBytes);
    if (!request)
        return request.error();
    const QString keyPath = cmd.isSet(QStringLiteral("signing-key"))
                                ? cmd.value(QStringLiteral("signing-key"))
                                : target.signingKeyPath;
    if (keyPath.isEmpty())
        return Error{
            ErrorKind::InputUnreadable,
            QStringLiteral("--claims needs --signing-key (or a profile with a signing key)")};
    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("signing-passphrase-file"), io);
    if (!passphraseFile)
        return passphraseFile.error();
    const QByteArray passphrase = *passphraseFile;
    auto keyBytes = readInput(keyPath, io);
    if (!keyBytes)
        return keyBytes.error();
    auto material = keyloader::loadSigningKey(*keyBytes, passphrase);
    if (!material)
        return Error{material.error().kind,
                     QStringLiteral("signing key %1: %2").arg(keyPath, material.error().message)};
    JwsAlgorithm alg =
        material->privateKey.type() == KeyType::EcP256 ? JwsAlgorithm::ES256 : JwsAlgorithm::PS256;
    if (cmd.isSet(QStringLiteral("alg"))) {
        auto parsed = algorithmFromName(cmd.value(QStringLiteral("alg")));
        if (!parsed || *parsed == JwsAlgorithm::HS256)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("--alg must be PS256, ES256 or RS256")};
        alg = *parsed;
    }
    RegistrationRequest claims = *request;
    if (!claims.has(QStringLiteral("aud")) && !target.aud.isEmpty())
        claims.setString(QStringLiteral("aud"), target.aud);
    claims.fillTimesAndJti(QDateTime::currentDateTimeUtc());
    QString kid =
        cmd.isSet(QStringLiteral("kid")) ? cmd.value(QStringLiteral("kid")) : target.signingKid;
    if (kid.isEmpty())
        kid = jwk::thumbprint(material->privateKey);
    auto jwt = claims.sign(material->privateKey, {alg, kid, {}});
    if (!jwt)
        return jwt.error();
    return SignedRequest{*jwt, claims.claims()};
}

} // namespace dcr::cli
