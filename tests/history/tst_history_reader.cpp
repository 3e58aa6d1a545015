// History queries off the caller's thread (HistoryReader): answers arrive later through the event
// loop, from another thread's connection, and a newer request of a lane supersedes older ones.
#include "history/HistoryReader.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

class TestHistoryReader : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString m_path;

private slots:
    void initTestCase() {
        m_path = m_dir.filePath(QStringLiteral("reader.sqlite"));
        auto store = HistoryStore::open(m_path);
        QVERIFY(store.ok());
        for (int i = 0; i < 300; ++i) {
            SubmissionStart s;
            s.softwareId = QStringLiteral("%1-%2").arg(i % 3 ? "plain" : "special").arg(i);
            QVERIFY((*store)->begin(s).ok());
        }
    }

    void answersArriveLaterFromItsOwnConnection() {
        HistoryReader reader(m_path, HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        QSignalSpy loading(&reader, &HistoryReader::loadingChanged);
        const quint64 page = reader.requestPage(HistoryLane::Page, {}, std::nullopt, 50);
        const quint64 count = reader.requestCount(HistoryLane::Count, {});
        // Nothing is answered inside the call: the caller's thread never ran the query.
        QCOMPARE(answers.count(), 0);
        QVERIFY(reader.isLoading());
        QTRY_COMPARE(answers.count(), 2);
        QVERIFY(!reader.isLoading());
        QCOMPARE(loading.count(), 2); // true, then false once
        for (const auto& args : answers) {
            const auto a = args.at(0).value<HistoryAnswer>();
            if (a.ticket == page) {
                QCOMPARE(a.lane, HistoryLane::Page);
                QVERIFY(a.page());
                QCOMPARE(a.page()->rows.size(), 50);
                QVERIFY(a.page()->next.has_value());
            } else {
                QCOMPARE(a.ticket, count);
                QCOMPARE(a.lane, HistoryLane::Count);
                QVERIFY(a.count());
                QCOMPARE(*a.count(), 300);
            }
        }
        const quint64 exported = reader.requestExportJson(HistoryLane::Export, {1, 2}, false);
        QTRY_COMPARE(answers.count(), 3);
        const auto e = answers.last().at(0).value<HistoryAnswer>();
        QCOMPARE(e.ticket, exported);
        QVERIFY(e.exported() && e.exported()->contains("special-0"));
    }

    // Typing "s", "sp", "spe", … issues one query per key: only the newest is answered, and the
    // ones still waiting when it came are never run.
    void newerRequestsSupersedeOlderOnes() {
        HistoryReader reader(m_path, HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        quint64 last = 0;
        for (const char* text : {"s", "sp", "spe", "spec", "speci", "special"})
            last = reader.requestPage(
                HistoryLane::Page, {QString::fromLatin1(text), {}, {}, {}, {}}, std::nullopt, 500);
        QTRY_VERIFY(!reader.isLoading());
        // Nothing stale trickles in afterwards: the worker runs requests in order and their
        // answers arrive in order, so once a later request's answer is in, every answer the
        // superseded pages could give has been delivered (or dropped) too.
        const quint64 fence = reader.requestCount(HistoryLane::Count, {});
        QTRY_VERIFY(answers.last().at(0).value<HistoryAnswer>().ticket == fence);
        QCOMPARE(answers.count(), 2);
        const auto a = answers.first().at(0).value<HistoryAnswer>();
        QCOMPARE(a.ticket, last);
        QCOMPARE(a.page()->rows.size(), 100); // "special-N" for every third N
        QVERIFY(reader.skippedCount() > 0); // superseded while waiting: not run at all
        // Lanes are independent: a count is not superseded by a page.
        reader.requestCount(HistoryLane::Count, {QStringLiteral("plain"), {}, {}, {}, {}});
        reader.requestPage(HistoryLane::Page, {}, std::nullopt, 10);
        QTRY_COMPARE(answers.count(), 4);
    }

    // What the console's detail pane, "Copy as curl" and Clients view read: one entry, curl
    // commands and the rows that name a client, answered from the reader's thread too.
    void singleEntriesAndClientsAreReadOffTheCallersThread() {
        const QString path = m_dir.filePath(QStringLiteral("clients.sqlite"));
        {
            auto store = HistoryStore::open(path);
            QVERIFY(store.ok());
            SubmissionStart plain;
            plain.softwareId = QStringLiteral("no-client");
            plain.url = QStringLiteral("https://bank.example/register");
            QVERIFY((*store)->begin(plain).ok());
            SubmissionStart named = plain;
            named.profile = QStringLiteral("Bank");
            named.clientId = QStringLiteral("client-9");
            named.method = "GET";
            QVERIFY((*store)->begin(named).ok());
        }
        HistoryReader reader(path, HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        const quint64 record = reader.requestRecord(HistoryLane::Record, 1);
        const quint64 curl = reader.requestExportCurl(HistoryLane::Curl, {1});
        const quint64 clients =
            reader.requestClientRecords(HistoryLane::Clients, QStringLiteral("Bank"));
        QCOMPARE(answers.count(), 0); // nothing read on this thread
        QVERIFY(reader.isLoading());
        QTRY_COMPARE(answers.count(), 3);
        QVERIFY(!reader.isLoading());
        // Asked once the first entry is in: a second record request would supersede it.
        const quint64 missing = reader.requestRecord(HistoryLane::Record, 999);
        QTRY_COMPARE(answers.count(), 4);
        QVERIFY(!reader.isLoading());
        for (const auto& args : answers) {
            const auto a = args.at(0).value<HistoryAnswer>();
            if (a.ticket == record) {
                QVERIFY(a.record());
                QCOMPARE(a.record()->softwareId, QStringLiteral("no-client"));
            } else if (a.ticket == curl) {
                QVERIFY(a.curl());
                QVERIFY2(a.curl()->startsWith(QStringLiteral("# history entry 1,")),
                         qPrintable(*a.curl()));
                QVERIFY(a.curl()->contains(QStringLiteral("https://bank.example/register")));
            } else if (a.ticket == clients) {
                QVERIFY(a.records());
                QCOMPARE(a.records()->size(), 1);
                QCOMPARE(a.records()->first().clientId, QStringLiteral("client-9"));
            } else {
                QCOMPARE(a.ticket, missing);
                QVERIFY(!a.record());
                QVERIFY(a.error());
                QCOMPARE(a.error()->kind, ErrorKind::StorageNotFound);
                QVERIFY2(a.error()->message.contains(QStringLiteral("999")),
                         qPrintable(a.error()->message));
            }
        }
        // Clicking through rows: only the newest entry is answered. A request on another lane
        // after them is a fence: the worker runs requests in order, so once its answer is in,
        // every answer the clicks could give has been delivered too.
        const qsizetype before = answers.count();
        quint64 newest = 0;
        for (qint64 id : {1, 2, 1, 2})
            newest = reader.requestRecord(HistoryLane::Record, id);
        const quint64 fence = reader.requestCount(HistoryLane::Count, {});
        QTRY_VERIFY(answers.count() > before &&
                    answers.last().at(0).value<HistoryAnswer>().ticket == fence);
        QList<HistoryAnswer> clicks;
        for (qsizetype i = before; i < answers.count(); ++i)
            if (const auto a = answers.at(i).at(0).value<HistoryAnswer>();
                a.lane == HistoryLane::Record)
                clicks << a;
        QCOMPARE(clicks.size(), 1);
        QCOMPARE(clicks.first().ticket, newest);
        QCOMPARE(clicks.first().record()->clientId, QStringLiteral("client-9"));
    }

    void anUnopenableHistoryIsAnAnswerNotACrash() {
        HistoryReader reader(QStringLiteral("postgresql://nobody@127.0.0.1:1/none"),
                             HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        reader.requestCount(HistoryLane::Count, {});
        QTRY_COMPARE(answers.count(), 1);
        const auto a = answers.first().at(0).value<HistoryAnswer>();
        QVERIFY(a.error());
        QVERIFY2(a.error()->message.contains(QStringLiteral("local file")),
                 qPrintable(a.error()->message));
    }
};

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_history_reader.moc"
