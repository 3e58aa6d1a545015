#include "TestPlan.h"

#include "common/ControlCharacters.h"
#include "common/LocalFile.h"
#include "common/Utf8.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dcr {

namespace {

// The built-in plan. Each scenario names its source and quotes the passage its expectations rest
// on. Expectations per spec family:
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
const char kBuiltInPlan[] = R"json({
"name": "built-in",
"scenarios": [
{"id": "DCR-001-discovery", "title": "The OpenID configuration advertises a valid registration endpoint",
 "source": "conformance-dcr DCR-001 'Validate OIDC Config Registration URL'",
 "quote": "conformance-dcr step 'Registration Endpoint Validate': 'registration endpoint is missing' / 'registration endpoint %s is invalid' (url.ParseRequestURI); OpenID Connect Discovery 1.0 section 3: 'registration_endpoint RECOMMENDED. URL of the OP's Dynamic Client Registration Endpoint'; RFC 7591 section 3: 'The client registration endpoint MUST be protected by a transport-layer security mechanism' (so an absolute https URL with a host)",
 "step": "discovery",
 "expect": {"any": "accepted"}},

{"id": "DCR-002-register", "title": "A valid registration request is accepted",
 "source": "conformance-dcr DCR-002 'Dynamically create a new software client'",
 "quote": "seed: 'Upon successful request, 200 status code will be returned.' RFC 7591 3.2.1: a successful registration is answered 201 Created (conformance-dcr asserts AssertStatusCodeCreated)",
 "mutations": [],
 "expect": {"seed": {"result": "accepted", "status": 200}, "obie": {"result": "accepted", "status": 201}}},

{"id": "DCR-004-expired", "title": "Expired claims (exp an hour ago) are refused",
 "source": "conformance-dcr DCR-004 'Register software client fails on expired claims'",
 "quote": "seed exp: 'The time at which the request expires expressed as seconds since the epoch' (no 'Can raise' list, so the general 'Invalid 406 Given data is invalid', our reading). conformance-dcr: WithJwtExpiration(-time.Hour), AssertStatusCodeBadRequest",
 "mutations": [{"kind": "time", "claim": "exp", "seconds": -3600}],
 "expect": {"seed": {"result": "rejected", "status": 406, "class": "Invalid"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "DCR-004-issuer-invalid", "title": "An issuer that is no Base62 GUID ('foo.is/invalid') is refused",
 "source": "conformance-dcr DCR-004 'Register software client fails on invalid issuer'",
 "quote": "seed iss: 'The value must be a Base62 encoded GUID. For SSAs issued by the OB Directory, this must be the software_id.' Can raise: WrongRequiredFields, RequestFormatInvalid ('RequestFormatInvalid 400 Request format is wrong')",
 "mutations": [{"kind": "set", "claim": "iss", "value": "foo.is/invalid"}],
 "expect": {"seed": {"result": "rejected", "status": 400, "class": "RequestFormatInvalid"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "DCR-004-issuer-empty", "title": "An empty issuer is refused",
 "source": "conformance-dcr DCR-004 'Register software client fails on invalid issuer too short'",
 "quote": "seed iss: 'string, required', Can raise: WrongRequiredFields ('WrongRequiredFields 401 Specified required fields were not provided')",
 "mutations": [{"kind": "set", "claim": "iss", "value": ""}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "DCR-004-issuer-too-long", "title": "A 30-character issuer (longer than a Base62 GUID) is refused",
 "source": "conformance-dcr DCR-004 'Register software client fails on invalid issuer too long'",
 "quote": "seed iss: 'The value must be a Base62 encoded GUID' (at most 22 characters); Can raise: RequestFormatInvalid ('RequestFormatInvalid 400 Request format is wrong')",
 "mutations": [{"kind": "set", "claim": "iss", "value": "123456789012345678901234567890"}],
 "expect": {"seed": {"result": "rejected", "status": 400, "class": "RequestFormatInvalid"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "DCR-004-token-auth-RS256", "title": "token_endpoint_auth_signing_alg RS256",
 "source": "conformance-dcr DCR-004 'Register software client will fail with token endpoint auth method RS256'",
 "quote": "seed token_endpoint_auth_signing_alg: 'Allowed values: RS256, PS256' (so the seed accepts it); OBIE follows FAPI 1.0 Advanced 8.6 'shall use PS256 or ES256', and conformance-dcr asserts AssertStatusCodeBadRequest",
 "mutations": [{"kind": "set", "claim": "token_endpoint_auth_signing_alg", "value": "RS256"}],
 "expect": {"seed": {"result": "accepted", "status": 200}, "obie": {"result": "rejected", "status": 400}}},

{"id": "DCR-011-response-types", "title": "response_types [\"id_token\", \"token\"] is refused",
 "source": "conformance-dcr DCR-011 'When I try to register a software with invalid response_types it should be fail'",
 "quote": "seed response_types: 'Allowed values: code'; Related Errors: 'Invalid 406 Given data is invalid'. conformance-dcr: WithResponseTypes([]string{\"id_token\", \"token\"}), AssertStatusCodeBadRequest; RFC 7591 3.2.2 invalid_client_metadata: 'The value of one of the client metadata fields is invalid'",
 "mutations": [{"kind": "set", "claim": "response_types", "value": ["id_token", "token"]}],
 "expect": {"seed": {"result": "rejected", "status": 406, "class": "Invalid"}, "obie": {"result": "rejected", "status": 400, "class": "invalid_client_metadata"}}},

{"id": "seed-missing-iss", "title": "No iss", "source": "seed: iss 'string, required', Related Errors WrongRequiredFields",
 "quote": "iss Can raise: WrongRequiredFields; 'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "iss"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "seed-missing-iat", "title": "No iat", "source": "seed: iat 'integer, required', Related Errors WrongRequiredFields",
 "quote": "'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "iat"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "seed-missing-exp", "title": "No exp", "source": "seed: exp 'integer, required', Related Errors WrongRequiredFields",
 "quote": "'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "exp"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "seed-missing-aud", "title": "No aud", "source": "seed: aud 'string, required', Related Errors WrongRequiredFields",
 "quote": "'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "aud"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "seed-missing-grant_types", "title": "No grant_types", "source": "seed: grant_types 'array, required', Related Errors WrongRequiredFields",
 "quote": "'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "grant_types"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "seed-missing-redirect_uris", "title": "No redirect_uris", "source": "seed: redirect_uris 'array, required', Related Errors WrongRequiredFields",
 "quote": "'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "redirect_uris"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},
{"id": "ssa-missing", "title": "No software statement", "source": "seed: software_statement 'string, required', Related Errors WrongRequiredFields; OIDF Brazil DCR no-software-statement",
 "quote": "software_statement Can raise: NotFound, Invalid, WrongRequiredFields, AccessDenied; 'WrongRequiredFields 401 Specified required fields were not provided.'",
 "mutations": [{"kind": "remove", "claim": "software_statement"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "WrongRequiredFields"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "ssa-invalid-signature", "title": "A software statement whose signature does not verify is refused",
 "source": "OIDF Brazil DCR invalid-software-statement-signature; seed software_statement 'Can raise: AccessDenied'",
 "quote": "seed: 'AccessDenied 401 Action you want to perform is not allowed'; RFC 7591 3.2.2: 'invalid_software_statement The software statement presented is invalid.'",
 "mutations": [{"kind": "tamper_ssa_signature"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "AccessDenied"}, "obie": {"result": "rejected", "status": 400, "class": "invalid_software_statement"}}},

{"id": "redirect-not-in-ssa", "title": "A redirect URI outside the SSA's software_redirect_uris is refused",
 "source": "seed: redirect_uris (a subset of the SSA's); OIDF Brazil DCR invalid-redirect-uri",
 "quote": "seed redirect_uris: 'If the software statement defines a master set of redirect URIs, this must match or be a subset of the redirect URIs in the SSA.'; 'Invalid 406 Given data is invalid'. RFC 7591 3.2.2: 'invalid_redirect_uri The value of one or more redirection URIs is invalid.'",
 "mutations": [{"kind": "set", "claim": "redirect_uris", "value": ["https://evil.example.com/cb"]}],
 "expect": {"seed": {"result": "rejected", "status": 406, "class": "Invalid"}, "obie": {"result": "rejected", "status": 400, "class": "invalid_redirect_uri"}}},

{"id": "signature-unknown-key", "title": "A request signed with a key the ASPSP does not know is refused",
 "source": "transport/JOSE negative; seed Related Errors AccessDenied",
 "quote": "seed: 'AccessDenied 401 Action you want to perform is not allowed'; RFC 7591 3.2.2 'the authorization server returns an HTTP 400 status code (unless otherwise specified)'",
 "mutations": [{"kind": "unknown_key"}],
 "expect": {"seed": {"result": "rejected", "status": 401, "class": "AccessDenied"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "content-type-json", "title": "Content-Type application/json instead of application/jwt is refused",
 "source": "seed: Content-Type header 'Allowed values: application/jwt'",
 "quote": "seed: Content-Type 'string, required ... Allowed values: application/jwt'; 'RequestFormatInvalid 400 Request format is wrong'",
 "mutations": [{"kind": "content_type", "content_type": "application/json"}],
 "expect": {"seed": {"result": "rejected", "status": 400, "class": "RequestFormatInvalid"}, "any": "rejected"}},

{"id": "brazil-no-mtls", "title": "A registration without a TLS client certificate is refused",
 "source": "OIDF Brazil DCR no-mtls (fapi1-advanced-final-brazil-dcr-no-mtls)",
 "quote": "'Perform the DCR flow, but without presenting a TLS client certificate - the server must reject the registration attempt, either by refusing the TLS negotiation or returning a valid error response.' The seed says nothing of TLS; FAPI 1.0 and OBIE register over mutual TLS",
 "mutations": [{"kind": "client_certificate", "certificate": "none"}],
 "expect": {"any": "refused"}},

{"id": "brazil-bad-mtls", "title": "A registration with a client certificate from an untrusted CA is refused",
 "source": "OIDF Brazil DCR bad-mtls (fapi1-advanced-final-brazil-dcr-bad-mtls)",
 "quote": "'Perform the DCR flow, but presenting a TLS client certificate that should not be trusted - the server must reject the registration attempt, either by refusing the TLS negotiation or returning a valid error response.'",
 "mutations": [{"kind": "client_certificate", "certificate": "untrusted"}],
 "expect": {"any": "refused"}},

{"id": "iat-in-the-future", "title": "A request issued an hour in the future is refused",
 "source": "seed: iat; OBIE DCR 3.x request validation",
 "quote": "seed iat: 'The time at which the request was issued by the TPP' has no 'Can raise' list, so the Related Errors table's general 'Invalid 406 Given data is invalid' applies (our reading)",
 "mutations": [{"kind": "time", "claim": "iat", "seconds": 3600}, {"kind": "time", "claim": "exp", "seconds": 3900}],
 "expect": {"seed": {"result": "rejected", "status": 406, "class": "Invalid"}, "obie": {"result": "rejected", "status": 400}}},

{"id": "jti-replay", "title": "A replayed request (same jti) is refused",
 "source": "OBIE DCR 3.x jti (replay protection); not in the seed",
 "quote": "RFC 7519 4.1.7: 'The \"jti\" claim can be used to prevent the JWT from being replayed.' OBIE DCR 3.2 and 3.3 require a jti; the seed has no jti, so seed profiles skip this case",
 "mutations": [{"kind": "replay_jti"}],
 "expect": {"obie": {"result": "rejected", "status": 400}}},

{"id": "lifecycle-register", "title": "Register the client the lifecycle steps below work on",
 "source": "conformance-dcr DCR-002 'Register software client'; OBIE DCR 3.3 POST /register",
 "quote": "RFC 7591 3.2.1: 'the authorization server returns an HTTP 201 Created status code' with the client_id (and, RFC 7592 3, registration_client_uri and registration_access_token). The seed answers 200 with a message and issues no client, so seed profiles skip the lifecycle",
 "step": "register",
 "expect": {"obie": {"result": "accepted", "status": 201}}},
{"id": "DCR-005-read", "title": "Read the registered client",
 "source": "conformance-dcr DCR-005 'Retrieve software client'; OBIE DCR 3.3 GET /register/{ClientId}",
 "quote": "RFC 7592 2.1: 'Upon successful read of the information for a currently active client, the authorization server responds with an HTTP 200 OK'; conformance-dcr AssertStatusCodeOk",
 "step": "read",
 "expect": {"obie": {"result": "accepted", "status": 200}}},
{"id": "DCR-008-update", "title": "Update the client with the valid request, freshly signed",
 "source": "conformance-dcr DCR-008 'Update an existing software client'; OBIE DCR 3.3 PUT /register/{ClientId}",
 "quote": "RFC 7592 2.2: 'Upon successful update, the authorization server responds with an HTTP 200 OK'; conformance-dcr AssertStatusCodeOk",
 "step": "update",
 "expect": {"obie": {"result": "accepted", "status": 200}}},
{"id": "brazil-no-mtls-read", "title": "Reading the client without a TLS client certificate is refused",
 "source": "OIDF Brazil DCR no-mtls: the client configuration endpoint's GET",
 "quote": "'The client configuration endpoint GET and DELETE methods are called without a TLS certificate and must be rejected.'",
 "step": "read", "mutations": [{"kind": "client_certificate", "certificate": "none"}],
 "expect": {"obie": "refused"}},
{"id": "brazil-bad-mtls-read", "title": "Reading the client with an untrusted client certificate is refused",
 "source": "OIDF Brazil DCR bad-mtls: the client configuration endpoint's GET",
 "quote": "'The client configuration endpoint GET and DELETE methods are called with a bad TLS certificate and must be rejected.'",
 "step": "read", "mutations": [{"kind": "client_certificate", "certificate": "untrusted"}],
 "expect": {"obie": "refused"}},
{"id": "DCR-007-invalid-token", "title": "Reading the client with a bearer token that is not valid is refused",
 "source": "conformance-dcr DCR-007 'Retrieve software client with invalid credentials grant'; OIDF Brazil DCR invalid-registration-access-token",
 "quote": "RFC 7592 2.1: 'If the registration access token used to make this request is not valid, the server MUST respond with an error as described in OAuth 2.0 Bearer Token Usage'; RFC 6750 3.1 invalid_token: 'The resource SHOULD respond with the HTTP 401 (Unauthorized) status code'; conformance-dcr AssertStatusCodeUnauthorized",
 "step": "invalid-token",
 "expect": {"obie": {"result": "rejected", "status": 401}}},
{"id": "brazil-no-mtls-delete", "title": "Deleting the client without a TLS client certificate is refused",
 "source": "OIDF Brazil DCR no-mtls: the client configuration endpoint's DELETE",
 "quote": "'The client configuration endpoint GET and DELETE methods are called without a TLS certificate and must be rejected.' (A server that obeys deletes the client, and the steps below fail too.)",
 "step": "delete", "mutations": [{"kind": "client_certificate", "certificate": "none"}],
 "expect": {"obie": "refused"}},
{"id": "brazil-bad-mtls-delete", "title": "Deleting the client with an untrusted client certificate is refused",
 "source": "OIDF Brazil DCR bad-mtls: the client configuration endpoint's DELETE",
 "quote": "'The client configuration endpoint GET and DELETE methods are called with a bad TLS certificate and must be rejected.'",
 "step": "delete", "mutations": [{"kind": "client_certificate", "certificate": "untrusted"}],
 "expect": {"obie": "refused"}},
{"id": "DCR-003-delete", "title": "Delete the client",
 "source": "conformance-dcr DCR-003 'Delete software is supported'; OBIE DCR 3.3 DELETE /register/{ClientId}",
 "quote": "RFC 7592 2.3: 'If a client has been successfully deprovisioned, the authorization server MUST respond with an HTTP 204 No Content message'",
 "step": "delete",
 "expect": {"obie": {"result": "accepted", "status": 204}}},
{"id": "DCR-003-read-after-delete", "title": "Reading the deleted client is refused",
 "source": "conformance-dcr DCR-003 'Retrieve delete software client should fail' and DCR-010 'Retrieve a deleted software client' (the same request)",
 "quote": "RFC 7592 2.1: 'If the client does not exist on this server, the server MUST respond with HTTP 401 Unauthorized'; conformance-dcr AssertStatusCodeUnauthorized",
 "step": "read-after-delete",
 "expect": {"obie": {"result": "rejected", "status": 401}}},
{"id": "DCR-009-update-after-delete", "title": "Updating the deleted client is refused",
 "source": "conformance-dcr DCR-009 'Update a deleted software client'",
 "quote": "RFC 7592 2.2: 'If the client does not exist on this server, the server MUST respond with HTTP 401 Unauthorized'; conformance-dcr AssertStatusCodeUnauthorized",
 "step": "update-after-delete",
 "expect": {"obie": {"result": "rejected", "status": 401}}}
]
})json";

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
        auto parsed = fromJson(QByteArray(kBuiltInPlan));
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
