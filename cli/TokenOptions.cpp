#include "TokenOptions.h"

#include "TargetOptions.h"

namespace dcr::cli {

void addTokenOptions(CommandLine& cmd, const QString& methodOption) {
    cmd.addOption(methodOption,
                  QStringLiteral("client authentication at the token endpoint: private_key_jwt, "
                                 "tls_client_auth, client_secret_basic or client_secret_post "
                                 "(default: the profile's)"),
                  QStringLiteral("METHOD"));
    cmd.addOption(QStringLiteral("token-url"),
                  QStringLiteral("the ASPSP's token endpoint (default: the profile's)"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("scope"),
                  QStringLiteral("scopes to ask for, space-separated (default: the profile's)"),
                  QStringLiteral("SCOPES"));
    cmd.addOption(QStringLiteral("client-secret-file"),
                  QStringLiteral("file holding the client_secret (client_secret_basic/_post)"),
                  QStringLiteral("FILE"));
}

Result<TokenOptionValues> tokenOptionValues(const CommandLine& cmd, CliIo& io, const Profile& base,
                                            const QString& methodOption) {
    TokenOptionValues values{base, {}};
    Profile& profile = values.profile;
    if (cmd.isSet(QStringLiteral("token-url")))
        profile.tokenEndpoint = QUrl(cmd.value(QStringLiteral("token-url")), QUrl::StrictMode);
    if (cmd.isSet(QStringLiteral("scope")))
        profile.tokenScope = cmd.value(QStringLiteral("scope"));
    if (cmd.isSet(methodOption)) {
        values.bearer.method = clientAuthMethodFromName(cmd.value(methodOption));
        if (!values.bearer.method)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("--%1 must be private_key_jwt, tls_client_auth, "
                                        "client_secret_basic or client_secret_post, not '%2'")
                             .arg(methodOption, cmd.value(methodOption))};
    }
    if (cmd.isSet(QStringLiteral("client-secret-file"))) {
        auto read = readSecretFile(cmd.value(QStringLiteral("client-secret-file")), io);
        if (!read)
            return read.error();
        values.bearer.clientSecret = *read;
    }
    return values;
}

Status applyAssertionAlgOption(const CommandLine& cmd, TokenRequestSpec& spec) {
    if (!spec.signing)
        return {};
    auto alg = algOption(cmd);
    if (!alg)
        return alg.error();
    if (*alg)
        spec.signing->alg = **alg;
    return {};
}

Result<TokenRequestSpec> tokenSpecFromOptions(const CommandLine& cmd, CliIo& io, Session& session,
                                              const Profile& base, const QString& clientId,
                                              const QString& methodOption) {
    auto values = tokenOptionValues(cmd, io, base, methodOption);
    if (!values)
        return values.error();
    auto spec = session.tokenRequestFor(values->profile, clientId, values->bearer.method,
                                        values->bearer.clientSecret);
    if (!spec)
        return spec.error();
    if (auto alg = applyAssertionAlgOption(cmd, spec.value()); !alg)
        return alg.error();
    return spec;
}

} // namespace dcr::cli
