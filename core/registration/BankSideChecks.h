#pragma once

#include "BankCheck.h"
#include "Preflight.h"
#include "RequestInspection.h"

#include <QDateTime>
#include <QUrl>

#include <optional>

namespace dcr {

// The checks a bank runs on a registration request it received, against the request's own SSA:
// the SSA's age (iat, exp), redirect_uris a subset of the SSA's, scope within what the SSA's roles
// allow, software_id and iss equal to the SSA's, the request's signature against the SSA's
// software_jwks (by value; the software_jwks_endpoint only when a person fetched it) and the
// subject DN claim against a transport certificate the person gave.
//
// Where preflight already has the rule (redirect-in-ssa, scope-roles, software-id-match,
// iss-software-id, ssa-iat-future, ssa-expired, subject-dn-*), the check shows that rule's
// findings from the inspection. Where preflight's rule skips input (a relative or non-string
// redirect URI, absent redirect_uris, a missing or non-string iss, a non-integer or string exp),
// the check compares by itself as well, so such input fails rather than passes. The request's
// signature passes only when the SSA naming the keys is itself verified. Nothing here reads a file
// or the network: what is not in the request, its SSA or the inputs given is "not checked", and
// says what would check it.
class BankSideChecks {
public:
    // inspection: the received request as inspected under options (the inspector's preflight
    // options: a transport certificate there is what the subject DN is compared with), with
    // InspectionOptions::requestKeysFromSsa, so its signature verdict is the SSA keys' one.
    static QList<BankCheck> run(const RequestInspection& inspection,
                                const PreflightOptions& options, const QDateTime& now);

    // The SSA's software_jwks_endpoint as a URL that may be fetched: absolute and https (a key
    // set fetched in the clear proves nothing). An error says why not (no SSA, no endpoint, the
    // keys are already there by value, not https).
    static Result<QUrl> softwareJwksEndpoint(const RequestInspection& inspection);

    // Each check's id and its quoted rule, in the group's order.
    static QString ruleFor(const QString& checkId);
    static QStringList checkIds();
};

} // namespace dcr
