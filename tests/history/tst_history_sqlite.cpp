// What only the SQLite backend has: a private file, recovery of a damaged file, and waiting for
// a lock held by another process (tst_history runs everything both backends share).
#include "TestSupport.h"
#include "history/HistoryStore.h"

#include <QElapsedTimer>
#include <QFileInfo>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

qint64 record(HistoryStore& store, const QString& softwareId, int status, const QByteArray& body) {
    SubmissionStart s;
    s.softwareId = softwareId;
    const qint64 id = *store.begin(s);
    HttpExchange e;
    e.status = status;
    e.responseBody = body;
    const auto outcome = classifyResponse(e.status, e.responseHeaders, e.responseBody);
    if (!store.complete(id, e, &outcome).ok())
        qFatal("complete failed");
    return id;
}

} // namespace

class TestHistorySqlite : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;
    QString freshPath() { return m_dir.filePath(QStringLiteral("h%1.sqlite").arg(++m_n)); }

private slots:
    void fileIsPrivate() {
        const QString path = freshPath();
        auto store = HistoryStore::open(path);
        QVERIFY(store.ok());
        const auto perms = QFileInfo(path).permissions();
        QVERIFY(perms & QFileDevice::ReadOwner);
        QVERIFY(!(perms & (QFileDevice::ReadGroup | QFileDevice::ReadOther |
                           QFileDevice::WriteGroup | QFileDevice::WriteOther)));
    }

    void corruptFileIsMovedAside() {
        const QString path = freshPath();
        const QByteArray garbage =
            QByteArray("this is not a database, but it is somebody's data\n").repeated(200);
        writeFile(path, garbage);
        auto store = HistoryStore::open(path);
        QVERIFY2(store.ok(), qPrintable(store.ok() ? QString() : store.error().message));
        QVERIFY((*store)->recoveryNotice().contains(QStringLiteral("moved to")));
        const QString backup = (*store)
                                   ->recoveryNotice()
                                   .section(QStringLiteral("moved to "), 1)
                                   .section(QStringLiteral(" and a new"), 0, 0);
        QVERIFY2(QFile::exists(backup), qPrintable(backup));
        QCOMPARE(readFile(backup), garbage); // never silently overwritten
        QVERIFY(record(**store, QStringLiteral("after"), 200, "{}") > 0);
    }

    void lockedDatabaseIsReportedAfterWaiting() {
        const QString path = freshPath();
        auto store = HistoryStore::open(path, 300);
        QVERIFY(store.ok());
        QSqlDatabase other =
            QSqlDatabase::addDatabase(QStringLiteral("QSQLITE"), QStringLiteral("locker"));
        other.setDatabaseName(path);
        QVERIFY(other.open());
        QSqlQuery lock(other);
        QVERIFY(lock.exec(QStringLiteral("BEGIN EXCLUSIVE")));
        QElapsedTimer t;
        t.start();
        auto id = (*store)->begin({});
        QVERIFY(!id.ok());
        QCOMPARE(id.error().kind, ErrorKind::StorageLocked);
        QVERIFY(t.elapsed() >= 250);
        QVERIFY(lock.exec(QStringLiteral("ROLLBACK")));
        lock.finish();
        other.close();
        other = QSqlDatabase();
        QSqlDatabase::removeDatabase(QStringLiteral("locker"));
        QVERIFY((*store)->begin({}).ok());
    }
};

QTEST_GUILESS_MAIN(TestHistorySqlite)
#include "tst_history_sqlite.moc"
