// HistoryStore at 100,000 submissions on a SQLite file and at 1,000,000 on a throwaway
// PostgreSQL server (tests/support/PostgresCluster.h, started by the benchmark): each query as
// the application runs it ("ours") beside the same SQL run directly on the same database through
// QSqlQuery ("baseline"). On PostgreSQL "ours" goes through HistoryReader, the worker thread the
// console reads a team history on, so the figure includes the hand-over a window pays and shows
// no query runs on the calling (GUI) thread.
#include "PostgresCluster.h"
#include "RatioReporter.h"
#include "history/HistoryReader.h"
#include "history/HistoryStore.h"

#include <QEventLoop>

#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QVariant>

using namespace dcr;

namespace {

constexpr int kRows = 100000;
constexpr int kPgRows = 1000000;
const char* const kColumns = "id, created_at, completed_at, state, profile, method, url, "
                             "content_type, software_id, client_name, "
                             "response_status, outcome, error_class, error_code, error_text, "
                             "failure_class, failure_message, "
                             "elapsed_ms, note, tags, client_id, uid, writer_user, writer_host, "
                             "writer_pid, secrets_holder";

struct Fixture {
    QTemporaryDir dir;
    std::unique_ptr<HistoryStore> store;
    HistoryCursor secondPage;

    Fixture() {
        store = std::move(HistoryStore::open(dir.filePath(QStringLiteral("bench.sqlite"))).value());
        QSqlDatabase db = QSqlDatabase::database(store->connectionName());
        db.transaction();
        QSqlQuery q(db);
        q.prepare(QStringLiteral("INSERT INTO submissions (created_at, completed_at, state, "
                                 "profile, method, url, content_type, request_jwt, "
                                 "request_claims, software_id, client_name, response_status, "
                                 "response_body, outcome, error_class, error_text, "
                                 "elapsed_ms) VALUES (?, ?, 'completed', ?, 'POST', ?, "
                                 "'application/jwt', ?, '{}', ?, ?, ?, ?, ?, ?, ?, 40)"));
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - kRows * 1000LL;
        const QByteArray jwt(900, 'a');
        for (int i = 0; i < kRows; ++i) {
            const bool error = i % 4 == 0;
            q.addBindValue(start + i * 1000LL);
            q.addBindValue(start + i * 1000LL + 40);
            q.addBindValue(i % 2 ? QStringLiteral("Bank A") : QStringLiteral("Bank B"));
            q.addBindValue(QStringLiteral("https://aspsp%1.example/register").arg(i % 10));
            q.addBindValue(QString::fromLatin1(jwt));
            q.addBindValue(QStringLiteral("soft-%1").arg(i));
            q.addBindValue(QStringLiteral("Client %1").arg(i % 100));
            q.addBindValue(error ? 406 : 200);
            q.addBindValue(error ? QByteArray("{\"tppMessages\":[{\"category\":\"Invalid\","
                                              "\"code\":406,\"text\":\"scope not allowed\"}]}")
                                 : QByteArray("{\"message\":\"ok\"}"));
            q.addBindValue(error ? QStringLiteral("error") : QStringLiteral("accepted"));
            q.addBindValue(error ? QStringLiteral("Invalid") : QString());
            q.addBindValue(error ? QStringLiteral("scope not allowed") : QString());
            q.exec();
        }
        db.commit();
        const auto first = store->page({}, std::nullopt, 50);
        secondPage = *first->next;
    }
};

// Built on first use, destroyed by QCoreApplication's post routines (see DCR_BENCHMARK_MAIN).
struct PgFixture;
std::unique_ptr<Fixture> g_fixture;
std::unique_ptr<PgFixture> g_pgFixture;
void destroyFixtures();

Fixture& fixture() {
    if (!g_fixture) {
        g_fixture = std::make_unique<Fixture>();
        qAddPostRoutine(destroyFixtures);
    }
    return *g_fixture;
}

// The same SQL straight through QSqlQuery on the store's own connection.
QSqlQuery direct(const HistoryStore& store, const QString& sql, const QVariantList& binds) {
    QSqlQuery q(QSqlDatabase::database(store.connectionName()));
    q.prepare(sql);
    for (const auto& b : binds)
        q.addBindValue(b);
    q.exec();
    return q;
}

int drain(QSqlQuery& q) {
    int n = 0;
    while (q.next()) {
        for (int c = 0; c < 26; ++c)
            benchmark::DoNotOptimize(q.value(c));
        ++n;
    }
    return n;
}

// Each measurement is written once and run on both databases: fixture is fixture or pgFixture
// (filling 100,000 rows is set-up, not measured).
template <typename F> void firstPageOurs(benchmark::State& s, F fixture) {
    HistoryStore& store = *fixture().store;
    for (auto _ : s)
        benchmark::DoNotOptimize(store.page({}, std::nullopt, 50));
}
template <typename F> void firstPageBaseline(benchmark::State& s, F fixture) {
    const HistoryStore& store = *fixture().store;
    for (auto _ : s) {
        QSqlQuery q = direct(
            store,
            QStringLiteral("SELECT %1 FROM submissions ORDER BY created_at DESC, id DESC LIMIT ?")
                .arg(QString::fromLatin1(kColumns)),
            {50});
        benchmark::DoNotOptimize(drain(q));
    }
}
template <typename F> void nextPageOurs(benchmark::State& s, F fixture) {
    auto& f = fixture();
    for (auto _ : s)
        benchmark::DoNotOptimize(f.store->page({}, f.secondPage, 50));
}
template <typename F> void nextPageBaseline(benchmark::State& s, F fixture) {
    auto& f = fixture();
    const HistoryCursor c = f.secondPage;
    for (auto _ : s) {
        QSqlQuery q = direct(*f.store,
                             QStringLiteral("SELECT %1 FROM submissions WHERE (created_at, id) < "
                                            "(?, ?) ORDER BY created_at DESC, id DESC LIMIT ?")
                                 .arg(QString::fromLatin1(kColumns)),
                             {c.createdMs, c.id, 50});
        benchmark::DoNotOptimize(drain(q));
    }
}
template <typename F> void filterOurs(benchmark::State& s, F fixture, const QString& text) {
    HistoryStore& store = *fixture().store;
    for (auto _ : s)
        benchmark::DoNotOptimize(store.page({text, {}, {}, {}, {}}, std::nullopt, 50));
}
template <typename F> void countOurs(benchmark::State& s, F fixture) {
    HistoryStore& store = *fixture().store;
    for (auto _ : s)
        benchmark::DoNotOptimize(store.count({}));
}
template <typename F> void countBaseline(benchmark::State& s, F fixture) {
    const HistoryStore& store = *fixture().store;
    for (auto _ : s) {
        QSqlQuery q = direct(store, QStringLiteral("SELECT count(*) FROM submissions"), {});
        q.next();
        benchmark::DoNotOptimize(q.value(0));
    }
}
// The SQL the store runs for a query of three or more characters: the trigram index.
void filterBaseline(benchmark::State& s) {
    fixture();
    for (auto _ : s) {
        QSqlQuery q = direct(*fixture().store,
                             QStringLiteral("SELECT %1 FROM submissions WHERE id IN (SELECT rowid "
                                            "FROM submissions_search WHERE submissions_search "
                                            "MATCH ?) ORDER BY created_at DESC, id DESC LIMIT ?")
                                 .arg(QString::fromLatin1(kColumns)),
                             {QStringLiteral("\"soft-9999\""), 50});
        benchmark::DoNotOptimize(drain(q));
    }
}
// The SQL for shorter queries, which trigrams cannot answer: a LIKE scan, column by column.
void shortFilterBaseline(benchmark::State& s) {
    fixture();
    QStringList likes;
    for (const char* c : {"software_id", "client_name", "url", "response_status", "error_class",
                          "error_text", "note", "failure_message", "tags", "client_id"})
        likes << QStringLiteral("CAST(%1 AS TEXT) LIKE ? ESCAPE '\\'").arg(QLatin1String(c));
    const QString sql = QStringLiteral("SELECT %1 FROM submissions WHERE (%2) "
                                       "ORDER BY created_at DESC, id DESC LIMIT ?")
                            .arg(QString::fromLatin1(kColumns), likes.join(QStringLiteral(" OR ")));
    QVariantList binds(10, QStringLiteral("%zq%"));
    binds << 50;
    for (auto _ : s) {
        QSqlQuery q = direct(*fixture().store, sql, binds);
        benchmark::DoNotOptimize(drain(q));
    }
}

void insertCompleteOurs(benchmark::State& s) {
    HttpExchange e;
    e.status = 200;
    e.responseBody = "{\"message\":\"ok\"}";
    const auto outcome = classifyResponse(200, {}, e.responseBody);
    SubmissionStart start;
    start.url = QStringLiteral("https://aspsp.example/register");
    start.requestJwt = QByteArray(900, 'a');
    start.softwareId = QStringLiteral("bench");
    Fixture& f = fixture();
    for (auto _ : s) {
        const qint64 id = *f.store->begin(start);
        benchmark::DoNotOptimize(f.store->complete(id, e, &outcome).ok());
    }
}
void insertCompleteBaseline(benchmark::State& s) {
    fixture();
    for (auto _ : s) {
        QSqlQuery q = direct(
            *fixture().store,
            QStringLiteral("INSERT INTO submissions (created_at, state, outcome, url, request_jwt, "
                           "software_id) VALUES (?, 'sending', 'sending', ?, ?, ?)"),
            {QDateTime::currentMSecsSinceEpoch(), QStringLiteral("https://aspsp.example/register"),
             QString(900, u'a'), QStringLiteral("bench")});
        const qint64 id = q.lastInsertId().toLongLong();
        QSqlQuery u = direct(
            *fixture().store,
            QStringLiteral("UPDATE submissions SET completed_at=?, state='completed', "
                           "outcome='accepted', response_status=200, response_body=? WHERE id=?"),
            {QDateTime::currentMSecsSinceEpoch(), QByteArray("{\"message\":\"ok\"}"), id});
        benchmark::DoNotOptimize(u.numRowsAffected());
    }
}

// 1,000,000 rows of the same shape on PostgreSQL, filled by one INSERT … SELECT on the server.
struct PgFixture {
    QTemporaryDir dir;
    dcr::test::PostgresCluster cluster;
    std::unique_ptr<HistoryStore> store;
    std::unique_ptr<HistoryReader> reader; // its own connection, on its own thread
    HistoryCursor secondPage;

