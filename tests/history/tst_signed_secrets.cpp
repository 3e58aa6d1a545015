// A signed (application/jwt) client body carries client_secret and registration_access_token in
// base64url, which is not masking: anyone who decodes the payload reads them. These tests check
// that no view or export of such an answer reveals a secret, not even encoded, unless asked to.
#include "TestSupport.h"
#include "history/HistoryStore.h"
#include "jose/Base64Url.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

const QByteArray kSecret = "S3CR3T-client-secret-value";
const QByteArray kToken = "RAT-registration-access-token";
const QByteArray kAccess = "AT-access-token-value";

QByteArray clientJson() {
    return QJsonDocument(
               QJsonObject{{"client_id", "c-signed"},
                           {"client_secret", QString::fromLatin1(kSecret)},
                           {"registration_access_token", QString::fromLatin1(kToken)},
                           {"nested", QJsonObject{{"access_token", QString::fromLatin1(kAccess)}}},
                           {"scope", "openid accounts"}})
        .toJson(QJsonDocument::Compact);
}

// A compact JWS around the client. The signature is not checked by masking, so any bytes do.
QByteArray signedClient() {
    return base64url::encode("{\"alg\":\"PS256\",\"kid\":\"aspsp\"}") + '.' +
           base64url::encode(clientJson()) + '.' + base64url::encode("signature-bytes");
}

// Every way a secret could appear in an output: as text, or inside any base64url-looking run
// (a JWT segment or not), decoded leniently with and without padding.
QStringList secretsIn(const QByteArray& output) {
    QStringList found;
    auto scan = [&](const QByteArray& text, const QString& where) {
        for (const QByteArray& secret : {kSecret, kToken, kAccess})
            if (text.contains(secret))
                found << where + QStringLiteral(": ") + QString::fromLatin1(secret);
    };
    scan(output, QStringLiteral("text"));
    static const QRegularExpression run(QStringLiteral("[A-Za-z0-9_\\-+/]{8,}={0,2}"));
    for (auto it = run.globalMatch(QString::fromLatin1(output)); it.hasNext();) {
        const QByteArray segment = it.next().captured().toLatin1();
        for (auto options : {QByteArray::Base64UrlEncoding, QByteArray::Base64Encoding})
            for (int skip = 0; skip < 4; ++skip) // a run may start mid-segment
                scan(QByteArray::fromBase64(segment.mid(skip), options),
                     QStringLiteral("decoded ") + QString::fromLatin1(segment.left(24)));
    }
    return found;
}

HttpExchange signedAnswer() {
    HttpExchange e;
    e.method = "POST";
    e.url = QUrl(QStringLiteral("https://bank.example/register"));
    e.requestHeaders = {{"Content-Type", "application/jwt"}};
    e.requestBody = "aaa.bbb.ccc";
    e.status = 201;
    e.responseHeaders = {{"Content-Type", "application/jwt"}};
    e.responseBody = signedClient();
    return e;
}

} // namespace

class TestSignedSecrets : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    int m_n = 0;

    std::unique_ptr<HistoryStore> freshStore() {
        auto store = HistoryStore::open(m_dir.filePath(QStringLiteral("s%1.sqlite").arg(++m_n)));
        if (!store)
            qFatal("cannot open history: %s", qPrintable(store.error().message));
        return std::move(store).value();
    }

    qint64 recordSigned(HistoryStore& store) {
        SubmissionStart s;
        s.url = QStringLiteral("https://bank.example/register");
        s.contentType = "application/jwt";
        s.requestJwt = "aaa.bbb.ccc";
        const qint64 id = *store.begin(s);
        const HttpExchange e = signedAnswer();
        const auto outcome = classifyResponse(e.status, e.responseHeaders, e.responseBody);
        if (!store.complete(id, e, &outcome).ok())
            qFatal("complete failed");
        return id;
    }

