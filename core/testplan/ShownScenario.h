#pragma once

#include "TestRunSummary.h"

#include <QJsonObject>
#include <QString>

namespace dcr {

// A scenario result as every report shows it, secrets masked: the saved run's (and --json's)
// object, and the texts the HTML report prints for the request claims and the response. A long
// run keeps these on disk (ResultDetailsSpool) instead of the raw details, so the reports read
// exactly what they would have computed.
struct ShownScenario {
    QJsonObject json;           // ScenarioResult::toJson()
    QString claimsText;         // masked request claims, indented JSON; empty when none
    QString requestContentType; // of the request claims
    QString responseText;       // masked response, pretty-printed when JSON; empty without status

    static ShownScenario of(const ScenarioResult& result);
    // One line of JSON (no raw newline: JSON escapes them), for the spool file.
    QByteArray toLine() const;
    static Result<ShownScenario> fromLine(const QByteArray& line);
};

} // namespace dcr
