#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "TargetOptions.h"
#include "jose/KeyMaterial.h"
#include "registration/RegistrationRequest.h"
#include "session/Session.h"

namespace dcr::cli {

namespace {

// --key through the session's signing setup: a key file or a pkcs11: URI, its passphrase or PIN
// from --passphrase-file asked for as the session asks (KeyUnlocker: a token is logged in to at
// most once, locked tokens and final tries are caught before any login), and the session's
// default algorithm (ES256 for an EC key, else PS256) unless --alg names one. The session is not
// opened: signing touches neither the settings nor the history. Standard input (--key -) is read
// here and gets the same defaults.
Result<SigningSetup> signingSetupOption(const QString& value, const QByteArray& passphrase,
                                        bool allowFinalTry, std::optional<JwsAlgorithm> alg,
                                        const QString& kid, CliIo& io) {
    if (value == QStringLiteral("-")) {
        auto keyBytes = readInput(value, io);
        if (!keyBytes)
            return keyBytes.error();
        auto material = keyloader::loadSigningKey(*keyBytes, passphrase);
        if (!material)
            return material.error();
        return signingSetupFor(material->privateKey, alg, kid, QStringLiteral("standard input"));
    }
    FilePassphrases passphrases;
    if (!passphrase.isEmpty())
        passphrases.signing = passphrase;
    passphrases.allowFinalTry = allowFinalTry;
    passphrases.notices = &io.err;
    Session session(AppPaths::defaults());
    session.setPassphraseSource(&passphrases);
    Profile key;
    key.signingKeyPath = value;
    key.signingKid = kid;
    return session.signingSetup(key, alg);
}

} // namespace

int signCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(QStringLiteral("sign"),
                    QStringLiteral("Signs registration claims into a compact JWT. iat, exp (iat + "
                                   "300 s) and jti are filled in when absent."));
    cmd.addOption(QStringLiteral("claims"),
                  QStringLiteral("JSON claims file, or - for standard input"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("key"),
                  QStringLiteral("private key: PEM, DER, PKCS#12 or JWK file, or a pkcs11: URI "
                                 "(module: $DCR_PKCS11_MODULE, default the p11-kit proxy)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("passphrase-file"),
                  QStringLiteral("file holding the key's passphrase (or the token PIN)"),
                  QStringLiteral("FILE"));
    addPinFinalTryOption(cmd);
    cmd.addOption(
        QStringLiteral("alg"),
        QStringLiteral("PS256, RS256 or ES256 (default: ES256 for an EC key, else PS256)"),
        QStringLiteral("ALG"));
    cmd.addOption(QStringLiteral("kid"),
                  QStringLiteral("key id (default: the RFC 7638 thumbprint)"),
                  QStringLiteral("KID"));
    cmd.addOption(QStringLiteral("typ"), QStringLiteral("typ header (e.g. JWT)"),
                  QStringLiteral("TYP"));
    if (auto stop = cmd.parse(args, io, 0, 0))
        return *stop;
    if (!cmd.isSet(QStringLiteral("claims")) || !cmd.isSet(QStringLiteral("key")))
        return io.fail(
            ExitUsage,
            QStringLiteral("sign: --claims and --key are required (see 'dcrctl sign --help')"));

    auto passphraseFile = optionalSecretFile(cmd, QStringLiteral("passphrase-file"), io);
    if (!passphraseFile)
        return io.fail(ExitUsage, passphraseFile.error().toString());
    const QByteArray passphrase = *passphraseFile;
    auto alg = algOption(cmd);
    if (!alg)
        return io.fail(ExitUsage, QStringLiteral("sign: ") + alg.error().message);
    auto claimsBytes = readInput(cmd.value(QStringLiteral("claims")), io);
    if (!claimsBytes)
        return io.fail(ExitUsage, claimsBytes.error().toString());
    auto request = RegistrationRequest::fromJsonBytes(*claimsBytes);
    if (!request)
        return io.fail(ExitUsage, request.error().toString());
    if (auto times = request->checkTimeClaims(); !times)
        return io.fail(ExitUsage, times.error().toString());
    auto signing = signingSetupOption(cmd.value(QStringLiteral("key")), passphrase,
                                      cmd.isSet(QStringLiteral("pin-final-try")), *alg,
                                      cmd.value(QStringLiteral("kid")), io);
    if (!signing)
        return io.fail(ExitUsage, signing.error().toString());

    RegistrationRequest claims = *request;
    claims.fillTimesAndJti(QDateTime::currentDateTimeUtc());
    auto jwt =
        claims.sign(signing->key, {signing->alg, signing->kid, cmd.value(QStringLiteral("typ"))});
    if (!jwt)
        return io.fail(ExitUsage, jwt.error().toString());
    io.out << QString::fromLatin1(*jwt) << '\n';
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
