#include "EndpointUrl.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <optional>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct EndpointUrlTr {
    Q_DECLARE_TR_FUNCTIONS(EndpointUrl)
};

Error bad(const QString& what, const QString& shown, const QString& why) {
    return Error{ErrorKind::InputUnreadable,
                 EndpointUrlTr::tr("%1 \"%2\" %3 (give an absolute URL such as "
                                   "https://bank.example/register)")
                     .arg(what, shown, why)};
}

// The scheme must be said before anything else about a URL: "file:///etc/passwd" has no host
// either, but its real problem is that it is not a web address at all.
std::optional<QString> schemeProblem(const QString& scheme) {
    const QString lower = scheme.toLower();
    if (lower == QStringLiteral("https") || lower == QStringLiteral("http"))
        return std::nullopt;
    return EndpointUrlTr::tr("has the scheme \"%1:\", not https or http").arg(scheme);
}

// The port as typed in the authority, checked before QUrl sees it: QUrl turns "host:99999" into
// an empty, invalid URL whose error text does not say which part was wrong.
std::optional<QString> portProblem(const QString& authority) {
    // The host part ends at the last ':' outside an IPv6 literal ("[::1]:8443").
    const qsizetype close = authority.lastIndexOf(u']');
    const qsizetype colon = authority.lastIndexOf(u':');
    if (colon < 0 || colon < close)
        return std::nullopt;
    const QString port = authority.mid(colon + 1);
    if (port.isEmpty())
        return std::nullopt; // "host:" is the default port (RFC 3986 §3.2.3)
    static const QRegularExpression digits(QStringLiteral("^[0-9]+$"));
    if (!digits.match(port).hasMatch())
        return EndpointUrlTr::tr("has the port \"%1\", which is not a number").arg(port);
    bool ok = false;
    const qlonglong value = port.size() > 6 ? -1 : port.toLongLong(&ok);
    if (!ok || value < 1 || value > 65535)
        return EndpointUrlTr::tr("has the port %1, outside the range 1-65535").arg(port);
    return std::nullopt;
}

// What is wrong with a parsed URL, if anything.
std::optional<QString> urlProblem(const QUrl& url) {
    if (url.isRelative())
        return EndpointUrlTr::tr("is not a URL: it has no scheme");
    if (auto problem = schemeProblem(url.scheme()))
        return problem;
    if (url.host().isEmpty())
        return EndpointUrlTr::tr("has no host");
    if (url.port() == 0) // QUrl keeps 0, which no server listens on
        return EndpointUrlTr::tr("has the port 0, outside the range 1-65535");
    return std::nullopt;
}

} // namespace

Result<QUrl> parseEndpointUrl(const QString& text, const QString& what) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{ErrorKind::InputEmpty,
                     EndpointUrlTr::tr("%1 is empty (give an absolute URL such as "
                                       "https://bank.example/register)")
                         .arg(what)};
    // RFC 3986 §3: scheme ":" "//" authority path-abempty [ "?" query ] [ "#" fragment ]
    static const QRegularExpression shape(
        QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*):(//([^/?#]*))?"));
    const QRegularExpressionMatch m = shape.match(trimmed);
    if (!m.hasMatch())
        return bad(what, trimmed, EndpointUrlTr::tr("is not a URL: it has no scheme"));
    if (auto problem = schemeProblem(m.captured(1)))
        return bad(what, trimmed, *problem);
    if (!m.hasCaptured(2))
        return bad(what, trimmed,
                   EndpointUrlTr::tr("has no host (no \"//host\" after the scheme)"));
    QString authority = m.captured(3);
    authority = authority.mid(authority.lastIndexOf(u'@') + 1); // user information is not host
    if (auto problem = portProblem(authority))
        return bad(what, trimmed, *problem);
    const QUrl url(trimmed, QUrl::StrictMode);
    if (!url.isValid())
        return bad(what, trimmed,
                   EndpointUrlTr::tr("cannot be parsed as a URL: %1")
                       .arg(url.errorString().section(QStringLiteral("; source was"), 0, 0)));
    if (auto problem = urlProblem(url))
        return bad(what, trimmed, *problem);
    return url;
}

Status checkEndpointUrl(const QUrl& url, const QString& what) {
    if (url.isEmpty())
        return Error{ErrorKind::InputEmpty,
                     EndpointUrlTr::tr("%1 is empty (give an absolute URL such as "
                                       "https://bank.example/register)")
                         .arg(what)};
    if (!url.isValid())
        return bad(what, url.toString(),
                   EndpointUrlTr::tr("cannot be parsed as a URL: %1").arg(url.errorString()));
    if (auto problem = urlProblem(url))
        return bad(what, url.toString(QUrl::RemoveUserInfo), *problem);
    return {};
}

} // namespace dcr
