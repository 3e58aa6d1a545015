#pragma once

#include "PreflightFinding.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace dcr {

// How a seed-contract ASPSP answers a claim that is missing or wrong: the seed's per-claim
// "Can raise" lists, and for claims with no such list the "Related Errors" table's general
// meaning (WrongRequiredFields 401 "Specified required fields were not provided", Invalid 406
// "Given data is invalid"). The sandbox answers from this table and docs/reference.md shows it.
struct SeedClaimAnswer {
    QString claim;        // "*" for every claim without its own row
    QString whenMissing;  // Related Errors class when the claim is missing or empty
    QString whenInvalid;  // Related Errors class when the claim is present but wrong
    QStringList canRaise; // the seed's "Can raise" list, verbatim; empty when it lists none
    QString note;
};

const QList<SeedClaimAnswer>& seedClaimAnswers();
const SeedClaimAnswer& seedAnswerFor(const QString& claim);
// The Related Errors class a seed ASPSP answers a preflight error with.
QString seedErrorClassFor(const PreflightFinding& finding);

} // namespace dcr
