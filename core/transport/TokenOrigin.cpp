#include "TokenOrigin.h"

#include "EndpointUrl.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct TokenOriginTr {
    Q_DECLARE_TR_FUNCTIONS(TokenOrigin)
};

int defaultPort(const QString& scheme) {
    if (scheme == QStringLiteral("https"))
        return 443;
    if (scheme == QStringLiteral("http"))
        return 80;
    return -1;
}

QStringList originsOf(const QList<QUrl>& urls) {
    QStringList out;
    for (const QUrl& url : urls)
        if (const QString origin = originOf(url); !origin.isEmpty() && !out.contains(origin))
            out << origin;
    return out;
}

} // namespace

QString originOf(const QUrl& url) {
    if (!url.isValid() || url.host().isEmpty())
        return {};
    const QString scheme = url.scheme().toLower();
    const QString host = url.host().contains(u':') ? u'[' + url.host() + u']' : url.host();
    const int port = url.port(defaultPort(scheme));
    if (port < 0 || port == defaultPort(scheme))
        return scheme + QStringLiteral("://") + host;
    return scheme + QStringLiteral("://") + host + u':' + QString::number(port);
}

Result<QString> parseOrigin(const QString& text) {
    auto url = parseEndpointUrl(text, TokenOriginTr::tr("the origin"));
    if (!url)
        return url.error();
    if ((!url->path().isEmpty() && url->path() != QStringLiteral("/")) || url->hasQuery() ||
        url->hasFragment() || !url->userInfo().isEmpty())
        return Error{
            ErrorKind::InputUnreadable,
            TokenOriginTr::tr("the origin \"%1\" has more than scheme, host and port (give "
                              "it as %2)")
                .arg(text.trimmed(), originOf(*url))};
    return originOf(*url);
}

Result<QStringList> parseOriginList(const QString& text) {
    static const QRegularExpression separators(QStringLiteral("[\\s,]+"));
    QStringList out;
    for (const QString& item : text.split(separators, Qt::SkipEmptyParts)) {
        auto origin = parseOrigin(item);
        if (!origin)
            return origin.error();
        if (!out.contains(*origin))
            out << *origin;
    }
    return out;
}

Status checkTokenDestination(const QUrl& destination, const TokenOrigins& origins) {
    const QString target = originOf(destination);
    const QString endpoint = originOf(origins.registrationEndpoint);
    const QStringList discovered = originsOf(origins.discovered);
    const QString scheme = destination.scheme().toLower();
    QStringList permitted{endpoint};
    permitted << discovered;
    for (const QString& allowed : origins.allowed)
        if (auto origin = parseOrigin(allowed))
            permitted << *origin;

    QStringList why, fixes;
    const bool known = !target.isEmpty() && permitted.contains(target);
    if (!known) {
        why << (discovered.isEmpty()
                    ? TokenOriginTr::tr("that is not the registration endpoint's origin %1")
                          .arg(endpoint)
                    : TokenOriginTr::tr("that is neither the registration endpoint's origin %1 nor "
                                        "one the discovery document names (%2)")
                          .arg(endpoint, discovered.join(QStringLiteral(", "))));
        if (!target.isEmpty())
            fixes << TokenOriginTr::tr("if %1 is the bank's own, allow it with --allow-origin %1 "
                                       "(dcrctl) or in the profile's \"Other origins tokens may go "
                                       "to\"")
                         .arg(target);
    }
    if (scheme == QStringLiteral("http") && !origins.insecure) {
        // RFC 6750 §5.3: "Clients MUST always use TLS (https) or equivalent transport security
        // when making requests with bearer tokens."
        why << TokenOriginTr::tr(
            "it is plain HTTP, and a bearer token goes only over TLS (RFC 6750 "
            "§5.3)");
        fixes << TokenOriginTr::tr("only a profile marked insecure (a test bank) may send one over "
                                   "http");
    } else if (scheme != QStringLiteral("https") && scheme != QStringLiteral("http")) {
        why << TokenOriginTr::tr("it is not an https URL");
    }
    if (why.isEmpty())
        return {};
    QString message =
        TokenOriginTr::tr("refused before sending: the bearer token would go to %1, but %2")
            .arg(target.isEmpty() ? destination.toString(QUrl::RemoveUserInfo) : target,
                 why.join(QStringLiteral(", and ")));
    if (!fixes.isEmpty())
        message += QStringLiteral("; ") + fixes.join(QStringLiteral("; "));
    return Error{ErrorKind::NetworkOriginRefused,
                 message + TokenOriginTr::tr(". Nothing was sent.")};
}

} // namespace dcr
