#include "TestPlan.h"

#include "common/ControlCharacters.h"
#include "common/LocalFile.h"
#include "common/Utf8.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

// The plan resource lives in the dcr_testplan static library: registering it here pulls its
// object file into every program that asks for the built-in plan (dcrctl, the console, tests).
// Q_INIT_RESOURCE must be used outside any namespace.
static void initPlanResources() {
    Q_INIT_RESOURCE(plans);
}

namespace dcr {

namespace {

// The built-in plan (resources/plans/builtin.json). Each scenario names its source and quotes the
// passage its expectations rest on. Expectations per spec family:
// * seed: the seed's Related Errors table ("RequestFormatInvalid 400 Request format is wrong",
//   "WrongRequiredFields 401 Specified required fields were not provided", "AccessDenied 401
//   Action you want to perform is not allowed", "NotFound 404 A resource could not be found",
//   "Invalid 406 Given data is invalid") with the per-claim "Can raise" lists.
// * obie: OBIE DCR 3.x registers with RFC 7591, whose section 3.2.2 says "the authorization
//   server returns an HTTP 400 status code (unless otherwise specified)" and names the codes
//   invalid_redirect_uri, invalid_client_metadata, invalid_software_statement and
//   unapproved_software_statement. A class is demanded only where RFC 7591 names one for the
//   case; elsewhere just the 400 the conformance tool asserts (AssertStatusCodeBadRequest).
// The UK conformance tool (github.com/OpenBankingUK/conformance-dcr, pkg/compliant/dcr32.go)
// numbers its scenarios DCR-001..DCR-011 (no DCR-006). DCR-002 (register), DCR-004 (five
// invalid registration requests) and DCR-011 (wrong response_types) are single requests. 003
// (delete, then a read that must fail), 005 (retrieve), 007 (retrieve with an invalid token) and
// 008 (update) are the lifecycle steps at the end, run on the client lifecycle-register made;
// 009 (update a deleted client) and 010 (retrieve a deleted client: the same request as DCR-003's
// last one, so it shares that scenario) follow the delete. 001 checks the OpenID configuration.
// DCR-006 was removed from the tool as a duplicate (its release notes for v1.2.0).
// The OpenID Foundation's Brazil DCR plan (conformance suite, fapi1-advanced-final-brazil-dcr-*)
// adds the transport negatives: no client certificate (no-mtls) and one that should not be
// trusted (bad-mtls), for the registration and for the client configuration endpoint's GET and
// DELETE; its no-software-statement, invalid-software-statement-signature, invalid-redirect-uri
// and invalid-registration-access-token modules match scenarios named below. Its expectation is
// the "refused" result: "the server must reject the registration attempt, either by refusing the
// TLS negotiation or returning a valid error response".
const char kBuiltInPlanPath[] = ":/plans/builtin.json";

} // namespace

Result<TestPlan> TestPlan::fromJson(const QByteArray& json) {
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorKind::JsonInvalid, s("the plan is not JSON: %1 at offset %2")
                                                 .arg(parseError.errorString())
                                                 .arg(parseError.offset)};
    if (!doc.isObject() || !doc.object().value(s("scenarios")).isArray())
        return Error{ErrorKind::JsonInvalid,
                     s("scenarios: a plan is an object with a \"scenarios\" array")};
    TestPlan plan;
    plan.name = doc.object().value(s("name")).toString();
    if (auto printable = checkPrintableName(plan.name, s("the plan name")); !printable)
        return Error{ErrorKind::JsonInvalid, s("name: ") + printable.error().message};
    const QJsonArray scenarios = doc.object().value(s("scenarios")).toArray();
    if (scenarios.isEmpty())
        return Error{ErrorKind::JsonInvalid, s("scenarios: the plan has no scenarios")};
    QSet<QString> ids;
    for (qsizetype i = 0; i < scenarios.size(); ++i) {
        const QString id = scenarios.at(i).toObject().value(s("id")).toString();
        const QString where =
            id.isEmpty() ? s("scenario #%1").arg(i + 1) : s("scenario #%1 (%2)").arg(i + 1).arg(id);
        auto scenario = TestScenario::fromJson(scenarios.at(i));
        if (!scenario)
            return Error{scenario.error().kind, s("%1: %2").arg(where, scenario.error().message)};
        if (ids.contains(scenario->id))
            return Error{ErrorKind::JsonInvalid,
                         s("%1: id: \"%2\" is used by an earlier scenario").arg(where, id)};
        ids.insert(scenario->id);
        plan.scenarios << *scenario;
    }
    return plan;
}

Result<TestPlan> TestPlan::load(const QString& path) {
    auto bytes = readLocalFile(path, MaxPlanSize);
    if (!bytes)
        return Error{bytes.error().kind, s("cannot read the plan: %1").arg(bytes.error().message)};
    auto plan = fromJson(*bytes);
    if (!plan)
        return Error{plan.error().kind, s("%1: %2").arg(path, plan.error().message)};
    if (plan->name.isEmpty())
        plan->name = path.section(u'/', -1);
    return plan;
}

const TestPlan& TestPlan::builtIn() {
    static const TestPlan plan = [] {
        initPlanResources();
        QFile file(s(kBuiltInPlanPath));
        const bool opened = file.open(QIODevice::ReadOnly);
        Q_ASSERT_X(opened, "TestPlan::builtIn", "the built-in plan is a compiled-in resource");
        auto parsed = fromJson(file.readAll());
        Q_ASSERT_X(parsed.ok(), "TestPlan::builtIn", "the built-in plan must parse");
        return parsed ? *parsed : TestPlan{};
    }();
    return plan;
}

QJsonObject TestPlan::toJson() const {
    QJsonArray list;
    for (const auto& scenario : scenarios)
        list.append(scenario.toJson());
    return {{s("name"), name}, {s("scenarios"), list}};
}

} // namespace dcr
