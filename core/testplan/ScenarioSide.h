#pragma once

#include "TestRunSummary.h"

#include <QJsonObject>

namespace dcr {

// One run's side of a scenario in a comparison (TestRunDiff): its verdict and the ASPSP's answer
// as the run recorded them. The response body, got and reason are kept as the run had them and
// masked whenever shown (toJson, reports, shownGot, shownReason).
struct ScenarioSide {
    Verdict verdict = Verdict::Skipped;
    QString expected;
    QString got;    // "401 WrongRequiredFields", "no answer within 30 s", "not sent"
    QString reason; // why it failed (empty when passed)
    int httpStatus = 0;
    bool transportFailure = false;
    QByteArray responseContentType;
    QByteArray responseBody;
    QList<qint64> historyIds;

    static ScenarioSide of(const ScenarioResult& result);

    // Failed or error: what a regression report counts against the ASPSP.
    bool failing() const;
    // Whether the ASPSP's answer differs from the other side's: another HTTP status, another
    // error code or class (what `got` names after the status), or an answer on one side and a
    // transport failure on the other. Two transport failures are the same answer (no answer),
    // whatever their messages say (ports, timings).
    bool answerDiffers(const ScenarioSide& other) const;

    // got and reason as every view shows them: a secret the bank wrote into its error text
    // (client_secret=…) masked, or the withheld notice when it cannot be located.
    QString shownGot() const;
    QString shownReason() const;

    QJsonObject toJson() const; // secrets masked
};

} // namespace dcr
