// The answer kinds of a JSON body (registration/JsonAnswer), one classify function each: what
// each recognises, what it fills in, and that it leaves the outcome alone for any other body,
// malformed ones included.
#include "registration/JsonAnswer.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;

Q_DECLARE_METATYPE(dcr::OutcomeKind)
Q_DECLARE_METATYPE(dcr::BodyFormat)

namespace {

// JSON written with single quotes for readability (moc cannot parse raw string literals here).
QJsonObject j(const char* text) {
    QByteArray b(text);
    b.replace('\'', '"');
    QJsonParseError e;
    const QJsonDocument doc = QJsonDocument::fromJson(b, &e);
    if (e.error != QJsonParseError::NoError)
        qFatal("bad test JSON: %s", text);
    return doc.object();
}

RegistrationOutcome start(int status, RegistrationOperation op = RegistrationOperation::Register) {
    RegistrationOutcome o;
    o.httpStatus = status;
    o.operation = op;
    return o;
}

// What a classify function that does not recognise a body must leave as it found it.
QByteArray snapshot(const RegistrationOutcome& o) {
    QJsonObject all = o.toJson();
    all.insert(QStringLiteral("tpp_messages"), int(o.tppMessages.size()));
    return QJsonDocument(all).toJson(QJsonDocument::Compact);
}

ClassificationContext contextFor(RegistrationOperation op, const QJsonObject& requested = {}) {
    return ClassificationContext{op, requested, std::nullopt};
}

} // namespace

class TestJsonAnswer : public QObject {
    Q_OBJECT
private slots:
    void tppMessages() {
        auto o = start(404);
        QVERIFY(classifyTppMessages(
            o, j("{'tppMessages':[{'category':'ERROR','code':404,'text':'no such SSA'},"
                 "{'category':'ERROR','code':'X','text':'second'}]}")));
        QCOMPARE(o.format, BodyFormat::SeedTppMessages);
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.tppMessages.size(), 2);
        QCOMPARE(o.code, QStringLiteral("404")); // a number is read as text
        QCOMPARE(o.text, QStringLiteral("no such SSA"));
        QCOMPARE(o.errorClass, QStringLiteral("NotFound")); // from the code, with category ERROR
        QVERIFY(!o.explanation.isEmpty());

