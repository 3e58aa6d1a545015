#include "SeedAnswers.h"

namespace dcr {

const QList<SeedClaimAnswer>& seedClaimAnswers() {
    auto s = [](const char* t) { return QString::fromUtf8(t); };
    static const QList<SeedClaimAnswer> all = {
        // iss: "Can raise: WrongRequiredFields, RequestFormatInvalid"
        {s("iss"),
         s("WrongRequiredFields"),
         s("RequestFormatInvalid"),
         {s("WrongRequiredFields"), s("RequestFormatInvalid")},
         s("not Base62 or not the SSA's software_id")},
        // software_statement: "Can raise: NotFound, Invalid, WrongRequiredFields, AccessDenied"
        {s("software_statement"),
         s("WrongRequiredFields"),
         s("Invalid"),
         {s("NotFound"), s("Invalid"), s("WrongRequiredFields"), s("AccessDenied")},
         s("not a JWT or an invalid SSA: Invalid; not signed by the directory: AccessDenied; "
           "unknown software_id: NotFound")},
        {s("*"),
         s("WrongRequiredFields"),
         s("Invalid"),
         {},
         s("the seed lists no \"Can raise\"; Related Errors: 401 for missing required fields, 406 "
           "for invalid data")},
    };
    return all;
}

const SeedClaimAnswer& seedAnswerFor(const QString& claim) {
    for (const auto& answer : seedClaimAnswers())
        if (answer.claim == claim)
            return answer;
    return seedClaimAnswers().last();
}

QString seedErrorClassFor(const PreflightFinding& finding) {
    const SeedClaimAnswer& answer = seedAnswerFor(finding.claim);
    return finding.rule == QStringLiteral("required-claim") ? answer.whenMissing
                                                            : answer.whenInvalid;
}

} // namespace dcr
