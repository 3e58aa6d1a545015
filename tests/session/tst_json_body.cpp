// JSON-body registration (RFC 7591 §3.1) below the front ends: the body builder (which claims are
// left out and which are kept), the plans for POST and PUT, what the history records against what
// a recording server received byte for byte, and the ecosystem presets table.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"
#include "registration/JsonRegistrationBody.h"
#include "registration/SpecVersion.h"
#include "registration/TokenResponse.h"
#include "sandbox/SandboxKit.h"
#include "session/EcosystemPreset.h"
#include "session/Session.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

QJsonObject draftClaims() {
    return QJsonObject{{"iss", "beKuxC1RniVsTeLYwf"},
                       {"aud", "0dw23dsa13123"},
                       {"iat", 1900000000},
                       {"exp", 1900000300},
                       {"jti", "6f1c4bb4-3a8e-4b53-9d1e-2f1f9b0d7c11"},
                       {"software_statement", "eyJhbGciOiJQUzI1NiJ9.eyJ4IjoxfQ.c2ln"},
                       {"software_id", "beKuxC1RniVsTeLYwf"},
                       {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
                       {"grant_types", QJsonArray{"client_credentials"}},
                       {"client_name", QString::fromUtf8("Caf\xc3\xa9 TPP \xe2\x82\xac")},
                       {"x_vendor", QJsonObject{{"nested", QJsonArray{1, 2}}}}};
}

Target jsonTarget() {
    Target t;
    t.profileName = QStringLiteral("json");
    t.endpoint = QUrl(QStringLiteral("https://aspsp.example/register"));
    t.contentType = "application/json";
    t.bodyFormat = RequestBodyFormat::Json;
    return t;
}

} // namespace

class TestJsonBody : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

