#include "CliSession.h"
#include "CommandLine.h"
#include "Commands.h"
#include "registration/SpecVersion.h"
#include "session/EcosystemPreset.h"
#include "transport/EndpointUrl.h"
#include "transport/TokenOrigin.h"

#include <QJsonArray>
#include <QSettings>

namespace dcr::cli {

namespace {

// The exit code of a team history's refusal: the server away or the login refused is a network
// failure (3), a name the team does not have is a negative answer (1), anything else bad input.
int teamExitCode(const Error& error) {
    switch (error.kind) {
    case ErrorKind::StorageUnavailable:
    case ErrorKind::StorageLoginRefused:
        return ExitNetwork;
    case ErrorKind::StorageNotFound:
    case ErrorKind::SessionUnknownProfile:
        return ExitNegative;
    default:
        return ExitUsage;
    }
}

int listTeamProfiles(Session& session, const CommandLine& cmd, CliIo& io) {
    auto published = session.teamProfiles();
    if (!published)
        return io.fail(teamExitCode(published.error()),
                       QStringLiteral("profile list --team: ") + published.error().message);
    if (cmd.isSet(QStringLiteral("json"))) {
        QJsonArray out;
        for (const TeamProfile& p : *published)
            out.append(QJsonObject{
                {QStringLiteral("name"), p.name},
                {QStringLiteral("published_by"), p.publisher()},
                {QStringLiteral("published_at"), p.publishedAt.toUTC().toString(Qt::ISODate)},
                {QStringLiteral("profile"), p.profile}});
        io.printJson(QJsonDocument(out));
        return ExitOk;
    }
    for (const TeamProfile& p : *published)
        io.out << p.name << "  " << p.profile.value(QStringLiteral("registration_url")).toString()
               << "  published by " << p.publisher() << " on "
               << p.publishedAt.toUTC().toString(Qt::ISODate) << '\n';
    io.out << published->size() << " profile(s) published to " << session.historyLocation() << '\n';
    io.out.flush();
    return ExitOk;
}

int publishProfile(Session& session, const QString& name, const CommandLine& cmd, CliIo& io) {
    auto removed = session.publishProfile(name, cmd.isSet(QStringLiteral("replace")));
    if (!removed)
        return io.fail(teamExitCode(removed.error()),
                       QStringLiteral("profile publish: ") + removed.error().message);
    for (const QString& what : *removed)
        io.err << "note: not published: " << what << '\n';
    io.out << "published profile \"" << name << "\" to " << session.historyLocation() << '\n';
    io.out.flush();
    return ExitOk;
}

int importProfile(Session& session, const QString& name, const CommandLine& cmd, CliIo& io) {
    auto imported = session.importTeamProfile(name, cmd.value(QStringLiteral("as")));
    if (!imported)
        return io.fail(teamExitCode(imported.error()),
                       QStringLiteral("profile import: ") + imported.error().message);
    io.out << "imported the team's profile \"" << name << "\" as \"" << imported->name << "\" in "
           << session.settings()->fileName() << '\n';
    io.out.flush();
    return ExitOk;
}

} // namespace

int profileCommand(const QStringList& args, CliIo& io) {
    CommandLine cmd(
        QStringLiteral("profile"),
        QStringLiteral("Bank profiles shared with the console: 'list', 'show NAME', 'add NAME "
                       "...', 'rm NAME'. A profile holds paths and choices, never a secret. On a "
                       "team (PostgreSQL) history: 'publish NAME' shares a profile with the team "
                       "(keys only as file paths or pkcs11: URIs; a PIN attribute is dropped, "
                       "anything secret refused), 'list --team' lists the published ones, and "
                       "'import NAME [--as NEW]' saves one as a local profile (never over an "
                       "existing one)."),
        QStringLiteral("ACTION [NAME]"), QStringLiteral("list, show, add, rm, publish or import"));
    cmd.addOption(QStringLiteral("url"), QStringLiteral("add: registration endpoint URL"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("discovery-url"),
                  QStringLiteral("add: /.well-known/openid-configuration URL"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("aud"), QStringLiteral("add: the ASPSP's aud value"),
                  QStringLiteral("AUD"));
    cmd.addOption(QStringLiteral("content-type"),
                  QStringLiteral("add: application/jwt (default) or application/jose; "
                                 "application/json for --body json"),
                  QStringLiteral("TYPE"));
    cmd.addOption(QStringLiteral("body"),
                  QStringLiteral("add: request body format: jwt (a signed JWT, default) or json "
                                 "(RFC 7591 metadata, nothing signed)"),
                  QStringLiteral("FORMAT"));
    cmd.addOption(QStringLiteral("preset"),
                  QStringLiteral("add: start from an ecosystem preset (uk-obie, "
                                 "open-finance-brasil, cdr-au, rfc7591): body format, content "
                                 "type, spec, "
                                 "lifecycle and token auth; other options override it"),
                  QStringLiteral("PRESET"));
    cmd.addOption(QStringLiteral("cert"), QStringLiteral("add: transport certificate file"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("key"),
                  QStringLiteral("add: transport key file, or a pkcs11: URI (key in a token)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("cacert"), QStringLiteral("add: CA bundle file"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("signing-key"),
                  QStringLiteral("add: request signing key file, or a pkcs11: URI (key in a "
                                 "token; its pin-value is never saved)"),
                  QStringLiteral("FILE"));
    cmd.addOption(QStringLiteral("pkcs11-module"),
                  QStringLiteral("add: PKCS#11 module for pkcs11: keys (default: "
                                 "$DCR_PKCS11_MODULE, else the p11-kit proxy)"),
                  QStringLiteral("SO"));
    cmd.addOption(QStringLiteral("kid"), QStringLiteral("add: signing key id"),
                  QStringLiteral("KID"));
    cmd.addOption(QStringLiteral("spec"),
                  QStringLiteral("add: the contract to check against: ") + specVersionNames(),
                  QStringLiteral("SPEC"));
    cmd.addOption(QStringLiteral("directory-issuer"),
                  QStringLiteral("add: the iss of SSAs from this environment's directory (default "
                                 "OpenBanking Ltd)"),
                  QStringLiteral("NAME"));
    cmd.addOption(QStringLiteral("insecure"),
                  QStringLiteral("add: DANGER: do not verify the ASPSP's TLS certificate"));
    cmd.addOption(QStringLiteral("lifecycle"),
                  QStringLiteral("add: how client get/update/delete are authorised: obie (a "
                                 "client_credentials token, default), rfc7592 (the "
                                 "registration_access_token) or cdr (a client_credentials "
                                 "token with scope cdr:registration)"),
                  QStringLiteral("MODE"));
    cmd.addOption(QStringLiteral("token-url"), QStringLiteral("add: the ASPSP's token endpoint"),
                  QStringLiteral("URL"));
    cmd.addOption(QStringLiteral("token-auth"),
                  QStringLiteral("add: token endpoint auth: private_key_jwt (default), "
                                 "tls_client_auth, client_secret_basic, client_secret_post"),
                  QStringLiteral("METHOD"));
    cmd.addOption(QStringLiteral("token-scope"),
                  QStringLiteral("add: scopes for client_credentials tokens"),
                  QStringLiteral("SCOPES"));
    cmd.addOption(QStringLiteral("allow-origin"),
                  QStringLiteral("add: another origin (https://host[:port]) bearer tokens may go "
                                 "to besides the registration endpoint's; repeatable, replaces "
                                 "the saved list"),
                  QStringLiteral("ORIGIN"));
    cmd.addOption(QStringLiteral("json"), QStringLiteral("list/show: JSON output"));
    cmd.addOption(QStringLiteral("team"),
                  QStringLiteral("list: the profiles published to the team history"));
    cmd.addOption(QStringLiteral("replace"),
                  QStringLiteral("publish: replace the team's profile of the same name"));
    cmd.addOption(QStringLiteral("as"),
                  QStringLiteral("import: the local name to save it as (default: its own)"),
                  QStringLiteral("NEW"));
    addHistoryOption(cmd);
    if (auto stop = cmd.parse(args, io, 1, 2))
        return *stop;
    const QString action = cmd.positional().first();
    const QString name = cmd.positional().value(1);
    auto session = openSession(cmd, io);
    ProfileStore store(*session->settings());
    const bool teamAction = action == QStringLiteral("publish") ||
                            action == QStringLiteral("import") || cmd.isSet(QStringLiteral("team"));
    if (teamAction && !session->hasTeamHistory())
        return io.fail(ExitUsage,
                       QStringLiteral("profile %1: profiles are shared through a team "
                                      "(PostgreSQL) history, and this history is %2; give "
                                      "--history-db postgresql://... or set DCR_HISTORY_DB")
                           .arg(action, session->historyLocation()));
    if (action == QStringLiteral("list") && cmd.isSet(QStringLiteral("team")))
        return listTeamProfiles(*session, cmd, io);
    if (action == QStringLiteral("list")) {
        const auto profiles = store.all();
        if (cmd.isSet(QStringLiteral("json"))) {
            QJsonArray out;
            for (const auto& p : profiles)
                out.append(p.toJson());
            io.printJson(QJsonDocument(out));
            return ExitOk;
        }
        for (const auto& p : profiles)
            io.out << p.name << "  " << p.registrationUrl.toString()
                   << (p.insecure ? "  (INSECURE)" : "")
                   << (p.unreadable.isEmpty() ? "" : "  (UNREADABLE)") << '\n';
        io.out.flush();
        for (const auto& p : profiles) // what makes a profile unusable, said where it is listed
            for (const QString& problem : p.unreadable)
                io.err << "WARNING: " << problem << '\n';
        return ExitOk;
    }
    if (name.isEmpty())
        return io.fail(ExitUsage, QStringLiteral("profile %1: give a NAME").arg(action));
    if (action == QStringLiteral("show")) {
        auto p = store.find(name);
        if (!p)
            return io.fail(ExitNegative, QStringLiteral("no profile named \"%1\"").arg(name));
        // The JSON shows the defaults in place of what could not be read: say so first.
        for (const QString& problem : p->unreadable)
            io.err << "WARNING: " << problem << '\n';
        io.printJson(QJsonDocument(p->toJson()));
        return ExitOk;
    }
    if (action == QStringLiteral("publish"))
        return publishProfile(*session, name, cmd, io);
    if (action == QStringLiteral("import"))
        return importProfile(*session, name, cmd, io);
    if (action == QStringLiteral("rm")) {
        if (!store.find(name))
            return io.fail(ExitNegative, QStringLiteral("no profile named \"%1\"").arg(name));
        store.remove(name);
        return ExitOk;
    }
    if (action == QStringLiteral("add")) {
        Profile p = store.find(name).value_or(Profile{});
        p.name = name;
        // Re-adding is how a name this version cannot read gets fixed: say what is replaced.
        for (const QString& problem : p.unreadable)
            io.err << "WARNING: " << problem
                   << " (saved now with the value its option gives, else the default)\n";
        if (cmd.isSet(QStringLiteral("preset"))) {
            const EcosystemPreset* preset =
                findEcosystemPreset(cmd.value(QStringLiteral("preset")));
            if (!preset)
                return io.fail(ExitUsage,
                               QStringLiteral("profile add: --preset must be one of %1, "
                                              "not '%2'")
                                   .arg(ecosystemPresetIds(), cmd.value(QStringLiteral("preset"))));
            p = preset->applyTo(p);
        }
        if (cmd.isSet(QStringLiteral("url"))) {
            auto url = parseEndpointUrl(cmd.value(QStringLiteral("url")), QStringLiteral("--url"));
            if (!url)
                return io.fail(ExitUsage, QStringLiteral("profile add: ") + url.error().message);
            p.registrationUrl = *url;
        }
        if (!p.registrationUrl.isValid() || p.registrationUrl.host().isEmpty())
            return io.fail(ExitUsage,
                           QStringLiteral("profile add: --url must be an absolute https URL"));
        if (cmd.isSet(QStringLiteral("allow-origin"))) {
            auto origins =
                parseOriginList(cmd.parser().values(QStringLiteral("allow-origin")).join(u' '));
            if (!origins)
                return io.fail(ExitUsage, QStringLiteral("profile add: --allow-origin: ") +
                                              origins.error().message);
            p.tokenOrigins = *origins;
        }
        const std::pair<const char*, QString*> paths[] = {{"cert", &p.transportCertPath},
                                                          {"key", &p.transportKeyPath},
                                                          {"cacert", &p.caBundlePath},
                                                          {"signing-key", &p.signingKeyPath},
                                                          {"pkcs11-module", &p.pkcs11Module},
                                                          {"kid", &p.signingKid},
                                                          {"aud", &p.aud},
                                                          {"directory-issuer", &p.directoryIssuer}};
        for (const auto& [opt, field] : paths)
            if (cmd.isSet(QString::fromLatin1(opt)))
                *field = cmd.value(QString::fromLatin1(opt));
        if (cmd.isSet(QStringLiteral("spec"))) {
            const auto spec = specVersionFromName(cmd.value(QStringLiteral("spec")));
            if (!spec)
                return io.fail(ExitUsage,
                               QStringLiteral("profile add: --spec must be one of %1, not '%2'")
                                   .arg(specVersionNames(), cmd.value(QStringLiteral("spec"))));
            p.specVersion = *spec;
        }
        if (cmd.isSet(QStringLiteral("discovery-url"))) {
            auto url = parseEndpointUrl(cmd.value(QStringLiteral("discovery-url")),
                                        QStringLiteral("--discovery-url"));
            if (!url)
                return io.fail(ExitUsage, QStringLiteral("profile add: ") + url.error().message);
            p.discoveryUrl = *url;
        }
        if (cmd.isSet(QStringLiteral("token-url")))
            p.tokenEndpoint = QUrl(cmd.value(QStringLiteral("token-url")));
        if (cmd.isSet(QStringLiteral("token-scope")))
            p.tokenScope = cmd.value(QStringLiteral("token-scope"));
        if (cmd.isSet(QStringLiteral("lifecycle"))) {
            const auto auth = lifecycleAuthFromName(cmd.value(QStringLiteral("lifecycle")));
            if (!auth)
                return io.fail(
                    ExitUsage,
                    QStringLiteral("profile add: --lifecycle must be obie, rfc7592 or cdr"));
            p.lifecycleAuth = *auth;
        }
        if (cmd.isSet(QStringLiteral("token-auth"))) {
            const auto method = clientAuthMethodFromName(cmd.value(QStringLiteral("token-auth")));
            if (!method)
                return io.fail(ExitUsage,
                               QStringLiteral("profile add: --token-auth must be private_key_jwt, "
                                              "tls_client_auth, client_secret_basic or "
                                              "client_secret_post"));
            p.tokenAuthMethod = *method;
        }
        if (cmd.isSet(QStringLiteral("body"))) {
            const auto format = requestBodyFormatFromName(cmd.value(QStringLiteral("body")));
            if (!format)
                return io.fail(ExitUsage, QStringLiteral("profile add: --body must be jwt or "
                                                         "json, not '%1'")
                                              .arg(cmd.value(QStringLiteral("body"))));
            p.bodyFormat = *format;
            if (!contentTypeFits(*format, p.contentType))
                p.contentType = defaultContentType(*format);
        }
        if (cmd.isSet(QStringLiteral("content-type")))
            p.contentType = cmd.value(QStringLiteral("content-type")).toLatin1();
        const RequestBodyFormat format = p.bodyFormat;
        if (!contentTypeFits(format, p.contentType))
            return io.fail(ExitUsage,
                           format == RequestBodyFormat::Json
                               ? QStringLiteral("profile add: --content-type must be "
                                                "application/json for a JSON body (RFC 7591 §3.1)")
                               : QStringLiteral("profile add: --content-type must be "
                                                "application/jwt or application/jose for a signed "
                                                "JWT body (application/json needs --body json)"));
        p.insecure = cmd.isSet(QStringLiteral("insecure"));
        if (p.insecure)
            io.err << "WARNING: profile \"" << name
                   << "\" does not verify the ASPSP's TLS certificate.\n";
        if (auto saved = store.save(p); !saved)
            return io.fail(ExitUsage, QStringLiteral("profile add: ") + saved.error().message);
        io.out << "saved profile \"" << name << "\" in " << session->settings()->fileName() << '\n';
        io.out.flush();
        return ExitOk;
    }
    return io.fail(
        ExitUsage,
        QStringLiteral("profile: ACTION must be list, show, add, rm, publish or import"));
}

} // namespace dcr::cli