        // A category that names a class wins; a status the seed pairs otherwise is noted.
        auto named = start(400);
        QVERIFY(classifyTppMessages(
            named, j("{'tppMessages':[{'category':'Invalid','code':'406','text':'t'}]}")));
        QCOMPARE(named.errorClass, QStringLiteral("Invalid"));
        QVERIFY2(named.explanation.contains("the seed pairs Invalid with HTTP 406"),
                 qPrintable(named.explanation));
    }
    void tppMessagesMalformed() {
        // Not an array: still the seed's error shape, with no message to quote; the text falls
        // back on error_message and the explanation on the status.
        auto o = start(400);
        o.errorMessage = QStringLiteral("details");
        QVERIFY(classifyTppMessages(o, j("{'tppMessages':'oops'}")));
        QVERIFY(o.tppMessages.isEmpty());
        QCOMPARE(o.text, QStringLiteral("details"));
        QCOMPARE(o.errorClass, QStringLiteral("RequestFormatInvalid"));
        // Items that are not objects read as empty messages.
        auto items = start(401);
        QVERIFY(classifyTppMessages(items, j("{'tppMessages':[1,null,'x']}")));
        QCOMPARE(items.tppMessages.size(), 3);
        QVERIFY(items.errorClass.isEmpty()); // 401: the seed uses it for two classes
        QVERIFY(items.explanation.contains("WrongRequiredFields"));
        // Another shape is not this one.
        auto other = start(400);
        const QByteArray before = snapshot(other);
        QVERIFY(!classifyTppMessages(other, j("{'error':'invalid_request'}")));
        QCOMPARE(snapshot(other), before);
    }

    void oauthError() {
        auto o = start(400);
        QVERIFY(classifyOAuthError(
            o, j("{'error':'invalid_redirect_uri','error_description':'not in SSA'}")));
        QCOMPARE(o.format, BodyFormat::Rfc7591Error);
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.errorClass, QStringLiteral("invalid_redirect_uri"));
        QCOMPARE(o.code, QStringLiteral("invalid_redirect_uri"));
        QCOMPARE(o.text, QStringLiteral("not in SSA"));
        QCOMPARE(o.explanation, QStringLiteral("A redirect URI was refused."));
        // The management fix for a read, update or delete.
        auto read = start(400, RegistrationOperation::Read);
        QVERIFY(classifyOAuthError(read, j("{'error':'invalid_request'}")));
        QVERIFY2(read.likelyFix.contains("Authorization: Bearer"), qPrintable(read.likelyFix));
    }
    void oauthErrorUnknownOrMalformed() {
        // An unknown code: explained by the status, but the class stays the ASPSP's own code.
        auto o = start(404);
        o.errorMessage = QStringLiteral("em");
        QVERIFY(classifyOAuthError(o, j("{'error':'bank_specific'}")));
        QCOMPARE(o.errorClass, QStringLiteral("bank_specific"));
        QCOMPARE(o.code, QStringLiteral("bank_specific"));
        QCOMPARE(o.text, QStringLiteral("em"));
        QVERIFY(!o.explanation.isEmpty());
        // "error" that is not a string is not an RFC 7591 error.
        for (const char* body : {"{'error':42}", "{'error':{'code':'x'}}", "{'error':null}"}) {
            auto other = start(400);
            const QByteArray before = snapshot(other);
            QVERIFY2(!classifyOAuthError(other, j(body)), body);
            QCOMPARE(snapshot(other), before);
        }
    }

    void obieError() {
        auto o = start(400);
        QVERIFY(classifyObieError(
            o, j("{'Code':'400 BadRequest','Message':'Bad request','Errors':[{'ErrorCode':"
                 "'UK.OBIE.Field.Invalid','Message':'bad scope','Path':'scope'},{'ErrorCode':"
                 "'UK.OBIE.Field.Missing','Message':'no aud'}]}")));
        QCOMPARE(o.format, BodyFormat::ObieError);
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.code, QStringLiteral("400 BadRequest"));
        QCOMPARE(o.text, QStringLiteral("Bad request; UK.OBIE.Field.Invalid: bad scope (at scope); "
                                        "UK.OBIE.Field.Missing: no aud"));
        QCOMPARE(o.errorClass, QStringLiteral("UK.OBIE.Field.Invalid"));
    }
    void obieErrorMalformed() {
        // No errors listed (or not a list): the class is the Code.
        for (const char* body : {"{'Code':400,'Errors':[]}", "{'Code':400,'Errors':'none'}"}) {
            auto o = start(400);
            QVERIFY2(classifyObieError(o, j(body)), body);
            QCOMPARE(o.code, QStringLiteral("400"));
            QCOMPARE(o.errorClass, QStringLiteral("400"));
            QVERIFY(o.text.isEmpty());
        }
        // Code without Errors is not OBIE's shape.
        auto other = start(400);
        const QByteArray before = snapshot(other);
        QVERIFY(!classifyObieError(other, j("{'Code':'400','Message':'m'}")));
        QCOMPARE(snapshot(other), before);
    }

    void client_data() {
        QTest::addColumn<int>("operation");
        QTest::addColumn<int>("status");
        QTest::addColumn<OutcomeKind>("kind");
        QTest::addColumn<QString>("explanation");
        QTest::newRow("register") << int(RegistrationOperation::Register) << 201
                                  << OutcomeKind::Registered
                                  << "The ASPSP registered client c-1. It changed 1 requested";
        QTest::newRow("read") << int(RegistrationOperation::Read) << 200 << OutcomeKind::Retrieved
                              << "current configuration of client c-1. 1 value(s) differ";
        QTest::newRow("update") << int(RegistrationOperation::Update) << 200 << OutcomeKind::Updated
                                << "The ASPSP updated client c-1. It did not apply 1";
        QTest::newRow("delete answered with a client")
            << int(RegistrationOperation::Delete) << 200 << OutcomeKind::Unexpected
            << "this answer describes client c-1, which may still exist";
    }
    void client() {
        QFETCH(int, operation);
        QFETCH(int, status);
        const auto op = RegistrationOperation(operation);
        auto o = start(status, op);
        const QJsonObject requested = j("{'scope':'openid accounts','iss':'x'}");
        QVERIFY(classifyClient(
            o, j("{'client_id':'c-1','client_secret':'s','scope':'openid payments'}"),
            contextFor(op, requested)));
        QCOMPARE(o.format, BodyFormat::ClientJson);
        QTEST(o.kind, "kind");
        QFETCH(QString, explanation);
        QVERIFY2(o.explanation.contains(explanation), qPrintable(o.explanation));
        QCOMPARE(o.clientId(), QStringLiteral("c-1"));
        if (op != RegistrationOperation::Delete) {
            QCOMPARE(o.changes.size(), 1); // scope; iss is not echoed
            QCOMPARE(o.changes.first().claim, QStringLiteral("scope"));
        }
        if (op == RegistrationOperation::Update)
            QVERIFY(o.likelyFix.contains("rotated"));
    }
    void clientNotThisKind() {
        const QJsonObject body = j("{'client_id':'c-1'}");
        for (int status : {400, 302, 500}) {
            auto o = start(status);
            const QByteArray before = snapshot(o);
            QVERIFY(!classifyClient(o, body, contextFor(RegistrationOperation::Register)));
            QCOMPARE(snapshot(o), before);
        }
        for (const char* malformed :
             {"{'client_id':7}", "{'client_id':null}", "{'clientId':'c'}"}) {
            auto o = start(201);
            QVERIFY2(!classifyClient(o, j(malformed), contextFor(RegistrationOperation::Register)),
                     malformed);
        }
    }

    void seedMessage_data() {
        QTest::addColumn<int>("operation");
        QTest::addColumn<OutcomeKind>("kind");
        QTest::newRow("register") << int(RegistrationOperation::Register) << OutcomeKind::Accepted;
        QTest::newRow("update") << int(RegistrationOperation::Update) << OutcomeKind::Accepted;
        QTest::newRow("delete") << int(RegistrationOperation::Delete) << OutcomeKind::Deleted;
        QTest::newRow("read") << int(RegistrationOperation::Read) << OutcomeKind::Unexpected;
    }
    void seedMessage() {
        QFETCH(int, operation);
        auto o = start(200, RegistrationOperation(operation));
        QVERIFY(classifySeedMessage(
            o, j("{'message':'Request is processed. We will send the response via email.'}")));
        QCOMPARE(o.format, BodyFormat::SeedMessage);
        QTEST(o.kind, "kind");
        QVERIFY(o.message.startsWith("Request is processed"));
        QVERIFY(!o.explanation.isEmpty() && !o.likelyFix.isEmpty());
    }
    void seedMessageNotThisKind() {
        for (const char* body : {"{'message':1}", "{'message':['a']}", "{'msg':'a'}"}) {
            auto o = start(200);
            const QByteArray before = snapshot(o);
            QVERIFY2(!classifySeedMessage(o, j(body)), body);
            QCOMPARE(snapshot(o), before);
        }
        auto error = start(500);
        QVERIFY(!classifySeedMessage(error, j("{'message':'failed'}")));
    }

    void seedErrorMessage() {
        auto o = start(500);
        o.errorMessage = QStringLiteral("Details are stored in error_message");
        QVERIFY(classifySeedErrorMessage(o));
        QCOMPARE(o.format, BodyFormat::SeedErrorMessage);
        QCOMPARE(o.kind, OutcomeKind::Error);
        QCOMPARE(o.text, o.errorMessage);
        QVERIFY(o.explanation.contains("HTTP 500"));
        // A success, or no error_message, is not this kind.
        auto ok = start(200);
        ok.errorMessage = QStringLiteral("x");
        QVERIFY(!classifySeedErrorMessage(ok));
        auto none = start(500);
        QVERIFY(!classifySeedErrorMessage(none));
        QCOMPARE(none.format, BodyFormat::Empty);
    }

    void otherJson() {
        auto o = start(200);
        classifyOtherJson(o,
                          j("{'weird':true,'client_secret':'S3CR3T','pad':'" // 300+ chars
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
                            "xxxxxxxxxxxxxxxxxxxxxxxxx'}"));
        QCOMPARE(o.format, BodyFormat::OtherJson);
        QCOMPARE(o.kind, OutcomeKind::Unexpected);
        QVERIFY(!o.text.contains("S3CR3T"));
        QVERIFY(o.text.contains("(masked)"));
        QCOMPARE(o.text.size(), 300);
        auto error = start(404);
        classifyOtherJson(error, {});
        QCOMPARE(error.kind, OutcomeKind::Error);
        QCOMPARE(error.text, QStringLiteral("{}"));
    }

    // The dispatcher: the first kind that fits, in the documented order.
    void precedence_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<BodyFormat>("format");
        QTest::newRow("tppMessages before error")
            << 400 << QByteArray("{'tppMessages':[],'error':'invalid_request'}")
            << BodyFormat::SeedTppMessages;
        QTest::newRow("error before a client")
            << 200 << QByteArray("{'error':'x','client_id':'c'}") << BodyFormat::Rfc7591Error;
        QTest::newRow("OBIE before a client")
            << 200 << QByteArray("{'Code':'1','Errors':[],'client_id':'c'}")
            << BodyFormat::ObieError;
        QTest::newRow("client before message")
            << 201 << QByteArray("{'client_id':'c','message':'m'}") << BodyFormat::ClientJson;
        QTest::newRow("message on a failure is error_message's")
            << 500 << QByteArray("{'message':'m','error_message':'e'}")
            << BodyFormat::SeedErrorMessage;
        QTest::newRow("nothing known")
            << 500 << QByteArray("{'message':'m'}") << BodyFormat::OtherJson;
        QTest::newRow("empty object") << 201 << QByteArray("{}") << BodyFormat::OtherJson;
    }
    void precedence() {
        QFETCH(int, status);
        QFETCH(QByteArray, body);
        auto o = start(status);
        classifyJsonAnswer(o, j(body.constData()), contextFor(RegistrationOperation::Register));
        QTEST(o.format, "format");
    }
};

QTEST_APPLESS_MAIN(TestJsonAnswer)
#include "tst_json_answer.moc"