private slots:
    // The checker itself: it must find the secrets in the raw signed body, where they appear
    // only in base64url. Otherwise the tests below could not fail.
    void checkerFindsEncodedSecrets() {
        QVERIFY(!signedClient().contains(kSecret));
        const QStringList found = secretsIn(signedClient());
        QVERIFY2(found.size() >= 3, qPrintable(found.join(u'\n')));
        QVERIFY(secretsIn(QByteArray("{\"x\":\"") + base64url::encode(kToken) + "\"}").size() >= 1);
    }

    void outputsHideSecrets_data() {
        QTest::addColumn<QByteArray>("output");
        auto store = freshStore();
        const qint64 id = recordSigned(*store);
        const auto record = store->get(id);
        QVERIFY(record.ok());
        QCOMPARE(record->outcome, QStringLiteral("registered"));
        QCOMPARE(record->clientId, QStringLiteral("c-signed"));
        QTest::newRow("displayedResponseBody") << record->displayedResponseBody();
        QTest::newRow("SubmissionRecord::toJson(false)")
            << QJsonDocument(record->toJson(false)).toJson();
        QTest::newRow("HistoryStore::exportJson(false)") << *store->exportJson({id}, false);
        QTest::newRow("HistoryStore::exportCurl") << store->exportCurl({id})->toUtf8();
        QTest::newRow("HttpExchange::toJson(false)")
            << QJsonDocument(signedAnswer().toJson(false)).toJson();
        QTest::newRow("maskSecretsInBody, bare JWS without a content type")
            << maskSecretsInBody(signedClient(), QByteArray());
        QTest::newRow("maskSecretsInBody, JWS with whitespace")
            << maskSecretsInBody("\n " + signedClient() + "\r\n", "application/jose");
        QTest::newRow("application/jwt that is not a compact JWS")
            << maskSecretsInBody(base64url::encode(clientJson()), "application/jwt");
    }
    void outputsHideSecrets() {
        QFETCH(QByteArray, output);
        const QStringList found = secretsIn(output);
        QVERIFY2(found.isEmpty(),
                 qPrintable(found.join(u'\n') + u'\n' + QString::fromUtf8(output)));
    }

    // Masking shows the decoded payload (not a blank), so the client stays readable.
    void maskedBodyShowsTheDecodedClient() {
        const QByteArray shown = maskSecretsInBody(signedClient(), "application/jwt");
        const QJsonObject o = QJsonDocument::fromJson(shown).object();
        QCOMPARE(o.value("jws_header").toObject().value("kid").toString(), QStringLiteral("aspsp"));
        const QJsonObject payload = o.value("jws_payload").toObject();
        QCOMPARE(payload.value("client_id").toString(), QStringLiteral("c-signed"));
        QCOMPARE(payload.value("scope").toString(), QStringLiteral("openid accounts"));
        QVERIFY(payload.value("client_secret").toString().contains("masked"));
        QVERIFY(
            payload.value("nested").toObject().value("access_token").toString().contains("masked"));
        QVERIFY(o.value("note").toString().contains("reveal secrets"));
        // JSON bodies are masked as before, at any depth; id_token is a secret too.
        const QByteArray json = maskSecretsInBody("{\"a\":[{\"id_token\":\"IDT-value\"}]}", {});
        QVERIFY2(!json.contains("IDT-value"), json.constData());
    }

    void revealShowsTheBodyAsReceived() {
        auto store = freshStore();
        const qint64 id = recordSigned(*store);
        QCOMPARE(store->get(id)->displayedResponseBody(true), signedClient());
        QVERIFY(store->exportJson({id}, true)->contains(signedClient()));
        QCOMPARE(signedAnswer().toJson(true).value("response").toObject().value("body").toString(),
                 QString::fromLatin1(signedClient()));
    }

    // Forgetting replaces the signed body by its decoded payload with the secrets null, says so,
    // and nothing reveals them afterwards, not even exportJson(revealSecrets = true).
    void forgetSecretsReplacesTheSignedBody() {
        auto store = freshStore();
        const qint64 id = recordSigned(*store);
        QVERIFY(store->forgetSecrets({id}).ok());
        const auto record = store->get(id);
        QVERIFY(record->secretsForgotten);
        QVERIFY(secretsIn(record->responseBody).isEmpty());
        QVERIFY(secretsIn(*store->exportJson({id}, true)).isEmpty());
        const QJsonObject body = QJsonDocument::fromJson(record->responseBody).object();
        QVERIFY(body.value("note").toString().contains("forgotten"));
        QCOMPARE(body.value("jws_payload").toObject().value("client_id").toString(),
                 QStringLiteral("c-signed"));
        QVERIFY(body.value("jws_payload").toObject().value("client_secret").isNull());
    }

    // RFC 7592 2.2 lets an update request repeat client_secret: such a request is masked in
    // exports (and left out of the replay script), other requests are exported as sent.
    void requestWithSecretIsMasked() {
        HttpExchange e = signedAnswer();
        e.requestBody = signedClient();
        QVERIFY(secretsIn(QJsonDocument(e.toJson(false)).toJson()).isEmpty());
        QCOMPARE(signedAnswer().toJson(false).value("request").toObject().value("body").toString(),
                 QStringLiteral("aaa.bbb.ccc"));
        SubmissionRecord r;
        r.method = "PUT";
        r.contentType = "application/jwt";
        r.requestJwt = signedClient();
        r.requestClaims = QJsonDocument::fromJson(clientJson()).object();
        QVERIFY(secretsIn(r.toCurl().toUtf8()).isEmpty());
        QVERIFY(r.toCurl().contains("DCR_REQUEST_JWT"));
        QVERIFY(secretsIn(QJsonDocument(r.toJson(false)).toJson()).isEmpty());
        QVERIFY(!secretsIn(QJsonDocument(r.toJson(true)).toJson()).isEmpty());
    }

    // The replay script sends the recorded bytes: a JSON body's UTF-8 survives (Latin-1 would
    // turn "Bänk" into "BÃ¤nk" once the script is written out as UTF-8).
    void curlKeepsAJsonBodysUtf8() {
        SubmissionRecord r;
        r.method = "POST";
        r.url = QStringLiteral("https://bank.example/register");
        r.contentType = "application/json";
        r.requestJwt = QStringLiteral("{\"client_name\":\"B\u00e4nk\"}").toUtf8();
        QVERIFY(r.toCurl().toUtf8().contains(r.requestJwt));
    }
};

QTEST_GUILESS_MAIN(TestSignedSecrets)
#include "tst_signed_secrets.moc"