    PgFixture() {
        const QString started = cluster.start();
        if (!started.isEmpty())
            qFatal("PostgreSQL: %s", qPrintable(started));
        QString error;
        const QString url = cluster.createDatabase(QStringLiteral("bench"), &error);
        if (url.isEmpty())
            qFatal("PostgreSQL: %s", qPrintable(error));
        HistoryOptions options;
        options.localPath = dir.filePath(QStringLiteral("local.sqlite"));
        auto opened = HistoryStore::open(url, options);
        if (!opened)
            qFatal("%s", qPrintable(opened.error().message));
        store = std::move(opened.value());
        const qint64 start = QDateTime::currentMSecsSinceEpoch() - kPgRows * 1000LL;
        QSqlQuery q(QSqlDatabase::database(store->connectionName()));
        const bool filled = q.exec(
            QStringLiteral(
                "INSERT INTO submissions (created_at, completed_at, state, profile, method, url, "
                "content_type, request_jwt, request_claims, software_id, client_name, "
                "response_status, response_body, outcome, error_class, error_text, elapsed_ms) "
                "SELECT %1 + i * 1000, %1 + i * 1000 + 40, 'completed', CASE WHEN i %% 2 = 1 "
                "THEN 'Bank A' ELSE 'Bank B' END, 'POST', 'https://aspsp' || (i %% 10) || "
                "'.example/register', 'application/jwt', repeat('a', 900), '{}', 'soft-' || i, "
                "'Client ' || (i %% 100), CASE WHEN i %% 4 = 0 THEN 406 ELSE 200 END, "
                "convert_to(CASE WHEN i %% 4 = 0 THEN '{\"tppMessages\":[{\"category\":"
                "\"Invalid\",\"code\":406,\"text\":\"scope not allowed\"}]}' ELSE "
                "'{\"message\":\"ok\"}' END, 'UTF8'), CASE WHEN i %% 4 = 0 THEN 'error' ELSE "
                "'accepted' END, CASE WHEN i %% 4 = 0 THEN 'Invalid' ELSE '' END, CASE WHEN "
                "i %% 4 = 0 THEN 'scope not allowed' ELSE '' END, 40 FROM generate_series(0, "
                "%2) AS i")
                .arg(start)
                .arg(kPgRows - 1)
                .replace(QStringLiteral("%%"), QStringLiteral("%")));
        if (!filled || !q.exec(QStringLiteral("ANALYZE submissions")))
            qFatal("filling PostgreSQL: %s", qPrintable(q.lastError().text()));
        secondPage = *store->page({}, std::nullopt, 50)->next;
        reader = std::make_unique<HistoryReader>(url, options);
    }
};

void destroyFixtures() {
    g_pgFixture.reset(); // stops the PostgreSQL server
    g_fixture.reset();
}

PgFixture& pgFixture() {
    if (!g_pgFixture) {
        g_pgFixture = std::make_unique<PgFixture>();
        qAddPostRoutine(destroyFixtures);
    }
    return *g_pgFixture;
}

// One request through the reader thread, waited for as the window's event loop would.
template <typename Request> void throughReader(benchmark::State& s, Request request) {
    HistoryReader& reader = *pgFixture().reader;
    for (auto _ : s) {
        QEventLoop loop;
        quint64 ticket = 0;
        bool failed = false;
        QObject::connect(&reader, &HistoryReader::answered, &loop,
                         [&](const HistoryAnswer& answer) {
                             if (answer.ticket != ticket)
                                 return;
                             failed = answer.error() != nullptr;
                             loop.quit();
                         });
        ticket = request(reader);
        loop.exec();
        if (failed) {
            s.SkipWithError("the history reader answered an error");
            break;
        }
    }
}
void pgFirstPageOurs(benchmark::State& s) {
    throughReader(
        s, [](HistoryReader& r) { return r.requestPage(HistoryLane::Page, {}, std::nullopt, 50); });
}
void pgNextPageOurs(benchmark::State& s) {
    const HistoryCursor after = pgFixture().secondPage;
    throughReader(
        s, [after](HistoryReader& r) { return r.requestPage(HistoryLane::More, {}, after, 50); });
}
void pgFilterOurs(benchmark::State& s, const QString& text) {
    throughReader(s, [text](HistoryReader& r) {
        return r.requestPage(HistoryLane::Page, {text, {}, {}, {}, {}}, std::nullopt, 50);
    });
}
void pgCountOurs(benchmark::State& s) {
    throughReader(s, [](HistoryReader& r) { return r.requestCount(HistoryLane::Count, {}); });
}

// The SQL the store runs for every text: ILIKE on the pg_trgm-indexed search text.
void pgFilterBaseline(benchmark::State& s, const QString& pattern) {
    const HistoryStore& store = *pgFixture().store;
    for (auto _ : s) {
        QSqlQuery q = direct(store,
                             QStringLiteral("SELECT %1 FROM submissions WHERE search_text ILIKE ? "
                                            "ESCAPE '\\' ORDER BY created_at DESC, id DESC "
                                            "LIMIT ?")
                                 .arg(QString::fromLatin1(kColumns)),
                             {pattern, 50});
        benchmark::DoNotOptimize(drain(q));
    }
}

} // namespace

