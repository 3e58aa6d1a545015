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
        const quint64 page = reader.requestPage(QStringLiteral("page"), {}, std::nullopt, 50);
        const quint64 count = reader.requestCount(QStringLiteral("count"), {});
        // Nothing is answered inside the call: the caller's thread never ran the query.
        QCOMPARE(answers.count(), 0);
        QVERIFY(reader.isLoading());
        QTRY_COMPARE(answers.count(), 2);
        QVERIFY(!reader.isLoading());
        QCOMPARE(loading.count(), 2); // true, then false once
        for (const auto& args : answers) {
            const auto a = args.at(0).value<HistoryAnswer>();
            if (a.ticket == page) {
                QVERIFY(a.page.has_value());
                QCOMPARE(a.page->rows.size(), 50);
                QVERIFY(a.page->next.has_value());
            } else {
                QCOMPARE(a.ticket, count);
                QCOMPARE(a.count.value_or(-1), 300);
            }
        }
        const quint64 exported = reader.requestExportJson(QStringLiteral("export"), {1, 2}, false);
        QTRY_COMPARE(answers.count(), 3);
        const auto e = answers.last().at(0).value<HistoryAnswer>();
        QCOMPARE(e.ticket, exported);
        QVERIFY(e.exported && e.exported->contains("special-0"));
    }

    // Typing "s", "sp", "spe", … issues one query per key: only the newest is answered, and the
    // ones still waiting when it came are never run.
    void newerRequestsSupersedeOlderOnes() {
        HistoryReader reader(m_path, HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        quint64 last = 0;
        for (const char* text : {"s", "sp", "spe", "spec", "speci", "special"})
            last =
                reader.requestPage(QStringLiteral("page"),
                                   {QString::fromLatin1(text), {}, {}, {}, {}}, std::nullopt, 500);
        QTRY_VERIFY(!reader.isLoading());
        QTest::qWait(50); // nothing stale trickles in afterwards
        QCOMPARE(answers.count(), 1);
        const auto a = answers.first().at(0).value<HistoryAnswer>();
        QCOMPARE(a.ticket, last);
        QCOMPARE(a.page->rows.size(), 100); // "special-N" for every third N
        QVERIFY(reader.skippedCount() > 0); // superseded while waiting: not run at all
        // Lanes are independent: a count is not superseded by a page.
        reader.requestCount(QStringLiteral("count"), {QStringLiteral("plain"), {}, {}, {}, {}});
        reader.requestPage(QStringLiteral("page"), {}, std::nullopt, 10);
        QTRY_COMPARE(answers.count(), 3);
    }

    void anUnopenableHistoryIsAnAnswerNotACrash() {
        HistoryReader reader(QStringLiteral("postgresql://nobody@127.0.0.1:1/none"),
                             HistoryOptions{});
        QSignalSpy answers(&reader, &HistoryReader::answered);
        reader.requestCount(QStringLiteral("count"), {});
        QTRY_COMPARE(answers.count(), 1);
        const auto a = answers.first().at(0).value<HistoryAnswer>();
        QVERIFY(a.error.has_value());
        QVERIFY2(a.error->message.contains(QStringLiteral("local file")),
                 qPrintable(a.error->message));
    }
};

QTEST_GUILESS_MAIN(TestHistoryReader)
#include "tst_history_reader.moc"
