// Issue #21 items 1 and 2: a response body whose secrets cannot be located by parsing (JSON with
// text after it, a form, a body cut at the size limit, base64 that decodes to a client) must not
// show them in any view, export, report or outcome text; where the masker cannot be sure, the
// body is withheld. Also the direct guard of registration_access_token masking (issue #21,
// "Weakly guarded").
#include "history/SubmissionRecord.h"
#include "jose/Base64Url.h"
#include "registration/RegistrationOutcome.h"
#include "registration/SecretScanner.h"
#include "registration/TokenResponse.h"
#include "testplan/TestReport.h"
#include "testplan/TestRunSummary.h"
#include "transport/HttpExchange.h"

#include <QJsonDocument>
#include <QRegularExpression>
#include <QTest>

using namespace dcr;

namespace {

const QByteArray kSecret = "s3cr3t-Cs-7f1e9a";
const QByteArray kToken = "t0k-Rat-4c2d8b";

const QByteArray kWithheld = "[body withheld: could not be masked; --reveal-secrets shows it]";

QByteArray clientJson() {
    return "{\"client_id\":\"c-21\",\"client_secret\":\"" + kSecret +
           "\",\"registration_access_token\":\"" + kToken +
           "\",\"registration_client_uri\":\"https://bank.example/register/c-21\","
           "\"token_endpoint_auth_method\":\"client_secret_basic\","
           "\"grant_types\":[\"client_credentials\",\"refresh_token\"]}";
}

// Every way a planted secret could appear in an output: as text, or inside any base64 or
// base64url run (padded or not, wrapped or not, read at each alignment a run can start at),
// base64 inside base64 included.
QStringList secretsIn(const QByteArray& output, int depth = 0) {
    QStringList found;
    for (const QByteArray& secret : {kSecret, kToken})
        if (output.contains(secret))
            found << QString::fromLatin1(secret);
    if (depth == 2)
        return found;
    QByteArray compacted = output;
    compacted.replace("\r\n", "").replace('\n', "");
    static const QRegularExpression run(QStringLiteral("[A-Za-z0-9_\\-+/]{8,}={0,2}"));
    for (auto it = run.globalMatch(QString::fromLatin1(compacted)); it.hasNext();) {
        const QByteArray segment = it.next().captured().toLatin1();
        for (auto options : {QByteArray::Base64UrlEncoding, QByteArray::Base64Encoding})
            for (int skip = 0; skip < 4; ++skip)
                for (const QString& secret :
                     secretsIn(QByteArray::fromBase64(segment.mid(skip), options), depth + 1))
                    found << QStringLiteral("decoded ") + QString::fromLatin1(segment.left(24)) +
                                 QStringLiteral(": ") + secret;
    }
    return found;
}

QByteArray paddedJws(const QByteArray& payload) {
    return QByteArray("{\"alg\":\"PS256\",\"kid\":\"k1\"}")
               .toBase64(QByteArray::Base64UrlEncoding) +
           '.' + payload.toBase64(QByteArray::Base64UrlEncoding) + '.' +
           QByteArray("signature-bytes!").toBase64(QByteArray::Base64UrlEncoding);
}

QByteArray wrapped(const QByteArray& text, int width) {
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); i += width)
        out += text.mid(i, width) + "\r\n";
    return out;
}

// A body cut right after `marker`'s first occurrence plus `extra` bytes.
QByteArray cutAfter(const QByteArray& body, const QByteArray& marker, int extra) {
    return body.left(body.indexOf(marker) + marker.size() + extra);
}

} // namespace

class TestSecretScanner : public QObject {
    Q_OBJECT
private slots:
    // The checker finds secrets where today's code leaves them, or the tests below could not
    // fail.
    void checkerFindsPlantedSecrets() {
        QVERIFY(secretsIn(clientJson()).size() == 2);
        QVERIFY(!secretsIn(clientJson().toBase64()).isEmpty());
        QVERIFY(!secretsIn(wrapped(clientJson().toBase64(), 76)).isEmpty());
        QVERIFY(!secretsIn("x" + base64url::encode(clientJson())).isEmpty());
    }

