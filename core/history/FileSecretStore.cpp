#include "FileSecretStore.h"

#include "HistorySql.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>

namespace dcr {

using history_sql::exec;

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
                  {uid, m_location, QString::fromLatin1(s.requestJwt),
                   QString::fromUtf8(QJsonDocument(s.requestClaims).toJson(QJsonDocument::Compact)),
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

} // namespace dcr
