#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/JwsSigner.h"
#include "registration/RegistrationOutcome.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;

Q_DECLARE_METATYPE(dcr::OutcomeKind)
Q_DECLARE_METATYPE(dcr::BodyFormat)
Q_DECLARE_METATYPE(dcr::ResponseSignature)

namespace {
// JSON written with single quotes for readability (moc cannot parse raw string literals here).
QByteArray j(const char* text) {
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}
constexpr int Register = int(RegistrationOperation::Register);
constexpr int Read = int(RegistrationOperation::Read);
constexpr int Update = int(RegistrationOperation::Update);
constexpr int Delete = int(RegistrationOperation::Delete);

// An unsigned-looking compact JWS around a JSON payload: enough for classification, which does
// not need a valid signature unless a response key is given.
QByteArray fakeJws(const QByteArray& payloadJson) {
    return base64url::encode("{\"alg\":\"PS256\",\"kid\":\"aspsp\"}") + '.' +
           base64url::encode(payloadJson) + '.' + base64url::encode("not-a-signature");
}

const QByteArray kClient = j("{'client_id':'c-1','client_secret':'S3CR3T','registration_"
                             "access_token':'RAT-1','scope':'openid accounts','redirect_uris':["
                             "'https://a/cb']}");
} // namespace

class TestResponse : public QObject {
    Q_OBJECT
private slots:
    // The three bodies the seed document shows.
    void seedAcceptedMessage() {
        auto o = classifyResponse(
            200, {}, j("{'message':'Request is processed. We will send the response via email.'}"));
        QCOMPARE(o.kind, OutcomeKind::Accepted);
        QCOMPARE(o.format, BodyFormat::SeedMessage);
        QCOMPARE(o.message,
                 QStringLiteral("Request is processed. We will send the response via email."));
        QVERIFY(o.explanation.contains("e-mail"));
    }

