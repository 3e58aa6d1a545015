#include "HistoryLocation.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct HistoryLocationTr {
    Q_DECLARE_TR_FUNCTIONS(HistoryLocation)
};

// The libpq parameters a history URL may carry. Everything else (password, passfile, service,
// options) is refused, so that no secret and no surprise ends up in a setting.
const QStringList kAllowedParameters = {
    QStringLiteral("sslmode"),          QStringLiteral("sslrootcert"),
    QStringLiteral("sslcert"),          QStringLiteral("sslkey"),
    QStringLiteral("sslcrl"),           QStringLiteral("connect_timeout"),
    QStringLiteral("application_name"), QStringLiteral("target_session_attrs")};

const QStringList kSslModes = {QStringLiteral("disable"),   QStringLiteral("allow"),
                               QStringLiteral("prefer"),    QStringLiteral("require"),
                               QStringLiteral("verify-ca"), QStringLiteral("verify-full")};

// Every message shows the location without a password, however broken the URL is.
Error badUrl(const QString& text, const QString& why) {
    return {ErrorKind::InputUnreadable,
            HistoryLocationTr::tr("history location %1: %2 (expected a file path or "
                                  "postgresql://user@host:port/dbname?sslmode=require)")
                .arg(HistoryLocation::redacted(text), why)};
}

Result<HistoryLocation> parsePostgres(const QString& text) {
    const QUrl url(text, QUrl::StrictMode);
    if (!url.isValid())
        // Not QUrl's errorString(): it quotes the whole source, password included.
        return badUrl(text, HistoryLocationTr::tr("not a valid URL (check the host and port, and "
                                                  "%-encode special characters)"));
    if (!url.password().isEmpty())
        return badUrl(
            HistoryLocation::redacted(text),
            HistoryLocationTr::tr("a password must not be part of the location (it would be "
                                  "saved in settings); put it in ~/.pgpass or $PGPASSFILE"));
    HistoryLocation l;
    l.backend = HistoryLocation::Backend::Postgres;
    l.host = url.host();
    if (l.host.isEmpty())
        return badUrl(text, HistoryLocationTr::tr("the host is missing"));
    if (url.port() == 0)
        return badUrl(text, HistoryLocationTr::tr("the port must be between 1 and 65535"));
    l.port = url.port(5432);
    l.user = url.userName();
    l.database = url.path().mid(1);
    if (l.database.isEmpty() || l.database.contains(u'/'))
        return badUrl(text, HistoryLocationTr::tr("the database name is missing (…/dbname)"));
    QStringList options;
    bool timeoutGiven = false;
    for (const auto& [key, value] : QUrlQuery(url).queryItems(QUrl::FullyDecoded)) {
        if (!kAllowedParameters.contains(key))
            return badUrl(text, HistoryLocationTr::tr("unknown parameter '%1' (allowed: %2)")
                                    .arg(key, kAllowedParameters.join(QStringLiteral(", "))));
        if (key == QStringLiteral("sslmode") && !kSslModes.contains(value))
            return badUrl(text, HistoryLocationTr::tr("sslmode '%1' is not one of %2")
                                    .arg(value, kSslModes.join(QStringLiteral(", "))));
        static const QRegularExpression seconds(QStringLiteral("^[1-9][0-9]{0,2}$"));
        if (key == QStringLiteral("connect_timeout") && !seconds.match(value).hasMatch())
            return badUrl(text, HistoryLocationTr::tr("connect_timeout must be 1 to 999 seconds"));
        if (value.contains(u';') || value.contains(u' ') || value.contains(u'\''))
            return badUrl(text,
                          HistoryLocationTr::tr("the value of '%1' contains a space, quote or "
                                                "semicolon")
                              .arg(key));
        timeoutGiven = timeoutGiven || key == QStringLiteral("connect_timeout");
        options << key + u'=' + value;
    }
    // Every network call has a timeout: an unreachable server is reported, not waited on.
    if (!timeoutGiven)
        options << QStringLiteral("connect_timeout=%1")
                       .arg(HistoryLocation::DefaultConnectTimeoutSeconds);
    // A server that stops answering mid-query is noticed within seconds, not hours.
    options << QStringLiteral("keepalives_idle=5") << QStringLiteral("keepalives_interval=2")
            << QStringLiteral("keepalives_count=3") << QStringLiteral("tcp_user_timeout=10000");
    l.connectOptions = options.join(u';');
    l.text = text;
    return l;
}

} // namespace

Result<HistoryLocation> HistoryLocation::parse(const QString& text) {
    const QString trimmed = text.trimmed();
    if (trimmed.isEmpty())
        return Error{ErrorKind::InputEmpty, HistoryLocationTr::tr("the history location is empty")};
    static const QRegularExpression scheme(QStringLiteral("^([A-Za-z][A-Za-z0-9+.-]*)://"));
    const auto m = scheme.match(trimmed);
    if (!m.hasMatch()) {
        HistoryLocation l;
        l.path = trimmed;
        l.text = trimmed;
        return l;
    }
    const QString name = m.captured(1).toLower();
    if (name != QStringLiteral("postgresql") && name != QStringLiteral("postgres"))
        return badUrl(trimmed,
                      HistoryLocationTr::tr("'%1' is not supported; the history is a SQLite "
                                            "file or a PostgreSQL database")
                          .arg(m.captured(1)));
    return parsePostgres(trimmed);
}

QString HistoryLocation::redacted(const QString& text) {
    // Textual, not through QUrl: a URL QUrl rejects (a bad port, an unencoded '@' or '%' in the
    // password, a mistyped scheme) must not be echoed with its password either. The user info
    // runs from "://" to the last '@'; what follows its first ':' is the password.
    const qsizetype start = text.indexOf(QStringLiteral("://"));
    if (start < 0)
        return text;
    const qsizetype at = text.lastIndexOf(u'@');
    if (at < start + 3)
        return text;
    const qsizetype colon = text.indexOf(u':', start + 3);
    if (colon < 0 || colon > at)
        return text;
    return text.left(colon + 1) + QStringLiteral("…") + text.mid(at);
}

QString HistoryLocation::display() const {
    return text;
}

} // namespace dcr
