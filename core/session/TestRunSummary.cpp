#include "TestRunSummary.h"

#include "transport/HttpExchange.h"

#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace dcr {

namespace {

QString s(const char* text) {
    return QString::fromUtf8(text);
}

} // namespace

QString verdictName(Verdict verdict) {
    switch (verdict) {
    case Verdict::Passed:
        return s("passed");
    case Verdict::Failed:
        return s("failed");
    case Verdict::Skipped:
        return s("skipped");
    case Verdict::Error:
        return s("error");
    }
    return {};
}

QJsonObject ScenarioResult::toJson() const {
    QJsonArray ids;
    for (qint64 id : historyIds)
        ids.append(static_cast<double>(id));
    QJsonObject o{{s("id"), scenarioId},
                  {s("title"), title},
                  {s("source"), source},
                  {s("mutations"), mutations},
                  {s("verdict"), verdictName(verdict)},
                  {s("expected"), expected},
                  {s("got"), got},
                  {s("history_ids"), ids},
                  {s("elapsed_ms"), static_cast<double>(elapsedMs)}};
    if (!reason.isEmpty())
        o.insert(s("reason"), reason);
    if (!requestClaims.isEmpty())
        o.insert(s("request_claims"),
                 QJsonDocument::fromJson(maskSecretsInJson(QJsonDocument(requestClaims).toJson()))
                     .object());
    if (httpStatus) {
        o.insert(s("status"), httpStatus);
        o.insert(s("response_body"),
                 QString::fromUtf8(maskSecretsInBody(responseBody, responseContentType)));
    }
    return o;
}

int TestRunSummary::count(Verdict verdict) const {
    return static_cast<int>(std::count_if(results.begin(), results.end(),
                                          [&](const auto& r) { return r.verdict == verdict; }));
}

bool TestRunSummary::allMet() const {
    return !cancelled && stopReason.isEmpty() && count(Verdict::Failed) == 0 &&
           count(Verdict::Error) == 0;
}

bool TestRunSummary::unreachable() const {
    bool anyFailure = false;
    for (const auto& r : results) {
        if (r.httpStatus)
            return false;
        anyFailure = anyFailure || r.transportFailure;
    }
    return anyFailure;
}

QJsonObject TestRunSummary::toJson() const {
    QJsonArray list;
    for (const auto& r : results)
        list.append(r.toJson());
    return {{s("run_id"), runId},
            {s("plan"), planName},
            {s("profile"), profile},
            {s("spec"), spec},
            {s("started"), started.toUTC().toString(Qt::ISODateWithMs)},
            {s("finished"), finished.toUTC().toString(Qt::ISODateWithMs)},
            {s("cancelled"), cancelled},
            {s("stop_reason"), stopReason},
            {s("passed"), count(Verdict::Passed)},
            {s("failed"), count(Verdict::Failed)},
            {s("skipped"), count(Verdict::Skipped)},
            {s("errors"), count(Verdict::Error)},
            {s("results"), list}};
}

} // namespace dcr
