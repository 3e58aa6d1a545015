#pragma once

// How many rows a shared history's local file holds in local_secrets (this machine's copy of
// the secrets), or in another of its tables (local_secret_deletions: keychain deletions not
// confirmed yet); -1 when the file cannot be read. Read through a connection of its own.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace dcr::test {

inline int localSecretRows(const QString& file,
                           const QString& table = QStringLiteral("local_secrets")) {
    int n = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM ") + table) && q.next())
                n = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return n;
}

} // namespace dcr::test