private slots:
    // RFC 7591 §3.1: "the client sends an HTTP POST to the client registration endpoint with a
    // content type of application/json. ... The HTTP Entity Body is a JSON document consisting
    // of a JSON object and all parameters as top-level members of that JSON object." iss, aud,
    // iat, exp and jti are a signed JWT's claims (RFC 7519 §4.1), left out; every other member,
    // software_statement (RFC 7591 §2.3) and unknown ones included, is kept as it is.
    void bodyKeepsMetadataAndDropsTheJwtEnvelope() {
        const QJsonObject draft = draftClaims();
        const QJsonObject metadata = JsonRegistrationBody::metadata(draft);
        for (const char* dropped : {"iss", "aud", "iat", "exp", "jti"})
            QVERIFY2(!metadata.contains(QLatin1String(dropped)), dropped);
        QCOMPARE(metadata.size(), draft.size() - 5);
        for (auto it = metadata.begin(); it != metadata.end(); ++it)
            QCOMPARE(it.value(), draft.value(it.key()));
        QCOMPARE(metadata.value("software_statement").toString(),
                 QStringLiteral("eyJhbGciOiJQUzI1NiJ9.eyJ4IjoxfQ.c2ln"));
        // Exactly the compact UTF-8 JSON of that object (non-ASCII as UTF-8, not escaped).
        const QByteArray bytes = JsonRegistrationBody::encode(draft);
        QCOMPARE(bytes, QJsonDocument(metadata).toJson(QJsonDocument::Compact));
        QVERIFY(bytes.contains("Caf\xc3\xa9 TPP \xe2\x82\xac"));
        QVERIFY(!bytes.contains('\n'));
        QCOMPARE(*JsonRegistrationBody::decode(bytes), metadata);
        // A draft with nothing but the envelope becomes an empty object, not an error.
        QCOMPARE(JsonRegistrationBody::encode(QJsonObject{{"iss", "x"}, {"jti", "y"}}),
                 QByteArray("{}"));
    }

    void decodeRefusesWhatIsNotAJsonObject() {
        const auto empty = JsonRegistrationBody::decode("  ");
        QVERIFY(!empty);
        QCOMPARE(empty.error().kind, ErrorKind::InputEmpty);
        const auto broken = JsonRegistrationBody::decode("{\"a\":");
        QVERIFY(!broken);
        QVERIFY2(broken.error().message.contains(QStringLiteral("offset")),
                 qPrintable(broken.error().message));
        const auto array = JsonRegistrationBody::decode("[1,2]");
        QVERIFY(!array);
        QVERIFY2(array.error().message.contains(QStringLiteral("not a JSON object")),
                 qPrintable(array.error().message));
        // A compact JWT is not JSON metadata either.
        QVERIFY(!JsonRegistrationBody::decode("eyJhbGciOiJQUzI1NiJ9.e30.c2ln"));
    }

    // The plan holds the exact bytes, the claims decoded from them, and the history's first row
    // is made of those bytes and their Content-Type; nothing is signed.
    void planHoldsTheBytesThatGoOut() {
        auto plan = planJsonRegistration(RegistrationRequest(draftClaims()), jsonTarget());
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        QCOMPARE(plan->bodyFormat, RequestBodyFormat::Json);
        QCOMPARE(plan->method, QByteArray("POST"));
        QCOMPARE(plan->contentType, QByteArray("application/json"));
        QVERIFY(plan->headers.contains(
            QPair<QByteArray, QByteArray>("Content-Type", "application/json")));
        QCOMPARE(plan->body, JsonRegistrationBody::encode(draftClaims()));
        QVERIFY(plan->requestJwt.isEmpty());
        QCOMPARE(plan->claims, JsonRegistrationBody::metadata(draftClaims()));
        const SubmissionStart row = plan->historyStart();
        QCOMPARE(row.requestJwt, plan->body);
        QCOMPARE(row.contentType, QByteArray("application/json"));
        QCOMPARE(row.requestClaims, plan->claims);
        QCOMPARE(row.requestClaims.value("software_statement").toString(),
                 QStringLiteral("eyJhbGciOiJQUzI1NiJ9.eyJ4IjoxfQ.c2ln"));
        // A JWT target refuses to plan a JSON body, and a JSON target a signed JWT.
        Target jwt = jsonTarget();
        jwt.bodyFormat = RequestBodyFormat::Jwt;
        jwt.contentType = "application/jwt";
        QVERIFY(!planJsonRegistration(RegistrationRequest(draftClaims()), jwt));
        const auto signedOne =
            planSignedRegistration("eyJhbGciOiJQUzI1NiJ9.e30.c2ln", jsonTarget());
        QVERIFY(!signedOne);
        QVERIFY2(signedOne.error().message.contains(QStringLiteral("JSON")),
                 qPrintable(signedOne.error().message));
    }

    // RFC 7592 §2.2: "The client MUST include its client_id field in the request, and it MUST be
    // the same as its currently issued client identifier." The PUT uses the profile's format.
    void updateCarriesJsonWithItsClientId() {
        const QByteArray body = JsonRegistrationBody::encode(draftClaims());
        auto plan = planClientOperation(RegistrationOperation::Update, QStringLiteral("client-1"),
                                        {}, "rat", body, jsonTarget());
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        QCOMPARE(plan->method, QByteArray("PUT"));
        QCOMPARE(plan->contentType, QByteArray("application/json"));
        QCOMPARE(plan->claims.value("client_id").toString(), QStringLiteral("client-1"));
        QCOMPARE(*JsonRegistrationBody::decode(plan->body), plan->claims);
        QVERIFY(plan->requestJwt.isEmpty());
        QCOMPARE(plan->historyStart().requestJwt, plan->body);
        // A body naming another client is refused before it leaves.
        QJsonObject other = JsonRegistrationBody::metadata(draftClaims());
        other.insert("client_id", "client-2");
        const auto refused = planClientOperation(
            RegistrationOperation::Update, QStringLiteral("client-1"), {}, "rat",
            QJsonDocument(other).toJson(QJsonDocument::Compact), jsonTarget());
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("client-2")),
                 qPrintable(refused.error().message));
        // RFC 7592 §2.2: "The client MUST NOT include the registration_access_token,
        // registration_client_uri, client_secret_expires_at, or client_id_issued_at fields".
        for (const char* forbidden : {"registration_access_token", "registration_client_uri",
                                      "client_secret_expires_at", "client_id_issued_at"}) {
            QJsonObject withIt = JsonRegistrationBody::metadata(draftClaims());
            withIt.insert(QLatin1String(forbidden), 1);
            const auto no = planClientOperation(
                RegistrationOperation::Update, QStringLiteral("client-1"), {}, "rat",
                QJsonDocument(withIt).toJson(QJsonDocument::Compact), jsonTarget());
            QVERIFY2(!no, forbidden);
            QVERIFY2(no.error().message.contains(QLatin1String(forbidden)),
                     qPrintable(no.error().message));
        }
        // Not JSON at all: named as such.
        const auto notJson =
            planClientOperation(RegistrationOperation::Update, QStringLiteral("client-1"), {},
                                "rat", "eyJhbGciOiJQUzI1NiJ9.e30.c2ln", jsonTarget());
        QVERIFY(!notJson);
        QVERIFY2(notJson.error().message.contains(QStringLiteral("JSON metadata")),
                 qPrintable(notJson.error().message));
    }

    // Through the session to a recording TLS server: no signing key is configured (none is
    // needed), the server receives application/json, and the history row holds exactly the
    // bytes the server received, non-ASCII included.
    void historyHoldsTheBytesTheServerReceived() {
        auto kit = SandboxKit::create(m_dir.filePath(QStringLiteral("kit")));
        QVERIFY(kit);
        QSslConfiguration tls = ScriptedBankKit::serverTls(*kit);
        ScriptedServer recorder(ScriptedServer::Behaviour::Ok, &tls);

        Session session(AppPaths::under(m_dir.filePath(QStringLiteral("home"))));
        session.open();
        Profile p;
        p.name = QStringLiteral("json recorder");
        p.registrationUrl =
            QUrl(QStringLiteral("https://localhost:%1/register").arg(recorder.port()));
        p.transportCertPath = kit->path(QStringLiteral("tpp-transport.pem"));
        p.transportKeyPath = kit->path(QStringLiteral("tpp-transport-key.pem"));
        p.caBundlePath = kit->path(QStringLiteral("ca.pem"));
        p.bodyFormat = RequestBodyFormat::Json;
        p.contentType = "application/json";
        QVERIFY(p.signingKeyPath.isEmpty());

        auto plan = session.planRegistration(RegistrationRequest(draftClaims()), p, {});
        QVERIFY2(plan, plan ? "" : qPrintable(plan.error().message));
        QSignalSpy finished(&session, &Session::submissionFinished);
        auto id = session.submit(*plan);
        QVERIFY2(id, id ? "" : qPrintable(id.error().message));
        QVERIFY(finished.wait(15000));
        const auto result = finished.first().at(1).value<SubmissionResult>();
        QVERIFY(result.historyId > 0);

        QCOMPARE(recorder.receivedRequests().size(), 1);
        const QByteArray raw = recorder.receivedRequests().first();
        const qsizetype end = raw.indexOf("\r\n\r\n");
        const QByteArray received = raw.mid(end + 4);
        QVERIFY(raw.left(end).toLower().contains("content-type: application/json\r\n"));
        QCOMPARE(received, plan->body);

        auto row = session.historyRecord(result.historyId);
        QVERIFY(row);
        QCOMPARE(row->requestJwt, received);
        QCOMPARE(row->contentType, QByteArray("application/json"));
        QCOMPARE(row->requestClaims, *JsonRegistrationBody::decode(received));
        // The export shows the body as sent (decoded as UTF-8) with its Content-Type.
        const QJsonObject exported = row->toJson().value("request").toObject();
        QCOMPARE(exported.value("content_type").toString(), QStringLiteral("application/json"));
        QCOMPARE(exported.value("jwt").toString().toUtf8(), received);

        // The same profile as a JWT body needs the signing key it does not have: the JSON path
        // above never asked for one.
        p.bodyFormat = RequestBodyFormat::Jwt;
        p.contentType = "application/jwt";
        const auto needsKey = session.planRegistration(RegistrationRequest(draftClaims()), p, {});
        QVERIFY(!needsKey);
        QCOMPARE(needsKey.error().kind, ErrorKind::SessionNoSigningKey);
        // A JSON profile with a JWT Content-Type is refused, naming RFC 7591 §3.1.
        p.bodyFormat = RequestBodyFormat::Json;
        const auto mismatch = session.planRegistration(RegistrationRequest(draftClaims()), p, {});
        QVERIFY(!mismatch);
        QVERIFY2(mismatch.error().message.contains(QStringLiteral("RFC 7591")),
                 qPrintable(mismatch.error().message));
    }

    // The presets table: each preset's choices are ones the tool can use, and the facts the docs
    // state for each ecosystem are the table's.
    void presetsTable() {
        QSet<QString> ids;
        for (const EcosystemPreset& preset : ecosystemPresets()) {
            QVERIFY2(!ids.contains(preset.id), qPrintable(preset.id));
            ids.insert(preset.id);
            QVERIFY(!preset.title.isEmpty());
            QVERIFY(!preset.source.isEmpty());
            QVERIFY2(contentTypeFits(preset.bodyFormat, preset.contentType), qPrintable(preset.id));
            QVERIFY2(specVersionFromName(specVersionName(preset.specVersion)) == preset.specVersion,
                     qPrintable(preset.id));
            QVERIFY(lifecycleAuthFromName(lifecycleAuthName(preset.lifecycleAuth)) ==
                    preset.lifecycleAuth);
            QVERIFY2(clientAuthMethodFromName(clientAuthMethodName(preset.tokenAuthMethod)) ==
                         preset.tokenAuthMethod,
                     qPrintable(preset.id));
            // A JSON body never requires the JWT envelope's claims.
            if (preset.bodyFormat == RequestBodyFormat::Json)
                for (const QString& claim : preset.requiredClaims)
                    QVERIFY2(!JsonRegistrationBody::isJwtOnlyClaim(claim), qPrintable(claim));
            QCOMPARE(findEcosystemPreset(preset.id), &preset);
        }
        QCOMPARE(ids, (QSet<QString>{"uk-obie", "open-finance-brasil", "cdr-au", "rfc7591"}));
        QVERIFY(!findEcosystemPreset(QStringLiteral("uk")));
        QVERIFY(!findEcosystemPreset(QString()));

        const EcosystemPreset* obie = findEcosystemPreset(QStringLiteral("uk-obie"));
        QCOMPARE(obie->bodyFormat, RequestBodyFormat::Jwt);
        QCOMPARE(obie->contentType, QByteArray("application/jwt"));
        QCOMPARE(obie->lifecycleAuth, LifecycleAuth::Obie);
        QVERIFY(obie->requiredClaims.contains(QStringLiteral("jti")));
        const EcosystemPreset* brasil = findEcosystemPreset(QStringLiteral("open-finance-brasil"));
        QCOMPARE(brasil->bodyFormat, RequestBodyFormat::Json);
        QCOMPARE(brasil->contentType, QByteArray("application/json"));
        QCOMPARE(brasil->lifecycleAuth, LifecycleAuth::Rfc7592);
        QCOMPARE(brasil->tokenAuthMethod, ClientAuthMethod::TlsClientAuth);
        for (const char* claim : {"software_statement", "jwks_uri", "redirect_uris"})
            QVERIFY2(brasil->requiredClaims.contains(QLatin1String(claim)), claim);
        // Brazil's own rule set and directories (DCR 1.0 §7.1), not OBIE's.
        QCOMPARE(brasil->specVersion, SpecVersion::Ofb);
        QVERIFY(brasil->directoryIssuer.isEmpty());
        QVERIFY(preflightOptionsFor(brasil->applyTo(Profile{}))
                    .trustedDirectoryIssuers()
                    .contains(QStringLiteral("Open Finance Open Finance Brasil production SSA "
                                             "issuer")));
        // The CDR: a signed JWT, private_key_jwt, a token of scope cdr:registration.
        const EcosystemPreset* cdr = findEcosystemPreset(QStringLiteral("cdr-au"));
        QVERIFY(cdr);
        QCOMPARE(cdr->bodyFormat, RequestBodyFormat::Jwt);
        QCOMPARE(cdr->contentType, QByteArray("application/jwt"));
        QCOMPARE(cdr->specVersion, SpecVersion::Cdr);
        QCOMPARE(cdr->lifecycleAuth, LifecycleAuth::Cdr); // the token always asks cdr:registration
        QCOMPARE(cdr->tokenAuthMethod, ClientAuthMethod::PrivateKeyJwt);
        QCOMPARE(cdr->applyTo(Profile{}).tokenScope, QStringLiteral("cdr:registration"));
        const EcosystemPreset* generic = findEcosystemPreset(QStringLiteral("rfc7591"));
        QCOMPARE(generic->bodyFormat, RequestBodyFormat::Json);
        QVERIFY(generic->requiredClaims.isEmpty()); // RFC 7591 requires no member as such

        // Applying a preset keeps what it does not decide; defaults never overwrite a claim.
        Profile p;
        p.name = QStringLiteral("bank");
        p.registrationUrl = QUrl(QStringLiteral("https://bank.example/register"));
        p.transportCertPath = QStringLiteral("/tmp/cert.pem");
        const Profile applied = brasil->applyTo(p);
        QCOMPARE(applied.name, p.name);
        QCOMPARE(applied.registrationUrl, p.registrationUrl);
        QCOMPARE(applied.transportCertPath, p.transportCertPath);
        QCOMPARE(applied.preset, QStringLiteral("open-finance-brasil"));
        QCOMPARE(applied.bodyFormat, RequestBodyFormat::Json);
        QCOMPARE(applied.contentType, QByteArray("application/json"));
        QCOMPARE(applied.lifecycleAuth, LifecycleAuth::Rfc7592);
        QCOMPARE(Profile::fromJson(applied.toJson()).preset, applied.preset);
        QCOMPARE(Profile::fromJson(applied.toJson()).bodyFormat, applied.bodyFormat);
        const QJsonObject filled =
            brasil->fillDefaults(QJsonObject{{"token_endpoint_auth_method", "private_key_jwt"}});
        QCOMPARE(filled.value("token_endpoint_auth_method").toString(),
                 QStringLiteral("private_key_jwt"));
        QVERIFY(filled.contains("grant_types"));
    }

    // The reference's "Ecosystem presets" table (docs/reference.md) says what the table holds: a
    // row per preset with its body format, Content-Type, spec, lifecycle auth and token auth.
    void readmePresetTableMatches() {
        const QString readme = readDoc(QStringLiteral("docs/reference.md"));
        QVERIFY(readme.contains(QStringLiteral("## Ecosystem presets")));
        for (const EcosystemPreset& preset : ecosystemPresets()) {
            const QString prefix = QStringLiteral("| `%1` |").arg(preset.id);
            const qsizetype at = readme.indexOf(prefix);
            QVERIFY2(at >= 0,
                     qPrintable(QStringLiteral("docs/reference.md lacks preset ") + preset.id));
            const QStringList cells = readme.mid(at, readme.indexOf(u'\n', at) - at).split(u'|');
            QVERIFY2(cells.size() >= 9, qPrintable(preset.id));
            QCOMPARE(cells.at(2).trimmed(), requestBodyFormatName(preset.bodyFormat));
            QCOMPARE(cells.at(3).trimmed(),
                     QStringLiteral("`%1`").arg(QString::fromLatin1(preset.contentType)));
            QCOMPARE(cells.at(4).trimmed(),
                     QStringLiteral("`%1`").arg(specVersionName(preset.specVersion)));
            QCOMPARE(cells.at(5).trimmed(), lifecycleAuthName(preset.lifecycleAuth));
            QCOMPARE(cells.at(6).trimmed(),
                     QStringLiteral("`%1`").arg(clientAuthMethodName(preset.tokenAuthMethod)));
        }
    }
};

QTEST_MAIN(TestJsonBody)
#include "tst_json_body.moc"
