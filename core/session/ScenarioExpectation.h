#pragma once

#include "common/Result.h"
#include "registration/RegistrationOutcome.h"

#include <QJsonObject>

#include <optional>

namespace dcr {

// What a scenario expects the ASPSP to answer under one spec: accepted (a success outcome), or
// rejected with a 4xx status, optionally a given status and error class (the seed's Related
// Errors class, or an RFC 7591 / OBIE error code). A spec that names no class for a case gets
// just "rejected": demanding more would fail honest ASPSPs.
struct ScenarioExpectation {
    bool accepted = false;
    int httpStatus = 0; // 0: any 2xx (accepted) or any 4xx (rejected)
    QString errorClass; // empty: any

    // {"result": "accepted"|"rejected", "status": 401, "class": "WrongRequiredFields"}, or the
    // bare strings "accepted" and "rejected". Errors name the field.
    static Result<ScenarioExpectation> fromJson(const QJsonValue& json);
    QJsonObject toJson() const;
    QString describe() const; // "401 WrongRequiredFields", "rejected (any 4xx)", "accepted"

    // Why the classified answer does not meet the expectation; nullopt when it does.
    std::optional<QString> mismatch(const RegistrationOutcome& outcome) const;
};

// What a classified answer was, in the terms describe() uses: "200 accepted", "406 Invalid".
QString describeOutcome(const RegistrationOutcome& outcome);

} // namespace dcr
