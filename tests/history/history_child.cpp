// Child process for the history tests. LOCATION is a file path or a postgresql:// URL; a shared
// history keeps its outbox and secrets in $DCR_TEST_HISTORY_LOCAL.
//   history_child write LOCATION COUNT TAG   — writes COUNT completed submissions tagged TAG
//   history_child submit-loop LOCATION URL   — records and sends requests to URL until killed
//   history_child begin LOCATION TAG         — records one submission as "sending" and exits
//   history_child hold LOCATION TAG          — the same, prints its id, then waits to be killed
//   history_child register LOCATION TAG SECRET — records one registration whose answer carries
//                                              client_secret SECRET, prints its id and ends at
//                                              once, as a crash would: no event loop runs after
//                                              the write (the keychain never gets its copy)
//   history_child register-flush LOCATION TAG SECRET — the same, but waits for the keychain
//                                              (HistoryStore::flushSecrets, as dcrctl does before
//                                              it exits) first; exit code 3 when it did not answer
//   history_child forget LOCATION ID           — forgets row ID's secrets and ends at once, before
//                                              the keychain confirms the delete
// Environment: DCR_TEST_HISTORY_BUSY_MS overrides the busy wait (default 20000 here);
// DCR_TEST_BARRIER=1 makes the child print "ready" and wait for a line (or the end) on its stdin
// before it opens the history, so that a test can start many children at the same moment
// (#21.16).
#include "history/HistoryStore.h"
#include "transport/RegistrationClient.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <cstdio>
#include <cstdlib>

using namespace dcr;

namespace {

int writeCompleted(HistoryStore& store, int count, const QString& tag) {
    for (int i = 0; i < count; ++i) {
        SubmissionStart s;
        s.url = QStringLiteral("https://bank.example/register");
        s.softwareId = tag + QStringLiteral("-%1").arg(i);
        auto id = store.begin(s);
        if (!id) {
            fprintf(stderr, "%s\n", qPrintable(id.error().message));
            return 1;
        }
        HttpExchange e;
        e.status = 200;
        e.responseBody = "{\"message\":\"ok\"}";
        auto outcome = classifyResponse(200, {}, e.responseBody);
        if (auto ok = store.complete(*id, e, &outcome); !ok) {
            fprintf(stderr, "%s\n", qPrintable(ok.error().message));
            return 1;
        }
    }
    return 0;
}

int submitLoop(HistoryStore& store, const QUrl& url) {
    RegistrationClient client;
    for (;;) {
        SubmissionStart s;
        s.url = url.toString();
        s.softwareId = QStringLiteral("loop");
        auto id = store.begin(s);
        if (!id)
            return 1;
        QEventLoop loop;
        HttpExchange result;
        QObject::connect(&client, &RegistrationClient::finished, &loop,
                         [&](quint64, const HttpExchange& e) {
                             result = e;
                             loop.quit();
                         });
        client.send(
            "POST", url,
            {{"Content-Type", "application/jwt"}, {"X-Submission-Id", QByteArray::number(*id)}},
            "x.y.z");
        loop.exec();
        QObject::disconnect(&client, nullptr, &loop, nullptr);
        auto outcome = classifyResponse(result.status, result.responseHeaders, result.responseBody);
        (void)store.complete(*id, result, &outcome); // a crash test: the parent checks the rows
    }
}

int registerAndVanish(HistoryStore& store, const QString& tag, const QByteArray& secret,
                      bool flush) {
    SubmissionStart s;
    s.profile = QStringLiteral("Bank");
    s.url = QStringLiteral("https://bank.example/register");
    s.softwareId = tag;
    auto id = store.begin(s);
    if (!id) {
        fprintf(stderr, "%s\n", qPrintable(id.error().message));
        return 1;
    }
    HttpExchange e;
    e.status = 201;
    e.responseBody = "{\"client_id\":\"" + tag.toUtf8() + "\",\"client_secret\":\"" + secret +
                     "\",\"registration_access_token\":\"rat-" + secret + "\"}";
    e.responseHeaders = {{"Content-Type", "application/json"}};
    auto outcome = classifyResponse(201, e.responseHeaders, e.responseBody);
    if (auto ok = store.complete(*id, e, &outcome); !ok) {
        fprintf(stderr, "%s\n", qPrintable(ok.error().message));
        return 1;
    }
    if (flush)
        if (auto flushed = store.flushSecrets(10000); !flushed) {
            fprintf(stderr, "%s\n", qPrintable(flushed.error().message));
            std::_Exit(3);
        }
    printf("%lld\n", static_cast<long long>(*id));
    fflush(stdout);
    std::_Exit(0); // no destructor, no event loop: what a crash leaves
}

int forgetAndVanish(HistoryStore& store, qint64 id) {
    if (auto ok = store.forgetSecrets({id}); !ok) {
        fprintf(stderr, "%s\n", qPrintable(ok.error().message));
        return 1;
    }
    std::_Exit(0); // before the keychain's answer to the delete
}

// A start barrier: "ready" on stdout, then block until the parent writes a line to stdin (or
// closes it, or dies): no polling, every child wakes as soon as its "go" arrives.
void waitForGo() {
    if (qEnvironmentVariableIntValue("DCR_TEST_BARRIER") != 1)
        return;
    printf("ready\n");
    fflush(stdout);
    char line[16];
    if (!fgets(line, sizeof line, stdin))
        return; // stdin closed: go as well
}

} // namespace

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 4)
        return 2;
    HistoryOptions options;
    bool busyGiven = false;
    const int busyMs = qEnvironmentVariableIntValue("DCR_TEST_HISTORY_BUSY_MS", &busyGiven);
    options.busyTimeoutMs = busyGiven ? busyMs : 20000;
    waitForGo();
    options.localPath = qEnvironmentVariable("DCR_TEST_HISTORY_LOCAL");
    auto store = HistoryStore::open(args[2], options);
    if (!store) {
        fprintf(stderr, "%s\n", qPrintable(store.error().message));
        return 1;
    }
    if (args[1] == QLatin1String("write") && args.size() >= 5)
        return writeCompleted(**store, args[3].toInt(), args[4]);
    if (args[1] == QLatin1String("register") && args.size() >= 5)
        return registerAndVanish(**store, args[3], args[4].toUtf8(), false);
    if (args[1] == QLatin1String("register-flush") && args.size() >= 5)
        return registerAndVanish(**store, args[3], args[4].toUtf8(), true);
    if (args[1] == QLatin1String("forget"))
        return forgetAndVanish(**store, args[3].toLongLong());
    if (args[1] == QLatin1String("submit-loop"))
        return submitLoop(**store, QUrl(args[3]));
    if (args[1] == QLatin1String("begin") || args[1] == QLatin1String("hold")) {
        SubmissionStart s;
        s.softwareId = args[3];
        auto id = (*store)->begin(s);
        if (!id) {
            fprintf(stderr, "%s\n", qPrintable(id.error().message));
            return 1;
        }
        printf("%lld\n", static_cast<long long>(*id));
        fflush(stdout);
        if (args[1] == QLatin1String("hold"))
            return QCoreApplication::exec(); // nothing to do: waits to be killed
        return 0;
    }
    return 2;
}