BENCHMARK_CAPTURE(firstPageOurs, sqlite, fixture)->Name("history100k/first_page/ours");
BENCHMARK_CAPTURE(firstPageBaseline, sqlite, fixture)->Name("history100k/first_page/baseline");
BENCHMARK_CAPTURE(nextPageOurs, sqlite, fixture)->Name("history100k/next_page/ours");
BENCHMARK_CAPTURE(nextPageBaseline, sqlite, fixture)->Name("history100k/next_page/baseline");
BENCHMARK_CAPTURE(filterOurs, long, fixture, QStringLiteral("soft-9999"))
    ->Name("history100k/text_filter/ours");
BENCHMARK(filterBaseline)->Name("history100k/text_filter/baseline");
BENCHMARK_CAPTURE(filterOurs, short, fixture, QStringLiteral("zq"))
    ->Name("history100k/text_filter_2_chars/ours");
BENCHMARK(shortFilterBaseline)->Name("history100k/text_filter_2_chars/baseline");
BENCHMARK_CAPTURE(countOurs, sqlite, fixture)->Name("history100k/count/ours");
BENCHMARK_CAPTURE(countBaseline, sqlite, fixture)->Name("history100k/count/baseline");
BENCHMARK(insertCompleteOurs)->Name("history100k/insert+complete/ours");
BENCHMARK(insertCompleteBaseline)->Name("history100k/insert+complete/baseline");

