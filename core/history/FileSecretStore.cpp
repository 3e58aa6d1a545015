#include "FileSecretStore.h"

#include "HistorySql.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace dcr {

using history_sql::exec;

namespace {

// The claims as the file keeps them (compact JSON, keys sorted: the same object, the same text).
QString claimsText(const QJsonObject& claims) {
    return QString::fromUtf8(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

} // namespace

FileSecretStore::FileSecretStore(QString connection, QString location, QString path)
    : m_connection(std::move(connection))
    , m_location(std::move(location))
    , m_path(std::move(path)) {}

QString FileSecretStore::description() const {
    return tr("local file %1").arg(m_path);
}

Status FileSecretStore::keep(const QString& uid, const LocalSecrets& s) {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("INSERT OR REPLACE INTO local_secrets (uid, location, "
                                 "request_jwt, request_claims, response_body) VALUES (?, ?, ?, "
                                 "?, ?)"),
                  {uid, m_location, QString::fromLatin1(s.requestJwt), claimsText(s.requestClaims),
                   s.responseBody},
                  tr("keeping the secrets on this machine"));
    if (!q)
        return q.error();
    return {};
}

std::optional<LocalSecrets> FileSecretStore::find(const QString& uid) const {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT request_jwt, request_claims, response_body FROM "
                                 "local_secrets WHERE uid = ?"),
                  {uid}, tr("reading this machine's secrets"));
    if (!q || !q->next())
        return std::nullopt;
    return LocalSecrets{q->value(0).toString().toLatin1(),
                        QJsonDocument::fromJson(q->value(1).toString().toUtf8()).object(),
                        q->value(2).toByteArray()};
}

Status FileSecretStore::forget(const QString& uid) {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("DELETE FROM local_secrets WHERE uid = ?"), {uid},
                  tr("forgetting secrets"));
    if (!q)
        return q.error();
    return {};
}

Status FileSecretStore::forgetIfUnchanged(const QString& uid, const LocalSecrets& s) {
    auto q =
        exec(QSqlDatabase::database(m_connection),
             // IS, not =: an empty part is kept as NULL, which = never matches.
             QStringLiteral("DELETE FROM local_secrets WHERE uid = ? AND request_jwt IS ? "
                            "AND request_claims IS ? AND response_body IS ?"),
             {uid, QString::fromLatin1(s.requestJwt), claimsText(s.requestClaims), s.responseBody},
             tr("forgetting secrets the keychain now holds"));
    if (!q)
        return q.error();
    return {};
}

QStringList FileSecretStore::uids() const {
    QStringList out;
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT uid FROM local_secrets WHERE location = ? ORDER BY uid"),
                  {m_location}, tr("reading this machine's secrets"));
    if (!q)
        return out;
    while (q->next())
        out << q->value(0).toString();
    return out;
}

} // namespace dcr
