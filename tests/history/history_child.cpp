// Child process for tst_history:
//   history_child write DB COUNT TAG      — writes COUNT completed submissions tagged TAG
//   history_child submit-loop DB URL      — records and sends requests to URL until killed
#include "history/HistoryStore.h"
#include "transport/RegistrationClient.h"

#include <QCoreApplication>
#include <QEventLoop>

#include <cstdio>

using namespace dcr;

int main(int argc, char** argv) {
    QCoreApplication app(argc, argv);
    const QStringList args = QCoreApplication::arguments();
    if (args.size() < 4)
        return 2;
    auto store = HistoryStore::open(args[2], 20000);
    if (!store) {
        fprintf(stderr, "%s\n", qPrintable(store.error().message));
        return 1;
    }
    if (args[1] == QLatin1String("write")) {
        const int count = args[3].toInt();
        for (int i = 0; i < count; ++i) {
            SubmissionStart s;
            s.url = QStringLiteral("https://bank.example/register");
            s.softwareId = args[4] + QStringLiteral("-%1").arg(i);
            auto id = (*store)->begin(s);
            if (!id) {
                fprintf(stderr, "%s\n", qPrintable(id.error().message));
                return 1;
            }
            HttpExchange e;
            e.status = 200;
            e.responseBody = "{\"message\":\"ok\"}";
            auto outcome = classifyResponse(200, {}, e.responseBody);
            if (auto ok = (*store)->complete(*id, e, &outcome); !ok) {
                fprintf(stderr, "%s\n", qPrintable(ok.error().message));
                return 1;
            }
        }
        return 0;
    }
    if (args[1] == QLatin1String("submit-loop")) {
        RegistrationClient client;
        const QUrl url(args[3]);
        for (;;) {
            SubmissionStart s;
            s.url = url.toString();
            s.softwareId = QStringLiteral("loop");
            auto id = (*store)->begin(s);
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
            auto outcome =
                classifyResponse(result.status, result.responseHeaders, result.responseBody);
            (void)(*store)->complete(*id, result,
                                     &outcome); // a crash test: the parent checks the file
        }
    }
    return 2;
}