BENCHMARK(pgFirstPageOurs)->Name("history1m_postgresql/first_page/ours");
BENCHMARK_CAPTURE(firstPageBaseline, pg, pgFixture)
    ->Name("history1m_postgresql/first_page/baseline");
BENCHMARK(pgNextPageOurs)->Name("history1m_postgresql/next_page/ours");
BENCHMARK_CAPTURE(nextPageBaseline, pg, pgFixture)->Name("history1m_postgresql/next_page/baseline");
BENCHMARK_CAPTURE(pgFilterOurs, long, QStringLiteral("soft-9999"))
    ->Name("history1m_postgresql/text_filter/ours");
BENCHMARK_CAPTURE(pgFilterBaseline, long, QStringLiteral("%soft-9999%"))
    ->Name("history1m_postgresql/text_filter/baseline");
BENCHMARK_CAPTURE(pgFilterOurs, three, QStringLiteral("999"))
    ->Name("history1m_postgresql/text_filter_3_chars/ours");
BENCHMARK_CAPTURE(pgFilterBaseline, three, QStringLiteral("%999%"))
    ->Name("history1m_postgresql/text_filter_3_chars/baseline");
BENCHMARK_CAPTURE(pgFilterOurs, short, QStringLiteral("zq"))
    ->Name("history1m_postgresql/text_filter_2_chars/ours");
BENCHMARK_CAPTURE(pgFilterBaseline, short, QStringLiteral("%zq%"))
    ->Name("history1m_postgresql/text_filter_2_chars/baseline");
BENCHMARK(pgCountOurs)->Name("history1m_postgresql/count/ours");
BENCHMARK_CAPTURE(countBaseline, pg, pgFixture)->Name("history1m_postgresql/count/baseline");

DCR_BENCHMARK_MAIN()
