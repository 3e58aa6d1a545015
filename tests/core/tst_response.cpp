#include "TestSupport.h"
#include "registration/RegistrationOutcome.h"

#include <QJsonArray>
#include <QTest>

using namespace dcr;

namespace {
// JSON written with single quotes for readability (moc cannot parse raw string literals here).
QByteArray j(const char* text) {
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}
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
        QTest::newRow("ERROR + 401 required")
            << 401
            << (j("{'tppMessages':[{'category':'ERROR','code':401,'text':'Specified required "
                  "fields were not provided'}]}"))
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

    void emptyBodies() {
        QCOMPARE(classifyResponse(200, {}, "").kind, OutcomeKind::Unexpected);
        auto o = classifyResponse(415, {}, "  ");
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.format, BodyFormat::Empty);
        QVERIFY(o.likelyFix.contains("application/jose"));
    }
};

QTEST_APPLESS_MAIN(TestResponse)
#include "tst_response.moc"
