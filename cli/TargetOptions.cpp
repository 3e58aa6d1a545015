#include "TargetOptions.h"

#include "jose/Jws.h"
#include "transport/EndpointUrl.h"

namespace dcr::cli {

void addTargetOptions(CommandLine& cmd) {
    cmd.addOption(QStringLiteral("profile"),
                  QStringLiteral("a saved profile (see 'dcrctl profile')"), QStringLiteral("NAME"));
    cmd.addOption(QStringLiteral("url"), QStringLiteral("registration endpoint URL"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("cert"),
                  QStringLiteral("transport (client) certificate: PEM, or PKCS#12 with the key"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("key"),
                  QStringLiteral("transport private key (PEM), or a pkcs11: URI: the key stays in "
                                 "the token (PIN: --passphrase-file or the URI's pin-value)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("pkcs11-module"),
                  QStringLiteral("PKCS#11 module for pkcs11: keys (default: $DCR_PKCS11_MODULE, "
                                 "else the p11-kit proxy)"),
                  QStringLiteral("SO"));
    cmd.addOption(QStringLiteral("cacert"), QStringLiteral("extra trusted CA bundle for the ASPSP"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("passphrase-file"),
                  QStringLiteral("passphrase of the transport key or PKCS#12 file"),
                  QStringLiteral("FILE"));
    addPinFinalTryOption(cmd);
    cmd.addOption(QStringLiteral("content-type"),
                  QStringLiteral("application/jwt (default, the seed's) or application/jose; "
                                 "application/json with --body json"),
                  QStringLiteral("TYPE"));
    cmd.addOption(QStringLiteral("timeout"),
                  QStringLiteral("seconds before giving up (default 30)"),
                  QStringLiteral("SECONDS"));
    cmd.addOption(QStringLiteral("insecure"),
                  QStringLiteral("DANGER: do not verify the ASPSP's TLS certificate"));
}

Result<Profile> resolveProfile(const CommandLine& cmd, CliIo& io, const Session& session) {
    Profile p;
    if (cmd.isSet(QStringLiteral("profile"))) {
        auto saved = session.profile(cmd.value(QStringLiteral("profile")));
        if (!saved)
            return Error{ErrorKind::SessionUnknownProfile,
                         QStringLiteral("no profile named \"%1\" (see 'dcrctl profile list')")
                             .arg(cmd.value(QStringLiteral("profile")))};
        p = *saved;
    }
    if (cmd.isSet(QStringLiteral("url"))) {
        auto url = parseEndpointUrl(cmd.value(QStringLiteral("url")), QStringLiteral("--url"));
        if (!url)
            return url.error();
        p.registrationUrl = *url;
        p.embeddedSandbox = false; // an explicit URL wins over the in-process sandbox
    }
    const std::pair<const char*, QString*> files[] = {{"cert", &p.transportCertPath},
                                                      {"key", &p.transportKeyPath},
                                                      {"cacert", &p.caBundlePath},
                                                      {"pkcs11-module", &p.pkcs11Module}};
    for (const auto& [option, field] : files)
        if (cmd.isSet(QString::fromLatin1(option)))
            *field = cmd.value(QString::fromLatin1(option));
    if (cmd.defines(QStringLiteral("body")) && cmd.isSet(QStringLiteral("body"))) {
        const auto format = requestBodyFormatFromName(cmd.value(QStringLiteral("body")));
        if (!format)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("--body must be jwt or json, not '%1'")
                             .arg(cmd.value(QStringLiteral("body")))};
        p.bodyFormat = *format;
        // The profile's Content-Type belongs to its own format; switching the format switches it
        // too, unless --content-type says otherwise.
        if (!contentTypeFits(*format, p.contentType))
            p.contentType = defaultContentType(*format);
    }
    if (cmd.isSet(QStringLiteral("content-type")))
        p.contentType = cmd.value(QStringLiteral("content-type")).toLatin1();
    if (cmd.isSet(QStringLiteral("timeout"))) {
        bool ok = false;
        p.timeoutSeconds = cmd.value(QStringLiteral("timeout")).toInt(&ok);
        if (!ok || p.timeoutSeconds <= 0 || p.timeoutSeconds > 600)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("--timeout must be 1-600 seconds, not '%1'")
                             .arg(cmd.value(QStringLiteral("timeout")))};
    }
    p.insecure = p.insecure || cmd.isSet(QStringLiteral("insecure"));
    if (cmd.defines(QStringLiteral("signing-key")) && cmd.isSet(QStringLiteral("signing-key")))
        p.signingKeyPath = cmd.value(QStringLiteral("signing-key"));
    if (cmd.defines(QStringLiteral("kid")) && cmd.isSet(QStringLiteral("kid")))
        p.signingKid = cmd.value(QStringLiteral("kid"));
    // The session's checks of a target (format, Content-Type, endpoint), before any key is read.
    if (auto usable = Session::checkTarget(p); !usable)
        return usable.error();
    if (p.insecure) {
        io.err << "WARNING: TLS certificate verification is OFF: the ASPSP's identity is not "
                  "checked.\n";
        io.err.flush();
    }
    return p;
}

void addSigningOptions(CommandLine& cmd, const QString& keyHelp) {
    cmd.addOption(QStringLiteral("signing-key"), keyHelp, QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("signing-passphrase-file"),
                  QStringLiteral("passphrase of the signing key (or its token PIN)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("kid"),
                  QStringLiteral("key id (default: the profile's, else the RFC 7638 thumbprint)"),
                  QStringLiteral("KID"));
    cmd.addOption(
        QStringLiteral("alg"),
        QStringLiteral("PS256, ES256 or RS256 (default: ES256 for an EC key, else PS256)"),
        QStringLiteral("ALG"));
}

Result<std::optional<JwsAlgorithm>> algOption(const CommandLine& cmd) {
    if (!cmd.isSet(QStringLiteral("alg")))
        return std::optional<JwsAlgorithm>();
    const auto alg = algorithmFromName(cmd.value(QStringLiteral("alg")));
    if (!alg || *alg == JwsAlgorithm::HS256)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("--alg must be PS256, ES256 or RS256, not '%1'")
                         .arg(cmd.value(QStringLiteral("alg")))};
    return std::optional<JwsAlgorithm>(alg);
}

void addRequestOptions(CommandLine& cmd) {
    cmd.addOption(QStringLiteral("token"), QStringLiteral("an already signed request JWT"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("claims"),
                  QStringLiteral("claims JSON to sign (with --signing-key); iat/exp are filled "
                                 "when absent, jti is fresh on every send (default for the "
                                 "embedded sandbox profiles: the kit's demo request)"),
                  QStringLiteral("FILE"));
    addSigningOptions(cmd, QStringLiteral("request signing key file or pkcs11: URI (default: the "
                                          "profile's)"));
    cmd.addOption(QStringLiteral("keep-jti"),
                  QStringLiteral("send the claims file's jti as it is (a deliberate replay)"));
    cmd.addOption(QStringLiteral("body"),
                  QStringLiteral("jwt: a signed request JWT (default, the seed's and OBIE's); "
                                 "json: RFC 7591 metadata as application/json, iss/aud/iat/exp/jti "
                                 "left out, nothing signed (default: the profile's)"),
                  QStringLiteral("FORMAT"));
}

Status readPassphraseFiles(const CommandLine& cmd, CliIo& io, FilePassphrases& passphrases) {
    const std::pair<const char*, std::optional<QByteArray>*> files[] = {
        {"passphrase-file", &passphrases.transport},
        {"signing-passphrase-file", &passphrases.signing}};
    for (const auto& [option, slot] : files) {
        const QString name = QString::fromLatin1(option);
        if (!cmd.defines(name) || !cmd.isSet(name))
            continue;
        auto secret = readSecretFile(cmd.value(name), io);
        if (!secret)
            return Error{secret.error().kind,
                         QStringLiteral("--%1: %2").arg(name, secret.error().message)};
        *slot = *secret;
    }
    passphrases.notices = &io.err;
    passphrases.allowFinalTry =
        cmd.defines(QStringLiteral("pin-final-try")) && cmd.isSet(QStringLiteral("pin-final-try"));
    return {};
}

namespace {

Result<RegistrationRequest> claimsFile(const CommandLine& cmd, CliIo& io) {
    auto bytes = readInput(cmd.value(QStringLiteral("claims")), io);
    if (!bytes)
        return bytes.error();
    return RegistrationRequest::fromJsonBytes(*bytes);
}

// Without --claims, a profile on the embedded sandbox sends the kit's demo request for its mode,
// as dcrctl test run and the console start from (for ofb and cdr with a freshly minted SSA).
Result<RegistrationRequest> sandboxDraft(Session& session, const Profile& profile) {
    if (auto ok = session.startSandbox(profile.sandboxMode); !ok)
        return ok.error();
    return session.sandboxKit()->draftRequest(profile.sandboxMode, QDateTime::currentDateTimeUtc());
}

} // namespace

Result<std::optional<SubmissionPlan>> planRequest(const CommandLine& cmd, CliIo& io,
                                                  Session& session, const Profile& profile,
                                                  bool required) {
    const bool hasToken = cmd.isSet(QStringLiteral("token"));
    const bool hasClaims = cmd.isSet(QStringLiteral("claims"));
    if (hasToken && hasClaims)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("give --token or --claims, not both")};
    if (!hasToken && !hasClaims) {
        if (!required)
            return std::optional<SubmissionPlan>();
        if (!profile.embeddedSandbox)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("give --token FILE or --claims FILE")};
    }
    const bool json = profile.bodyFormat == RequestBodyFormat::Json;
    if (hasToken && json)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("--token sends a signed request JWT, but the body format is "
                                    "json: give the metadata with --claims, or --body jwt")};
    if (hasToken) {
        auto bytes = readInput(cmd.value(QStringLiteral("token")), io);
        if (!bytes)
            return bytes.error();
        auto jws = Jws::parse(*bytes);
        if (!jws)
            return jws.error();
        auto target = session.target(profile);
        if (!target)
            return target.error();
        auto plan = planSignedRegistration(jws->compact(), *target);
        if (!plan)
            return plan.error();
        return std::optional<SubmissionPlan>(*plan);
    }
    auto draft = hasClaims ? claimsFile(cmd, io) : sandboxDraft(session, profile);
    if (!draft)
        return draft.error();
    if (auto times = draft->checkTimeClaims(); !times)
        return times.error();
    if (profile.signingKeyPath.isEmpty() && !json)
        return Error{
            ErrorKind::SessionNoSigningKey,
            QStringLiteral("--claims needs --signing-key (or a profile with a signing key)")};
    auto alg = algOption(cmd);
    if (!alg)
        return alg.error();
    ClaimsPolicy policy;
    policy.refreshTimes = false; // a claims file's own iat/exp are sent as they are
    policy.freshJti = !cmd.isSet(QStringLiteral("keep-jti"));
    auto plan = session.planRegistration(*draft, profile, policy, *alg);
    if (!plan)
        return plan.error();
    return std::optional<SubmissionPlan>(*plan);
}

} // namespace dcr::cli
