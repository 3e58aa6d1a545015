#include "FileSecretStore.h"

#include "HistorySql.h"

#include <QJsonDocument>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QUuid>

namespace dcr {

using history_sql::exec;

namespace {

// The claims as the file keeps them (compact JSON, keys sorted: the same object, the same text).
QString claimsText(const QJsonObject& claims) {
    return QString::fromUtf8(QJsonDocument(claims).toJson(QJsonDocument::Compact));
}

Status ok(const Result<QSqlQuery>& q) {
    if (!q)
        return q.error();
    return {};
}

} // namespace

Status FileSecretStore::prepare(const QString& connection) {
    const QSqlDatabase db = QSqlDatabase::database(connection);
    const QString what = tr("preparing the local secret store");
    if (auto made = ok(exec(db,
                            QStringLiteral("CREATE TABLE IF NOT EXISTS local_secrets (uid TEXT "
                                           "PRIMARY KEY, location TEXT, request_jwt TEXT, "
                                           "request_claims TEXT, response_body BLOB)"),
                            {}, what));
        !made)
        return made;
    return ok(exec(db,
                   QStringLiteral("CREATE TABLE IF NOT EXISTS local_secret_deletions (uid TEXT "
                                  "PRIMARY KEY, location TEXT, token TEXT)"),
                   {}, what));
}

FileSecretStore::FileSecretStore(QString connection, QString location, QString path)
    : m_connection(std::move(connection))
    , m_location(std::move(location))
    , m_path(std::move(path)) {}

QString FileSecretStore::description() const {
    return tr("local file %1").arg(m_path);
}

Status FileSecretStore::keep(const QString& uid, const LocalSecrets& s) {
    const QString what = tr("keeping the secrets on this machine");
    const QSqlDatabase db = QSqlDatabase::database(m_connection);
    // Kept again: wanted again, so a deletion still waiting for the keychain no longer hides them.
    return inOneStep(what, [&]() -> Status {
        if (auto kept = ok(exec(db,
                                QStringLiteral("INSERT OR REPLACE INTO local_secrets (uid, "
                                               "location, request_jwt, request_claims, "
                                               "response_body) VALUES (?, ?, ?, ?, ?)"),
                                {uid, m_location, QString::fromLatin1(s.requestJwt),
                                 claimsText(s.requestClaims), s.responseBody},
                                what));
            !kept)
            return kept;
        return ok(exec(db, QStringLiteral("DELETE FROM local_secret_deletions WHERE uid = ?"),
                       {uid}, what));
    });
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
             // An empty part may be kept as NULL or as an empty value and read back as either:
             // both compare equal to empty here, or a resumed row would never leave the file.
             QStringLiteral("DELETE FROM local_secrets WHERE uid = ? "
                            "AND IFNULL(request_jwt, '') = IFNULL(?, '') "
                            "AND IFNULL(request_claims, '') = IFNULL(?, '') "
                            "AND IFNULL(response_body, X'') = IFNULL(?, X'')"),
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

Result<FileSecretStore::PendingDeletion>
FileSecretStore::forgetPendingKeychain(const QString& uid) {
    const QString what = tr("forgetting secrets");
    const QSqlDatabase db = QSqlDatabase::database(m_connection);
    const PendingDeletion deletion{uid, QUuid::createUuid().toString(QUuid::WithoutBraces)};
    auto done = inOneStep(what, [&]() -> Status {
        if (auto gone = ok(
                exec(db, QStringLiteral("DELETE FROM local_secrets WHERE uid = ?"), {uid}, what));
            !gone)
            return gone;
        return ok(exec(db,
                       QStringLiteral("INSERT OR REPLACE INTO local_secret_deletions (uid, "
                                      "location, token) VALUES (?, ?, ?)"),
                       {uid, m_location, deletion.token}, what));
    });
    if (!done)
        return done.error();
    return deletion;
}

bool FileSecretStore::deletionPending(const QString& uid) const {
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT 1 FROM local_secret_deletions WHERE uid = ?"), {uid},
                  tr("reading this machine's secrets"));
    // Unreadable: counted as pending, so that a deleted secret is never shown again by mistake.
    return !q || q->next();
}

Status FileSecretStore::deletionConfirmed(const PendingDeletion& deletion) {
    return ok(exec(QSqlDatabase::database(m_connection),
                   QStringLiteral("DELETE FROM local_secret_deletions WHERE uid = ? AND token = ?"),
                   {deletion.uid, deletion.token}, tr("forgetting secrets the keychain deleted")));
}

QList<FileSecretStore::PendingDeletion> FileSecretStore::pendingDeletions() const {
    QList<PendingDeletion> out;
    auto q = exec(QSqlDatabase::database(m_connection),
                  QStringLiteral("SELECT uid, token FROM local_secret_deletions WHERE location = ? "
                                 "ORDER BY uid"),
                  {m_location}, tr("reading this machine's secrets"));
    if (!q)
        return out;
    while (q->next())
        out << PendingDeletion{q->value(0).toString(), q->value(1).toString()};
    return out;
}

Status FileSecretStore::inOneStep(const QString& what, const std::function<Status()>& statements) {
    const QSqlDatabase db = QSqlDatabase::database(m_connection);
    if (auto begun = ok(exec(db, QStringLiteral("SAVEPOINT local_secrets_step"), {}, what)); !begun)
        return begun;
    const Status done = statements();
    if (!done)
        (void)exec(db, QStringLiteral("ROLLBACK TO local_secrets_step"), {}, what);
    if (auto released = ok(exec(db, QStringLiteral("RELEASE local_secrets_step"), {}, what));
        !released) {
        // RELEASE of the outermost savepoint is the commit: failed (busy, I/O), the transaction
        // would stay open and hold later statements uncommitted. Undo the step and end it.
        (void)exec(db, QStringLiteral("ROLLBACK TO local_secrets_step"), {}, what);
        (void)exec(db, QStringLiteral("RELEASE local_secrets_step"), {}, what);
        return done ? released : done;
    }
    return done;
}

} // namespace dcr