    // #21.1: every body whose secrets parsing cannot locate is masked by scanning, or withheld
    // with the one notice; never shown in clear. `masked` says which of the two is expected.
    void unparseableBodiesNeverShowSecrets_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<bool>("withheld");
        const QByteArray json = clientJson();
        QTest::newRow("#21.1 JSON then an HTML comment")
            << json + "\n<!-- trace id 42 -->" << QByteArray("application/json") << false;
        QTest::newRow("#21.1 form body")
            << "client_id=a&client_secret=" + kSecret + "&registration_access_token=" + kToken
            << QByteArray("application/x-www-form-urlencoded") << false;
        QTest::newRow("#21.1 form body, names in capitals")
            << "CLIENT_SECRET=" + kSecret + ";Registration_Access_Token=" + kToken
            << QByteArray("text/plain") << false;
        QTest::newRow("#21.1 cut after both secrets")
            << cutAfter(json, "registration_client_uri", 0) << QByteArray("application/json")
            << false;
        QTest::newRow("#21.1 cut inside a secret's value")
            << cutAfter(json, kToken.left(5), 0) << QByteArray("application/json") << true;
        QTest::newRow("#21.1 cut inside a secret's key")
            << cutAfter(json, "\"registration_acc", 0) << QByteArray("application/json") << true;
        QTest::newRow("#21.1 cut right after a secret's key")
            << cutAfter(json, "\"registration_access_token\":", 0) << QByteArray("application/json")
            << true;
        QTest::newRow("#21.1 single quotes (a Python repr)")
            << "{'client_secret': '" + kSecret + "', 'registration_access_token': '" + kToken +
                   "'} trailing"
            << QByteArray("text/plain") << false;
        QTest::newRow("#21.1 name: value lines")
            << "client_secret: " + kSecret + "\nregistration_access_token : " + kToken + "\n"
            << QByteArray("text/plain") << false;
        QTest::newRow("#21.1 a secret name followed by prose")
            << "your client_secret is " + kSecret + ", keep it" << QByteArray("text/plain") << true;
        QTest::newRow("#21.1 markup around the value")
            << "<td>client_secret</td><td>" + kSecret + "</td>" << QByteArray("text/html") << true;
        QTest::newRow("#21.1 a name written with a JSON escape")
            << "{\"client\\u005fsecret\":\"" + kSecret + "\"} x" << QByteArray("text/plain")
            << true;
        QTest::newRow("#21.1 a name written with percent-encoding")
            << "client%5Fsecret=" + kSecret << QByteArray("application/x-www-form-urlencoded")
            << true;
        QTest::newRow("#21.1 a structured value")
            << "client_secret={\"v\":\"" + kSecret + "\"} x" << QByteArray("text/plain") << true;
        QTest::newRow("#21.2 JWS with '=' padding as text/plain")
            << paddedJws(json) << QByteArray("text/plain") << true;
        QTest::newRow("#21.2 JWS with '=' padding, no Content-Type")
            << paddedJws(json) << QByteArray() << true;
        QTest::newRow("#21.2 standard base64 of the client")
            << json.toBase64() << QByteArray("text/plain") << true;
        QTest::newRow("#21.2 base64url, unpadded, inside HTML")
            << "<p>" + base64url::encode(json) + "</p>" << QByteArray("text/html") << true;
        QTest::newRow("#21.2 base64 wrapped at 76 columns")
            << wrapped(json.toBase64(), 76) << QByteArray("application/octet-stream") << true;
        QTest::newRow("#21.2 base64 glued to other letters")
            << "xyz" + json.toBase64() << QByteArray("text/plain") << true;
        QTest::newRow("#21.2 base64 of base64")
            << json.toBase64().toBase64() << QByteArray("text/plain") << true;
        QTest::newRow("#21.2 form value that is base64")
            << "state=1&blob=" + json.toBase64(QByteArray::Base64UrlEncoding)
            << QByteArray("application/x-www-form-urlencoded") << true;
    }
    void unparseableBodiesNeverShowSecrets() {
        QFETCH(QByteArray, body);
        QFETCH(QByteArray, contentType);
        QFETCH(bool, withheld);
        QVERIFY2(!secretsIn(body).isEmpty(), "the row plants no secret");
        const QByteArray shown = maskSecretsInBody(body, contentType);
        QVERIFY2(secretsIn(shown).isEmpty(), shown.constData());
        if (withheld)
            QCOMPARE(shown, kWithheld);
        else
            QVERIFY2(shown.contains(SecretScanner::mask()), shown.constData());
        const QByteArray forgotten = forgetSecretsInBody(body, contentType);
        QVERIFY2(secretsIn(forgotten).isEmpty(), forgotten.constData());
        // The shared-history guard and the request exports see them too.
        QVERIFY(bodyHasSecrets(body));
        // The test run's reports and saved summaries.
        ScenarioResult r;
        r.scenarioId = QStringLiteral("DCR-X");
        r.httpStatus = 201;
        r.responseContentType = contentType;
        r.responseBody = body;
        TestRunSummary summary;
        summary.results << r;
        QVERIFY(secretsIn(QJsonDocument(summary.toJson()).toJson()).isEmpty());
        QVERIFY(secretsIn(testRunHtml(summary)).isEmpty());
        QVERIFY(secretsIn(testRunJunitXml(summary)).isEmpty());
        // --reveal-secrets still shows the body as received: nothing is lost.
        HttpExchange e;
        e.status = 201;
        e.responseHeaders = {{"Content-Type", contentType}};
        e.responseBody = body;
        QVERIFY(secretsIn(QJsonDocument(e.toJson(false)).toJson()).isEmpty());
        QCOMPARE(e.toJson(true).value("response").toObject().value("body").toString().toUtf8(),
                 body);
    }

    // #21.1: the masking keeps what is not a secret, so the body stays readable.
    void maskingKeepsTheRest() {
        const QByteArray shown =
            maskSecretsInBody(clientJson() + "\n<!-- trace id 42 -->", "application/json");
        QVERIFY(shown.contains("\"client_id\":\"c-21\""));
        QVERIFY(shown.contains("\"client_secret\":\"" + SecretScanner::mask() + "\""));
        QVERIFY(shown.contains("client_secret_basic"));
        QVERIFY(shown.contains("<!-- trace id 42 -->"));
        QCOMPARE(maskSecretsInBody("client_id=a&client_secret=" + kSecret + "&x=1", {}),
                 "client_id=a&client_secret=" + SecretScanner::mask() + "&x=1");
        // Forgetting nulls the value, quotes and all.
        QCOMPARE(forgetSecretsInBody("{\"client_secret\":\"" + kSecret + "\"} x", {}),
                 QByteArray("{\"client_secret\":null} x"));
    }

    // Bodies without secrets are shown exactly as received: the scan does not cry wolf on the
    // words DCR uses everywhere (client_secret_basic, "refresh_token" as a grant type, "code
    // id_token" as a response type, a JWKS modulus).
    void cleanBodiesAreUnchanged_data() {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("gateway HTML")
            << QByteArray("<html><body><h1>502 Bad Gateway</h1></body></html>\n");
        QTest::newRow("metadata cut after its grant types")
            << QByteArray("{\"token_endpoint_auth_method\":\"client_secret_basic\","
                          "\"grant_types\":[\"refresh_token\"],\"response_types\":[\"code "
                          "id_token\"],\"x\":");
        QTest::newRow("form without secrets") << QByteArray("error=invalid_request&state=xyz");
        QTest::newRow("null and masked values")
            << "client_secret=null&access_token=" + SecretScanner::mask();
        QTest::newRow("JWKS modulus, base64url")
            << "{\"n\":\"" + base64url::encode(QByteArray(256, '\x9c')) + "\"} trailing";
    }
    void cleanBodiesAreUnchanged() {
        QFETCH(QByteArray, body);
        QCOMPARE(maskSecretsInBody(body, "text/plain"), body);
        QVERIFY(!bodyHasSecrets(body));
    }

    // #21.2: a JSON body (parsed) can still carry a client in base64 inside a string, or a token
    // in a URL: the string is masked, the rest of the body shown.
    void secretsInsideJsonStringsAreMasked() {
        const QByteArray body = "{\"blob\":\"" + paddedJws(clientJson()) +
                                "\",\"cb\":\"https://tpp.example/cb?access_token=" + kToken +
                                "&x=1\",\"ok\":\"fine\"}";
        QVERIFY(bodyHasSecrets(body));
        const QByteArray shown = maskSecretsInBody(body, "application/json");
        QVERIFY2(secretsIn(shown).isEmpty(), shown.constData());
        const QJsonObject o = QJsonDocument::fromJson(shown).object();
        QCOMPARE(o.value("ok").toString(), QStringLiteral("fine"));
        QCOMPARE(o.value("cb").toString(), QStringLiteral("https://tpp.example/cb?access_token=") +
                                               QString::fromUtf8(SecretScanner::mask()) +
                                               QStringLiteral("&x=1"));
        // A request JWT's ordinary software_statement (a JWS whose payload names no secret) is
        // not a secret: requests stay exported as sent.
        const QByteArray ssa = base64url::encode("{\"alg\":\"PS256\"}") + '.' +
                               base64url::encode("{\"software_id\":\"s\",\"grant_types\":["
                                                 "\"refresh_token\"]}") +
                               '.' + base64url::encode("sig");
        QVERIFY(!bodyHasSecrets("{\"software_statement\":\"" + ssa + "\"}"));
    }

    // #21.1: the bank's words quoted by the outcome (summary, the history row's error text,
    // dcrctl's error line) are masked like the body.
    void outcomeTextIsMasked() {
        const HeaderList text{{"Content-Type", "text/plain"}};
        const auto trailing = classifyResponse(201, text, clientJson() + "\n<!-- trace 42 -->");
        QCOMPARE(trailing.kind, OutcomeKind::Unexpected);
        QVERIFY2(secretsIn(trailing.text.toUtf8()).isEmpty(), qPrintable(trailing.text));
        QVERIFY(trailing.text.contains(QStringLiteral("c-21")));
        const auto cut = classifyResponse(201, text, cutAfter(clientJson(), kSecret.left(4), 0));
        QCOMPARE(cut.text.toUtf8(), kWithheld);
        const auto described = classifyResponse(
            400, {{"Content-Type", "application/json"}},
            "{\"error\":\"invalid_client_metadata\",\"error_description\":\"client_secret=" +
                kSecret + " was refused\"}");
        QCOMPARE(described.errorClass, QStringLiteral("invalid_client_metadata"));
        QVERIFY2(secretsIn(described.summary().toUtf8()).isEmpty(),
                 qPrintable(described.summary()));
        QVERIFY(described.summary().contains(QStringLiteral("was refused")));
        QVERIFY(secretsIn(QJsonDocument(described.toJson()).toJson()).isEmpty());
        const auto tpp =
            classifyResponse(400, {},
                             "{\"tppMessages\":[{\"category\":\"ERROR\",\"code\":\"x\",\"text\":"
                             "\"registration_access_token: " +
                                 kToken + "\"}]}");
        QVERIFY(secretsIn(tpp.tppMessages.first().text.toUtf8()).isEmpty());
        QVERIFY(secretsIn(tpp.summary().toUtf8()).isEmpty());
        const auto token = parseTokenResponse(
            401, {},
            "{\"error\":\"invalid_client\",\"error_description\":\"client_secret=" + kSecret +
                " is wrong\"}");
        QVERIFY2(secretsIn(token.summary().toUtf8()).isEmpty(), qPrintable(token.summary()));
        QVERIFY(secretsIn(QJsonDocument(token.toJson()).toJson()).isEmpty());
        // A row recorded before the classification masked its text is masked when shown.
        SubmissionRecord old;
        old.errorClass = QStringLiteral("x");
        old.errorText = QString::fromUtf8("client_secret=" + kSecret);
        QVERIFY(secretsIn(old.displayedErrorText().toUtf8()).isEmpty());
        QVERIFY(secretsIn(QJsonDocument(old.toJson(false)).toJson()).isEmpty());
        QCOMPARE(old.displayedErrorText(true), old.errorText);
    }

    // Issue #21 "Weakly guarded": registration_access_token masking had only an indirect test.
    // RFC 7592 section 3: "registration_access_token REQUIRED. String containing the access
    // token to be used at the client configuration endpoint" — a bearer credential, never shown.
    void registrationAccessTokenIsMaskedEverywhere() {
        for (const char* name : {"client_secret", "registration_access_token", "access_token",
                                 "refresh_token", "id_token", "Registration_Access_Token"})
            QVERIFY2(isSecretField(QString::fromLatin1(name)), name);
        QVERIFY(!isSecretField(QStringLiteral("registration_client_uri")));
        const QByteArray json = "{\"client_id\":\"c\",\"registration_access_token\":\"" + kToken +
                                "\",\"deep\":[{\"registration_access_token\":\"" + kToken + "\"}]}";
        for (const QByteArray& shown :
             {maskSecretsInBody(json, "application/json"), maskSecretsInJson(json),
              maskSecretsInBody(json + " trailing", "application/json"),
              maskSecretsInBody("registration_access_token=" + kToken, {}),
              maskSecretsInBody(paddedJws(json), "text/plain"),
              QJsonDocument(
                  maskSecretFields(QJsonDocument::fromJson(json).object(), QStringLiteral("x"))
                      .toObject())
                  .toJson()})
            QVERIFY2(!shown.contains(kToken), shown.constData());
        QVERIFY(bodyHasSecrets(json));
        QVERIFY(!bodyHasSecrets("{\"registration_access_token\":null}"));
        SubmissionRecord r;
        r.responseStatus = 201;
        r.responseBody = json;
        QVERIFY(!QJsonDocument(r.toJson(false)).toJson().contains(kToken));
        QVERIFY(QJsonDocument(r.toJson(true)).toJson().contains(kToken));
    }

    // decodeCompactJws takes a JWS apart with Jws's own splitting (JwsSegments) but, unlike
    // Jws::parse, accepts any alg and critical extensions: a body signed in a way the console
    // refuses to trust still carries a client_secret that must be found and masked.
    void compactJwsOfAnyAlgIsDecoded_data() {
        QTest::addColumn<QByteArray>("header");
        QTest::newRow("PS256") << QByteArray("{\"alg\":\"PS256\"}");
        QTest::newRow("none") << QByteArray("{\"alg\":\"none\"}");
        QTest::newRow("unknown alg") << QByteArray("{\"alg\":\"XS999\"}");
        QTest::newRow("crit") << QByteArray("{\"alg\":\"PS256\",\"crit\":[\"b64\"]}");
    }
    void compactJwsOfAnyAlgIsDecoded() {
        QFETCH(QByteArray, header);
        const QByteArray jws = base64url::encode(header) + '.' + base64url::encode(clientJson()) +
                               '.' + base64url::encode("sig");
        const auto decoded = decodeCompactJws("  " + jws + "\r\n");
        QVERIFY(decoded.has_value());
        QCOMPARE(decoded->header, QJsonDocument::fromJson(header).object());
        QCOMPARE(decoded->payload, clientJson());
        const QByteArray shown = maskSecretsInBody(jws, "application/jwt");
        QVERIFY2(!shown.contains(kSecret) && !shown.contains(kToken), shown.constData());
        QVERIFY(bodyHasSecrets(jws));
    }
    void compactJwsMalformed() {
        const QByteArray h = base64url::encode("{\"alg\":\"PS256\"}");
        const QByteArray p = base64url::encode("{}");
        for (const QByteArray& body :
             {QByteArray(), QByteArray("a.b"), h + '.' + p, h + '.' + p + ".s.x", '.' + p + ".c2ln",
              h + ".*!.c2ln", base64url::encode("[1]") + '.' + p + ".c2ln",
              base64url::encode("{\"alg\":1}") + '.' + p + ".c2ln",
              base64url::encode("{\"typ\":\"JWT\"}") + '.' + p + ".c2ln"})
            QVERIFY2(!decodeCompactJws(body), body.constData());
    }

    // The scanner's own verdicts, for the cases the masker relies on.
    void scannerVerdicts() {
        using S = SecretScanner;
        QVERIFY(S::scan("refresh_token", S::Mode::Mask, S::Input::Complete).clean());
        QVERIFY(S::scan("the client_secret is wrong", S::Mode::Mask, S::Input::Complete).clean());
        QVERIFY(S::scan("the client_secret is wrong").unsure); // a body: cannot tell
        QVERIFY(S::scan("ends with client").unsure);           // cut inside a key
        QVERIFY(S::scan("client_secret_basic").clean());
        const auto two = S::scan("a=1&client_secret=x1&id_token=\"y2\"");
        QCOMPARE(two.secrets, 2);
        QCOMPARE(two.text, "a=1&client_secret=" + S::mask() + "&id_token=\"" + S::mask() + "\"");
        QCOMPARE(S::maskText(QStringLiteral("access_token: abc def")),
                 QStringLiteral("access_token: ") + QString::fromUtf8(S::mask()));
    }
};

QTEST_APPLESS_MAIN(TestSecretScanner)
#include "tst_secret_scanner.moc"
