#include "ScenarioSide.h"

#include "common/Utf8.h"
#include "registration/SecretScanner.h"
#include "transport/HttpExchange.h"

#include <QJsonArray>

namespace dcr {

ScenarioSide ScenarioSide::of(const ScenarioResult& result) {
    ScenarioSide side;
    side.verdict = result.verdict;
    side.expected = result.expected;
    side.got = result.got;
    side.reason = result.reason;
    side.httpStatus = result.httpStatus;
    side.transportFailure = result.transportFailure;
    side.responseContentType = result.responseContentType;
    side.responseBody = result.responseBody;
    side.historyIds = result.historyIds;
    return side;
}

bool ScenarioSide::failing() const {
    return verdict == Verdict::Failed || verdict == Verdict::Error;
}

bool ScenarioSide::answerDiffers(const ScenarioSide& other) const {
    if (transportFailure != other.transportFailure)
        return true;
    if (transportFailure)
        return false;
    return httpStatus != other.httpStatus || got != other.got;
}

QString ScenarioSide::shownGot() const {
    return SecretScanner::maskText(got);
}

QString ScenarioSide::shownReason() const {
    return SecretScanner::maskText(reason);
}

QJsonObject ScenarioSide::toJson() const {
    QJsonArray ids;
    for (qint64 id : historyIds)
        ids.append(static_cast<double>(id));
    QJsonObject o{{s("verdict"), verdictName(verdict)},
                  {s("expected"), expected},
                  {s("got"), shownGot()},
                  {s("status"), httpStatus},
                  {s("history_ids"), ids}};
    if (!reason.isEmpty())
        o.insert(s("reason"), shownReason());
    if (transportFailure)
        o.insert(s("transport_failure"), true);
    if (!responseBody.isEmpty())
        o.insert(s("response_body"),
                 QString::fromUtf8(maskSecretsInBody(responseBody, responseContentType)));
    return o;
}

} // namespace dcr