    void seedResourceUnknown() {
        auto o =
            classifyResponse(404, {},
                             j("{'tppMessages':[{'category':'ResourceUnknown','code':404,'text':'"
                               "The addressed resource is unknown relative to the TPP.'}]}"));
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.format, BodyFormat::SeedTppMessages);
        QCOMPARE(o.errorClass, QStringLiteral("ResourceUnknown"));
        QCOMPARE(o.code, QStringLiteral("404"));
        QCOMPARE(o.text, QStringLiteral("The addressed resource is unknown relative to the TPP."));
        QVERIFY(o.likelyFix.contains("/api/open-banking/v3.1/tpp/register"));
    }

    void seedRelatedErrors_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("errorClass");
        QTest::newRow("RequestFormatInvalid")
            << 400
            << (j("{'tppMessages':[{'category':'RequestFormatInvalid','code':400,'text':'bad'}]}"))
            << "RequestFormatInvalid";
        QTest::newRow("WrongRequiredFields")
            << 401
            << (j("{'tppMessages':[{'category':'WrongRequiredFields','code':'401','text':'aud "
                  "missing'}]}"))
            << "WrongRequiredFields";
        QTest::newRow("AccessDenied")
            << 401 << (j("{'tppMessages':[{'category':'AccessDenied','code':401,'text':'no'}]}"))
            << "AccessDenied";
        QTest::newRow("NotFound")
            << 404 << (j("{'tppMessages':[{'category':'NotFound','code':404,'text':'ssa'}]}"))
            << "NotFound";
        QTest::newRow("Invalid")
            << 406 << (j("{'tppMessages':[{'category':'Invalid','code':406,'text':'scope'}]}"))
            << "Invalid";
        // The seed's category may be the literal "ERROR"; then the code decides.
        QTest::newRow("ERROR + 406")
            << 406 << (j("{'tppMessages':[{'category':'ERROR','code':'406','text':'x'}]}"))
            << "Invalid";
        QTest::newRow("ERROR + class as code")
            << 401 << (j("{'tppMessages':[{'category':'ERROR','code':'AccessDenied','text':'x'}]}"))
            << "AccessDenied";
        // Seed, Related Errors: WrongRequiredFields and AccessDenied share code 401. With
        // category ERROR and code 401 the class is unknown: the text is prose and is not parsed.
        QTest::newRow("ERROR + 401: class unknown, text not parsed")
            << 401
            << (j("{'tppMessages':[{'category':'ERROR','code':401,'text':'Specified required "
                  "fields were not provided'}]}"))
            << "";
        QTest::newRow("AccessDenied whose text says required")
            << 401
            << (j("{'tppMessages':[{'category':'AccessDenied','code':401,'text':'required "
                  "signature not allowed'}]}"))
            << "AccessDenied";
        QTest::newRow("WrongRequiredFields whose text says not allowed")
            << 401
            << (j("{'tppMessages':[{'category':'WrongRequiredFields','code':401,'text':'not "
                  "allowed'}]}"))
            << "WrongRequiredFields";
        QTest::newRow("ERROR + code WrongRequiredFields")
            << 401
            << (j("{'tppMessages':[{'category':'ERROR','code':'WrongRequiredFields','text':'x'}]}"))
            << "WrongRequiredFields";
    }
    void seedRelatedErrors() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(QString, errorClass);
        auto o = classifyResponse(status, {}, body);
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.errorClass, errorClass);
        QVERIFY(!o.explanation.isEmpty());
        QVERIFY(!o.likelyFix.isEmpty());
    }

    void registeredClientWithChanges() {
        const QJsonObject requested{
            {"scope", "openid accounts"},
            {"grant_types", QJsonArray{"client_credentials", "refresh_token"}},
            {"token_endpoint_auth_method", "private_key_jwt"},
            {"application_type", "web"},
            {"iss", "x"}};
        const QByteArray body = j("{'client_id':'c-123','client_secret':'s3cr3t','client_id_issued_"
                                  "at':1700000000,'client_secret_expires_at':0,'scope':'accounts "
                                  "openid','grant_types':['refresh_token','client_credentials'],'"
                                  "token_endpoint_auth_method':'tls_client_auth'}");
        auto o = classifyResponse(201, {{"Content-Type", "application/json"}}, body, requested);
        QCOMPARE(o.kind, OutcomeKind::Registered);
        QCOMPARE(o.clientId(), QStringLiteral("c-123"));
        QCOMPARE(o.changes.size(), 2);
        QCOMPARE(o.changes.at(0).claim, QStringLiteral("application_type"));
        QVERIFY(o.changes.at(0).granted.isUndefined());
        QCOMPARE(o.changes.at(1).claim, QStringLiteral("token_endpoint_auth_method"));
        QCOMPARE(o.changes.at(1).granted.toString(), QStringLiteral("tls_client_auth"));
    }

    void rfc7591Error() {
        auto o = classifyResponse(
            400, {},
            j("{'error':'invalid_redirect_uri','error_description':'https://x not in SSA'}"));
        QCOMPARE(o.format, BodyFormat::Rfc7591Error);
        QCOMPARE(o.errorClass, QStringLiteral("invalid_redirect_uri"));
        QCOMPARE(o.text, QStringLiteral("https://x not in SSA"));
        QVERIFY(o.likelyFix.contains("software_redirect_uris"));
    }

    void obieErrorObject() {
        auto o = classifyResponse(400, {},
                                  j("{'Code':'400 BadRequest','Id':'abc','Message':'Invalid "
                                    "request','Errors':[{'ErrorCode':'UK.OBIE.Field.Invalid','"
                                    "Message':'redirect_uris invalid','Path':'redirect_uris'}]}"));
        QCOMPARE(o.format, BodyFormat::ObieError);
        QCOMPARE(o.errorClass, QStringLiteral("UK.OBIE.Field.Invalid"));
        QVERIFY(o.text.contains("redirect_uris invalid (at redirect_uris)"));
    }

    void gatewayHtml() {
        auto o = classifyResponse(502, {{"content-type", "text/html"}},
                                  "<html><body><h1>502 Bad Gateway</h1></body></html>");
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.format, BodyFormat::Html);
        QVERIFY(o.explanation.contains("gateway"));
        QVERIFY(o.text.contains("502 Bad Gateway"));
    }

    // One row per operation x status x body shape. Each row quotes what the contract says.
    void operations_data() {
        QTest::addColumn<int>("operation");
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("wwwAuthenticate");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<OutcomeKind>("kind");
        QTest::addColumn<BodyFormat>("format");
        QTest::addColumn<QString>("errorClass");
        QTest::addColumn<QString>("explanationHas");
        QTest::addColumn<QString>("fixHas");
        QTest::addColumn<QString>("summaryHas");

        const QByteArray json = "application/json";
        const QByteArray message =
            j("{'message':'Request is processed. We will send the response via email.'}");
        // Seed: "Upon successful request, 200 status code will be returned." with {"message"}.
        QTest::newRow("register 200 seed message")
            << Register << 200 << json << QByteArray() << message << OutcomeKind::Accepted
            << BodyFormat::SeedMessage << ""
            << "e-mail"
            << "Nothing to fix"
            << "Accepted (HTTP 200)";
        // Seed: "If client creation is successful, the ASPSP responds with a JSON payload that
        // describes the client that was created."
        QTest::newRow("register 201 client")
            << Register << 201 << json << QByteArray() << kClient << OutcomeKind::Registered
            << BodyFormat::ClientJson << ""
            << "registered client c-1"
            << ""
            << "Registered (HTTP 201): client_id c-1";
        QTest::newRow("register 201 empty")
            << Register << 201 << json << QByteArray() << QByteArray() << OutcomeKind::Unexpected
            << BodyFormat::Empty << ""
            << "neither"
            << "Ask the ASPSP"
            << "Unexpected answer to register (HTTP 201, empty body)";
        // RFC 7592 2.1: "Upon successful read of the information for a currently active client,
        // the authorization server responds with an HTTP 200 OK with content type of
        // "application/json" and a payload as described in Section 3."
        QTest::newRow("read 200 client") << Read << 200 << json << QByteArray() << kClient
                                         << OutcomeKind::Retrieved << BodyFormat::ClientJson << ""
                                         << "current configuration of client c-1"
                                         << ""
                                         << "Retrieved (HTTP 200): configuration of client_id c-1";
        QTest::newRow("read 200 message is not a configuration")
            << Read << 200 << json << QByteArray() << message << OutcomeKind::Unexpected
            << BodyFormat::SeedMessage << ""
            << "RFC 7592 2.1"
            << "registration_client_uri"
            << "Unexpected answer to read";
        QTest::newRow("read 200 empty") << Read << 200 << json << QByteArray() << QByteArray()
                                        << OutcomeKind::Unexpected << BodyFormat::Empty << ""
                                        << "configuration"
                                        << "Read the client"
                                        << "Unexpected answer to read (HTTP 200, empty body)";
        // RFC 6750 3.1: invalid_token "The access token provided is expired, revoked, malformed,
        // or invalid for other reasons. The resource SHOULD respond with the HTTP 401".
        QTest::newRow("read 401 invalid_token challenge")
            << Read << 401 << json
            << QByteArray("Bearer realm=\"aspsp\", error=\"invalid_token\", "
                          "error_description=\"The access token expired\"")
            << QByteArray() << OutcomeKind::Error << BodyFormat::Empty << "invalid_token"
            << "invalid or expired, or the client was deleted"
            << "new token"
            << "Error (HTTP 401) invalid_token: The access token expired";
        // RFC 7592 2.1: "If the client does not exist on this server, the server MUST respond
        // with HTTP 401 Unauthorized".
        QTest::newRow("read 401 without challenge")
            << Read << 401 << json << QByteArray() << QByteArray() << OutcomeKind::Error
            << BodyFormat::Empty << ""
            << "client no longer exists"
            << "still exists"
            << "Error (HTTP 401)";
        QTest::newRow("read 404 seed ResourceUnknown")
            << Read << 404 << json << QByteArray()
            << j("{'tppMessages':[{'category':'ResourceUnknown','code':404,'text':'unknown'}]}")
            << OutcomeKind::Error << BodyFormat::SeedTppMessages << "ResourceUnknown"
            << "unknown relative to the TPP"
            << ""
            << "Error (HTTP 404) ResourceUnknown";
        QTest::newRow("read 404 empty")
            << Read << 404 << json << QByteArray() << QByteArray() << OutcomeKind::Error
            << BodyFormat::Empty << "ResourceUnknown"
            << "unknown"
            << "client_id in the URL"
            << "Error (HTTP 404) ResourceUnknown";
        // RFC 7592 2.2: "Upon successful update, the authorization server responds with an HTTP
        // 200 OK message with content type "application/json" and a payload as described in
        // Section 3" ... "The authorization server MAY include a new client secret and/or
        // registration access token in its response."
        QTest::newRow("update 200 client, secret rotated")
            << Update << 200 << json << QByteArray() << kClient << OutcomeKind::Updated
            << BodyFormat::ClientJson << ""
            << "updated client c-1"
            << "rotated"
            << "Updated (HTTP 200): client_id c-1";
        QTest::newRow("update 200 seed message")
            << Update << 200 << json << QByteArray() << message << OutcomeKind::Accepted
            << BodyFormat::SeedMessage << ""
            << "update request"
            << "Nothing to fix"
            << "Accepted (HTTP 200)";
        // RFC 7591 3.2.2: invalid_client_metadata "The value of one of the client metadata
        // fields is invalid and the server has rejected this request."
        QTest::newRow("update 400 invalid_client_metadata")
            << Update << 400 << json << QByteArray()
            << j("{'error':'invalid_client_metadata','error_description':'scope'}")
            << OutcomeKind::Error << BodyFormat::Rfc7591Error << "invalid_client_metadata"
            << "metadata value"
            << "discovery document"
            << "Error (HTTP 400)";
        QTest::newRow("update 401 invalid_token in body")
            << Update << 401 << json << QByteArray() << j("{'error':'invalid_token'}")
            << OutcomeKind::Error << BodyFormat::Rfc7591Error << "invalid_token"
            << "client was deleted"
            << "check the client still exists"
            << "invalid_token";
        // RFC 7592 2.3: "If a client has been successfully deprovisioned, the authorization
        // server MUST respond with an HTTP 204 No Content message."
        QTest::newRow("delete 204") << Delete << 204 << QByteArray() << QByteArray() << QByteArray()
                                    << OutcomeKind::Deleted << BodyFormat::Empty << ""
                                    << "deprovisioned"
                                    << "remove them"
                                    << "Deleted (HTTP 204)";
        QTest::newRow("delete 200 empty")
            << Delete << 200 << QByteArray() << QByteArray() << QByteArray() << OutcomeKind::Deleted
            << BodyFormat::Empty << ""
            << "prescribes 204"
            << "Nothing"
            << "Deleted (HTTP 200)";
        QTest::newRow("delete 200 message")
            << Delete << 200 << json << QByteArray() << j("{'message':'deleted'}")
            << OutcomeKind::Deleted << BodyFormat::SeedMessage << ""
            << "prescribes 204 No Content"
            << ""
            << "Deleted (HTTP 200)";
        QTest::newRow("delete 200 client is not a delete")
            << Delete << 200 << json << QByteArray() << kClient << OutcomeKind::Unexpected
            << BodyFormat::ClientJson << ""
            << "may still exist"
            << "Read the client"
            << "Unexpected answer to delete";
        // RFC 7592 2.3: "If the client does not exist on this server, the server MUST respond
        // with HTTP 401 Unauthorized"; RFC 6750 3 puts the reason in WWW-Authenticate.
        QTest::newRow("delete 401 invalid_token (client already deleted)")
            << Delete << 401 << QByteArray()
            << QByteArray("Bearer error=\"invalid_token\", error_description=\"client deleted\"")
            << QByteArray() << OutcomeKind::Error << BodyFormat::Empty << "invalid_token"
            << "the client was deleted"
            << "get a new token"
            << "invalid_token: client deleted";
        // RFC 7592 2.3: "If the server does not support the delete method, the server MUST
        // respond with HTTP 405 Not Supported."
        QTest::newRow("delete 405") << Delete << 405 << QByteArray() << QByteArray() << QByteArray()
                                    << OutcomeKind::Error << BodyFormat::Empty << ""
                                    << "does not support deleting"
                                    << "deregister"
                                    << "Error (HTTP 405)";
        // RFC 6749 5.2 invalid_request, for a request without a body: the fix is the token.
        QTest::newRow("delete 400 invalid_request")
            << Delete << 400 << json << QByteArray() << j("{'error':'invalid_request'}")
            << OutcomeKind::Error << BodyFormat::Rfc7591Error << "invalid_request"
            << "malformed"
            << "Authorization: Bearer"
            << "invalid_request";
        // RFC 6750 3.1: insufficient_scope "The request requires higher privileges than
        // provided by the access token. The resource server SHOULD respond with the HTTP 403".
        QTest::newRow("delete 403 insufficient_scope")
            << Delete << 403 << QByteArray()
            << QByteArray("Bearer error=\"insufficient_scope\", scope=\"dcr\"") << QByteArray()
            << OutcomeKind::Error << BodyFormat::Empty << "insufficient_scope"
            << "privileges"
            << "scope"
            << "insufficient_scope";
        // RFC 6750 3.1: "If the request lacks any authentication information ..., the resource
        // server SHOULD NOT include an error code or other error information."
        QTest::newRow("read 401 Bearer without error")
            << Read << 401 << QByteArray() << QByteArray("Bearer realm=\"aspsp\"") << QByteArray()
            << OutcomeKind::Error << BodyFormat::Empty << ""
            << "realm \"aspsp\""
            << "Authorization: Bearer"
            << "Error (HTTP 401)";
        // RFC 6749 5.2 codes, which RFC 7592 servers reuse.
        QTest::newRow("register 400 invalid_scope")
            << Register << 400 << json << QByteArray() << j("{'error':'invalid_scope'}")
            << OutcomeKind::Error << BodyFormat::Rfc7591Error << "invalid_scope"
            << "scope"
            << "SSA's roles"
            << "invalid_scope";
        QTest::newRow("register 400 unsupported_grant_type")
            << Register << 400 << json << QByteArray() << j("{'error':'unsupported_grant_type'}")
            << OutcomeKind::Error << BodyFormat::Rfc7591Error << "unsupported_grant_type"
            << "grant type"
            << "grant_types_supported"
            << "unsupported_grant_type";
        // Seed, Related Errors: "RequestFormatInvalid 400 Request format is wrong. Details are
        // stored in error_message".
        QTest::newRow("register 400 seed error_message alone")
            << Register << 400 << json << QByteArray()
            << j("{'error_message':'aud is not a string'}") << OutcomeKind::Error
            << BodyFormat::SeedErrorMessage << "RequestFormatInvalid"
            << "Request format is wrong"
            << "application/jwt"
            << "Error (HTTP 400) RequestFormatInvalid: aud is not a string";
        QTest::newRow("register 406 tppMessages + error_message")
            << Register << 406 << json << QByteArray()
            << j("{'tppMessages':[{'category':'Invalid','code':406,'text':'Given data is "
                 "invalid'}],'error_message':'scope payments not allowed'}")
            << OutcomeKind::Error << BodyFormat::SeedTppMessages << "Invalid"
            << "invalid"
            << "preflight"
            << "Error (HTTP 406) Invalid [406]: Given data is invalid (error_message: scope "
               "payments not allowed)";
        // The 401 the seed's register endpoint sends: no WWW-Authenticate, no class named.
        QTest::newRow("register 401 empty")
            << Register << 401 << json << QByteArray() << QByteArray() << OutcomeKind::Error
            << BodyFormat::Empty << ""
            << "WrongRequiredFields"
            << "preflight"
            << "Error (HTTP 401)";
        // Signed bodies: OBIE DCR lets the ASPSP answer with a JWS; the payload is the client.
        QTest::newRow("register 201 application/jwt client")
            << Register << 201 << QByteArray("application/jwt") << QByteArray() << fakeJws(kClient)
            << OutcomeKind::Registered << BodyFormat::SignedClientJwt << ""
            << "not checked"
            << ""
            << "Registered (HTTP 201): client_id c-1 [signed, not verified]";
        QTest::newRow("register 201 bare compact JWS")
            << Register << 201 << QByteArray() << QByteArray() << fakeJws(kClient)
            << OutcomeKind::Registered << BodyFormat::SignedClientJwt << ""
            << "registered client c-1"
            << ""
            << "client_id c-1 [signed";
        QTest::newRow("read 200 application/jose client")
            << Read << 200 << QByteArray("application/jose; charset=utf-8") << QByteArray()
            << fakeJws(kClient) << OutcomeKind::Retrieved << BodyFormat::SignedClientJwt << ""
            << "configuration"
            << ""
            << "Retrieved (HTTP 200)";
        QTest::newRow("update 200 signed client")
            << Update << 200 << QByteArray("application/jwt") << QByteArray() << fakeJws(kClient)
            << OutcomeKind::Updated << BodyFormat::SignedClientJwt << ""
            << "updated"
            << "rotated"
            << "Updated (HTTP 200): client_id c-1";
        QTest::newRow("register 400 signed RFC 7591 error")
            << Register << 400 << QByteArray("application/jwt") << QByteArray()
            << fakeJws(j("{'error':'invalid_redirect_uri'}")) << OutcomeKind::Error
            << BodyFormat::Rfc7591Error << "invalid_redirect_uri"
            << "redirect URI"
            << "software_redirect_uris"
            << "[signed, not verified]";
        QTest::newRow("register 201 signed, payload not JSON")
            << Register << 201 << QByteArray("application/jwt") << QByteArray()
            << (base64url::encode("{\"alg\":\"PS256\"}") + '.' + base64url::encode("plain") + '.' +
                base64url::encode("sig"))
            << OutcomeKind::Unexpected << BodyFormat::SignedOther << ""
            << "not a JSON object"
            << ""
            << "signed-other";
        QTest::newRow("register 201 application/jwt that is not a JWS")
            << Register << 201 << QByteArray("application/jwt") << QByteArray()
            << QByteArray("not.a-jws") << OutcomeKind::Unexpected << BodyFormat::Text << ""
            << "not a compact JWS"
            << ""
            << "text body";
    }
    void operations() {
        QFETCH(int, operation);
        QFETCH(int, status);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, wwwAuthenticate);
        QFETCH(QByteArray, body);
        HeaderList headers;
        if (!contentType.isEmpty())
            headers.append({"Content-Type", contentType});
        if (!wwwAuthenticate.isEmpty())
            headers.append({"WWW-Authenticate", wwwAuthenticate});
        const QJsonObject sent{{"scope", "openid accounts"},
                               {"redirect_uris", QJsonArray{"https://a/cb"}}};
        const auto o =
            classifyResponse({static_cast<RegistrationOperation>(operation), sent, std::nullopt},
                             status, headers, body);
        QTEST(o.kind, "kind");
        QTEST(o.format, "format");
        QTEST(o.errorClass, "errorClass");
        QCOMPARE(o.operation, static_cast<RegistrationOperation>(operation));
        QFETCH(QString, explanationHas);
        QFETCH(QString, fixHas);
        QFETCH(QString, summaryHas);
        QVERIFY2(o.explanation.contains(explanationHas, Qt::CaseInsensitive),
                 qPrintable(o.explanation));
        QVERIFY2(o.likelyFix.contains(fixHas, Qt::CaseInsensitive), qPrintable(o.likelyFix));
        QVERIFY2(o.summary().contains(summaryHas), qPrintable(o.summary()));
        QVERIFY(!o.explanation.isEmpty());
        // The bug this replaces: a token problem on read/update/delete explained as missing
        // registration fields, fixed by running preflight.
        if (operation != Register && status == 401) {
            QVERIFY2(!o.explanation.contains("required fields"), qPrintable(o.explanation));
            QVERIFY2(!o.likelyFix.contains("preflight"), qPrintable(o.likelyFix));
        }
        // A client body always yields its client_id, signed or not.
        if (o.format == BodyFormat::ClientJson || o.format == BodyFormat::SignedClientJwt)
            QCOMPARE(o.clientId(), QStringLiteral("c-1"));
        // The JSON form names the operation and the kind, for dcrctl --json and the history.
        const QJsonObject json = o.toJson();
        QCOMPARE(json.value("operation").toString(),
                 operationName(static_cast<RegistrationOperation>(operation)));
        QCOMPARE(json.value("outcome").toString(), outcomeKindName(o.kind));
        QVERIFY(!QJsonDocument(json).toJson().contains("S3CR3T") ||
                json.contains("client")); // secrets only inside "client", which front ends mask
    }

    void updateReportsWhatChanged() {
        // RFC 7592 2.2: the response holds "all of the registered metadata about the client":
        // values it did not apply as sent are reported.
        const QJsonObject sent{{"client_id", "c-1"},
                               {"scope", "openid accounts payments"},
                               {"redirect_uris", QJsonArray{"https://a/cb"}}};
        const auto o = classifyResponse({RegistrationOperation::Update, sent, std::nullopt}, 200,
                                        {{"Content-Type", "application/json"}}, kClient);
        QCOMPARE(o.kind, OutcomeKind::Updated);
        QCOMPARE(o.changes.size(), 1);
        QCOMPARE(o.changes.first().claim, QStringLiteral("scope"));
        QCOMPARE(o.changes.first().granted.toString(), QStringLiteral("openid accounts"));
        QVERIFY(o.summary().contains("1 value(s) not as sent"));
    }

    void legacyOverloadMeansRegister() {
        const auto o = classifyResponse(200, {}, kClient);
        QCOMPARE(o.kind, OutcomeKind::Registered);
        QCOMPARE(o.operation, RegistrationOperation::Register);
        // A 204 to a register is not a delete.
        QCOMPARE(classifyResponse(204, {}, {}).kind, OutcomeKind::Unexpected);
    }

    void successKinds() {
        for (OutcomeKind k : {OutcomeKind::Accepted, OutcomeKind::Registered,
                              OutcomeKind::Retrieved, OutcomeKind::Updated, OutcomeKind::Deleted})
            QVERIFY2(outcomeIsSuccess(k), qPrintable(outcomeKindName(k)));
        QVERIFY(!outcomeIsSuccess(OutcomeKind::Error));
        QVERIFY(!outcomeIsSuccess(OutcomeKind::Unexpected));
        QCOMPARE(outcomeKindName(OutcomeKind::Retrieved), QStringLiteral("retrieved"));
        QCOMPARE(outcomeKindName(OutcomeKind::Updated), QStringLiteral("updated"));
        QCOMPARE(outcomeKindName(OutcomeKind::Deleted), QStringLiteral("deleted"));
    }

    // A signed 201 checked with the ASPSP's key: verified with the right key, invalid with a
    // wrong one, and the client is read from the payload either way.
    void signedResponseVerification_data() {
        QTest::addColumn<bool>("rightKey");
        QTest::addColumn<ResponseSignature>("expected");
        QTest::newRow("right key") << true << ResponseSignature::Verified;
        QTest::newRow("wrong key") << false << ResponseSignature::Invalid;
    }
    void signedResponseVerification() {
        QFETCH(bool, rightKey);
        auto signer = Key::generateEcP256();
        auto other = Key::generateEcP256();
        QVERIFY(signer.ok() && other.ok());
        JwsSigningOptions options;
        options.alg = JwsAlgorithm::ES256;
        options.kid = QStringLiteral("aspsp-1");
        auto jws = JwsSigner::sign(kClient, *signer, options);
        QVERIFY(jws.ok());
        ClassificationContext context;
        context.responseKey = VerificationKey::fromKey(rightKey ? *signer : *other);
        const auto o = classifyResponse(context, 201, {{"Content-Type", "application/jwt"}}, *jws);
        QCOMPARE(o.kind, OutcomeKind::Registered);
        QCOMPARE(o.format, BodyFormat::SignedClientJwt);
        QCOMPARE(o.clientId(), QStringLiteral("c-1"));
        QTEST(o.signature, "expected");
        QVERIFY(!o.signatureDetail.isEmpty());
        const QJsonObject sig = o.toJson().value("signature").toObject();
        QCOMPARE(sig.value("check").toString(), responseSignatureName(o.signature));
        if (rightKey) {
            QVERIFY2(o.summary().endsWith("[signed, verified]"), qPrintable(o.summary()));
            QVERIFY(o.explanation.contains("verified"));
        } else {
            QVERIFY2(o.summary().endsWith("[SIGNATURE INVALID]"), qPrintable(o.summary()));
            QVERIFY(o.explanation.contains("do not trust"));
            QVERIFY(o.likelyFix.contains("JWKS"));
        }
        // A tampered payload with the original signature does not verify with the right key.
        if (rightKey) {
            QList<QByteArray> parts = jws->split('.');
            QByteArray payload = kClient;
            payload.replace("c-1", "c-2");
            parts[1] = base64url::encode(payload);
            const auto t = classifyResponse(context, 201, {}, parts.join('.'));
            QCOMPARE(t.signature, ResponseSignature::Invalid);
            QCOMPARE(t.clientId(), QStringLiteral("c-2"));
        }
    }

    void emptyBodies() {
        QCOMPARE(classifyResponse(200, {}, "").kind, OutcomeKind::Unexpected);
        auto o = classifyResponse(415, {}, "  ");
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.format, BodyFormat::Empty);
        QVERIFY(o.likelyFix.contains("application/jose"));
    }

    // OpenID Connect Discovery 1.0 section 4.2: "A successful response MUST use the 200 OK HTTP
    // status code and return a JSON object using the application/json content type". A test
    // plan's discovery GET is kept in the history with this classification (not a client read).
    void discoveryAnswers_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<OutcomeKind>("kind");
        QTest::addColumn<QString>("explanation");
        QTest::newRow("configuration")
            << 200 << j("{'issuer':'https://b','registration_endpoint':'https://b/register'}")
            << OutcomeKind::Retrieved
            << QStringLiteral("registration_endpoint is https://b/register");
        QTest::newRow("no registration_endpoint")
            << 200 << j("{'issuer':'https://b'}") << OutcomeKind::Retrieved
            << QStringLiteral("without a registration_endpoint");
        QTest::newRow("html 200") << 200 << QByteArray("<html>hi</html>") << OutcomeKind::Unexpected
                                  << QStringLiteral("not a JSON object");
        QTest::newRow("201") << 201 << j("{'issuer':'https://b'}") << OutcomeKind::Unexpected
                             << QStringLiteral("HTTP 201");
        QTest::newRow("404") << 404 << QByteArray() << OutcomeKind::Error
                             << QStringLiteral("HTTP 404");
        QTest::newRow("a client is no configuration")
            << 500 << kClient << OutcomeKind::Error << QStringLiteral("HTTP 500");
    }
    void discoveryAnswers() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        QFETCH(OutcomeKind, kind);
        QFETCH(QString, explanation);
        const auto o = classifyResponse({RegistrationOperation::Discovery, {}, std::nullopt},
                                        status, {{"Content-Type", "application/json"}}, body);
        QCOMPARE(o.kind, kind);
        QCOMPARE(o.operation, RegistrationOperation::Discovery);
        QVERIFY2(o.explanation.contains(explanation), qPrintable(o.explanation));
        QVERIFY(o.clientId().isEmpty());
        QCOMPARE(operationName(o.operation), QStringLiteral("discovery"));
    }
};

QTEST_APPLESS_MAIN(TestResponse)
#include "tst_response.moc"
