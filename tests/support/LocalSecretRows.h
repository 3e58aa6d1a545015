#pragma once

// How many rows a shared history's local file holds in local_secrets (this machine's copy of
// the secrets); -1 when the file cannot be read. Read through a connection of its own.

#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>

namespace dcr::test {

inline int localSecretRows(const QString& file) {
    int n = -1;
    {
        QSqlDatabase db =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("peek"));
        db.setDatabaseName(file);
        if (db.open()) {
            QSqlQuery q(db);
            if (q.exec(QStringLiteral("SELECT count(*) FROM local_secrets")) && q.next())
                n = q.value(0).toInt();
        }
    }
    QSqlDatabase::removeDatabase(QStringLiteral("peek"));
    return n;
}

} // namespace dcr::test
