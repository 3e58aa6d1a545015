#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "jose/Jwk.h"
#include "jose/KeyMaterial.h"
#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"
#include "registration/RegistrationRequest.h"
#include "session/KeyUnlocker.h"

namespace dcr::cli {

namespace {

// --key: a key file (or - for standard input), or a pkcs11: URI whose PIN is the passphrase file's
// content or the URI's pin-value. A token is logged in to at most once, as the session does it
// (KeyUnlocker: locked tokens and final tries are caught before any login).
Result<KeyMaterial> loadSigningKeyOption(const QString& value, const QByteArray& passphrase,
                                         bool allowFinalTry, CliIo& io) {
    if (Pkcs11Uri::looksLike(value)) {
        FilePassphrases pins;
        if (!passphrase.isEmpty())
            pins.signing = passphrase;
        pins.allowFinalTry = allowFinalTry;
        pins.notices = &io.err;
        Result<KeyMaterial> material =
            Error{ErrorKind::KeyPassphraseRequired, QStringLiteral("no PIN was given")};
        const auto load = [&](const QByteArray& pin) -> Status {
            material = tokenkeys::loadSigningKey(value, pin, {});
            return material ? Status() : Status(material.error());
        };
        PassphrasePrompt prompt;
        prompt.what = QStringLiteral("the token PIN for the key %1").arg(withoutPinValue(value));
        prompt.path = withoutPinValue(value);
        prompt.tokenPin = true;
        const Status unlocked =
            KeyUnlocker(&pins, QStringLiteral("key")).unlockToken(prompt, value, {}, load);
        if (!unlocked)
            return unlocked.error();
        return material;
    }
    auto keyBytes = readInput(value, io);
    if (!keyBytes)
        return keyBytes.error();
    return keyloader::loadSigningKey(*keyBytes, passphrase);
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
    cmd.addOption(QStringLiteral("alg"), QStringLiteral("PS256 (default), RS256 or ES256"),
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
    JwsAlgorithm alg = JwsAlgorithm::PS256;
    if (cmd.isSet(QStringLiteral("alg"))) {
        auto parsed = algorithmFromName(cmd.value(QStringLiteral("alg")));
        if (!parsed || *parsed == JwsAlgorithm::HS256)
            return io.fail(ExitUsage,
                           QStringLiteral("sign: --alg must be PS256, RS256 or ES256, not '%1'")
                               .arg(cmd.value(QStringLiteral("alg"))));
        alg = *parsed;
    }
    auto claimsBytes = readInput(cmd.value(QStringLiteral("claims")), io);
    if (!claimsBytes)
        return io.fail(ExitUsage, claimsBytes.error().toString());
    auto request = RegistrationRequest::fromJsonBytes(*claimsBytes);
    if (!request)
        return io.fail(ExitUsage, request.error().toString());
    if (auto times = request->checkTimeClaims(); !times)
        return io.fail(ExitUsage, times.error().toString());
    auto material = loadSigningKeyOption(cmd.value(QStringLiteral("key")), passphrase,
                                         cmd.isSet(QStringLiteral("pin-final-try")), io);
    if (!material)
        return io.fail(ExitUsage, material.error().toString());

    RegistrationRequest claims = *request;
    claims.fillTimesAndJti(QDateTime::currentDateTimeUtc());
    const QString kid = cmd.isSet(QStringLiteral("kid")) ? cmd.value(QStringLiteral("kid"))
                                                         : jwk::thumbprint(material->privateKey);
    auto jwt = claims.sign(material->privateKey, {alg, kid, cmd.value(QStringLiteral("typ"))});
    if (!jwt)
        return io.fail(ExitUsage, jwt.error().toString());
    io.out << QString::fromLatin1(*jwt) << '\n';
    io.out.flush();
    return ExitOk;
}

} // namespace dcr::cli
