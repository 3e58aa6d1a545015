// Profile's typed fields (#23): each name is read once, in Profile::fromJson, into its enum; toJson
// writes the same names back; a name this version does not know is an error naming the profile,
// the field, what it held and the names allowed, never a silent default.

#include "transport/Profile.h"

#include <QJsonDocument>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

QJsonObject named(const char* name) {
    return QJsonObject{{QStringLiteral("name"), QString::fromLatin1(name)}};
}

} // namespace

class TestProfile : public QObject {
    Q_OBJECT

private slots:
    // Every value of each enum survives toJson → fromJson, as the name the file has always held.
    void enumsRoundTrip() {
        for (RequestBodyFormat format : {RequestBodyFormat::Jwt, RequestBodyFormat::Json}) {
            Profile p;
            p.bodyFormat = format;
            const QJsonObject json = p.toJson();
            QCOMPARE(json.value(QStringLiteral("body_format")).toString(),
                     requestBodyFormatName(format));
            const Profile back = Profile::fromJson(json);
            QCOMPARE(back.bodyFormat, format);
            QVERIFY(back.readable().ok());
        }
        for (SpecVersion spec : allSpecVersions()) {
            Profile p;
            p.specVersion = spec;
            const QJsonObject json = p.toJson();
            QCOMPARE(json.value(QStringLiteral("spec_version")).toString(), specVersionName(spec));
            QCOMPARE(Profile::fromJson(json).specVersion, spec);
        }
        for (SandboxMode mode : {SandboxMode::Seed, SandboxMode::Obie}) {
            Profile p;
            p.sandboxMode = mode;
            const QJsonObject json = p.toJson();
            QCOMPARE(json.value(QStringLiteral("sandbox_mode")).toString(), sandboxModeName(mode));
            QCOMPARE(Profile::fromJson(json).sandboxMode, mode);
        }
        for (LifecycleAuth auth : {LifecycleAuth::Obie, LifecycleAuth::Rfc7592}) {
            Profile p;
            p.lifecycleAuth = auth;
            const QJsonObject json = p.toJson();
            QCOMPARE(json.value(QStringLiteral("lifecycle_auth")).toString(),
                     lifecycleAuthName(auth));
            QCOMPARE(Profile::fromJson(json).lifecycleAuth, auth);
        }
        for (ClientAuthMethod method :
             {ClientAuthMethod::PrivateKeyJwt, ClientAuthMethod::TlsClientAuth,
              ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost}) {
            Profile p;
            p.tokenAuthMethod = method;
            const QJsonObject json = p.toJson();
            QCOMPARE(json.value(QStringLiteral("token_auth_method")).toString(),
                     clientAuthMethodName(method));
            QCOMPARE(Profile::fromJson(json).tokenAuthMethod, method);
        }
        // The names are the ones files have always held.
        Profile p;
        p.bodyFormat = RequestBodyFormat::Json;
        p.specVersion = SpecVersion::Obie33;
        p.sandboxMode = SandboxMode::Obie;
        p.lifecycleAuth = LifecycleAuth::Rfc7592;
        p.tokenAuthMethod = ClientAuthMethod::TlsClientAuth;
        const QJsonObject json = p.toJson();
        QCOMPARE(json.value(QStringLiteral("body_format")).toString(), QStringLiteral("json"));
        QCOMPARE(json.value(QStringLiteral("spec_version")).toString(), QStringLiteral("obie-3.3"));
        QCOMPARE(json.value(QStringLiteral("sandbox_mode")).toString(), QStringLiteral("obie"));
        QCOMPARE(json.value(QStringLiteral("lifecycle_auth")).toString(),
                 QStringLiteral("rfc7592"));
        QCOMPARE(json.value(QStringLiteral("token_auth_method")).toString(),
                 QStringLiteral("tls_client_auth"));
    }

    void unknownNameIsRefused_data() {
        QTest::addColumn<QString>("key");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("allowed");
        QTest::newRow("body_format")
            << QStringLiteral("body_format") << QJsonValue(QStringLiteral("xml"))
            << QStringLiteral("jwt, json");
        QTest::newRow("spec_version")
            << QStringLiteral("spec_version") << QJsonValue(QStringLiteral("obie-3.4"))
            << QStringLiteral("seed, obie-3.1, obie-3.2, obie-3.3, ofb, cdr");
        QTest::newRow("sandbox_mode")
            << QStringLiteral("sandbox_mode") << QJsonValue(QStringLiteral("OBIE"))
            << QStringLiteral("seed, obie, ofb, cdr");
        QTest::newRow("lifecycle_auth")
            << QStringLiteral("lifecycle_auth") << QJsonValue(QStringLiteral("rfc7591"))
            << QStringLiteral("obie, rfc7592, cdr");
        QTest::newRow("token_auth_method")
            << QStringLiteral("token_auth_method") << QJsonValue(QStringLiteral("client_secret"))
            << QStringLiteral("private_key_jwt, tls_client_auth, client_secret_basic, "
                              "client_secret_post");
        QTest::newRow("insecure") << QStringLiteral("insecure") << QJsonValue(QStringLiteral("yes"))
                                  << QStringLiteral("true, false");
        QTest::newRow("embedded_sandbox")
            << QStringLiteral("embedded_sandbox") << QJsonValue(1) << QStringLiteral("true, false");
        QTest::newRow("a number") << QStringLiteral("body_format") << QJsonValue(3)
                                  << QStringLiteral("jwt, json");
    }

    // The message says where (the profile), what (the field and the value it held), what would do
    // (the names allowed) and how to fix it.
    void unknownNameIsRefused() {
        QFETCH(QString, key);
        QFETCH(QJsonValue, value);
        QFETCH(QString, allowed);
        QJsonObject json = named("bank");
        json.insert(key, value);
        const Profile p = Profile::fromJson(json);
        QCOMPARE(p.unreadable.size(), 1);
        const Status readable = p.readable();
        QVERIFY(!readable);
        QCOMPARE(readable.error().kind, ErrorKind::InputUnreadable);
        const QString held = value.isString() ? QStringLiteral("\"%1\"").arg(value.toString())
                                              : QString::number(value.toInt());
        QCOMPARE(readable.error().message,
                 QStringLiteral("profile \"bank\": %1 %2 is not one of %3; fix it in the profile "
                                "(dcrctl profile add or the Profiles dialog)")
                     .arg(key, held, allowed));
    }

    // Two wrong fields: both are named.
    void everyUnknownNameIsNamed() {
        QJsonObject json = named("bank");
        json.insert(QStringLiteral("body_format"), QStringLiteral("xml"));
        json.insert(QStringLiteral("lifecycle_auth"), QStringLiteral("none"));
        const Status readable = Profile::fromJson(json).readable();
        QVERIFY(!readable);
        QVERIFY2(readable.error().message.contains(QStringLiteral("body_format \"xml\"")) &&
                     readable.error().message.contains(QStringLiteral("lifecycle_auth \"none\"")),
                 qPrintable(readable.error().message));
    }

    // A profile file written before these fields existed (or before spec names did) still loads,
    // with the defaults those versions meant.
    void oldProfilesStillLoad() {
        const Profile bare = Profile::fromJson(named("old"));
        QVERIFY(bare.readable().ok());
        QCOMPARE(bare.name, QStringLiteral("old"));
        QCOMPARE(bare.bodyFormat, RequestBodyFormat::Jwt);
        QCOMPARE(bare.specVersion, SpecVersion::Obie31);
        QCOMPARE(bare.sandboxMode, SandboxMode::Seed);
        QCOMPARE(bare.lifecycleAuth, LifecycleAuth::Obie);
        QCOMPARE(bare.tokenAuthMethod, ClientAuthMethod::PrivateKeyJwt);
        QCOMPARE(bare.timeoutSeconds, 30);

        // As a version before spec names wrote it: spec_version a bare number.
        const QByteArray written =
            R"({"name":"bank","registration_url":"https://bank.example/register",)"
            R"("discovery_url":"","aud":"bank","content_type":"application/jwt",)"
            R"("transport_cert":"/c.pem","transport_key":"/k.pem","ca_bundle":"",)"
            R"("signing_key":"/s.pem","signing_kid":"","spec_version":"3.1",)"
            R"("directory_issuer":"","insecure":false,"timeout_seconds":45,)"
            R"("embedded_sandbox":false,"sandbox_mode":"seed"})";
        const Profile old = Profile::fromJson(QJsonDocument::fromJson(written).object());
        QVERIFY(old.readable().ok());
        QCOMPARE(old.specVersion, SpecVersion::Obie31);
        QVERIFY(old.usesFapi());
        QCOMPARE(old.timeoutSeconds, 45);
        QCOMPARE(old.registrationUrl, QUrl(QStringLiteral("https://bank.example/register")));
        for (const char* spec : {"3.2", "3.3", "obie-3.2", "seed"}) {
            QJsonObject json = named("bank");
            json.insert(QStringLiteral("spec_version"), QString::fromLatin1(spec));
            QVERIFY2(Profile::fromJson(json).readable().ok(), spec);
        }
    }

    // Saving one profile rewrites the store: another profile whose file holds a name this
    // version cannot read keeps it (and so its error) instead of quietly taking the default.
    void storeKeepsWhatItCannotRead() {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        QSettings settings(dir.filePath(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        ProfileStore store(settings);
        Profile typo;
        typo.name = QStringLiteral("typo");
        QVERIFY(store.save(typo).ok());
        settings.beginWriteArray(QStringLiteral("profiles"), 1);
        settings.setArrayIndex(0);
        QJsonObject json = typo.toJson();
        json.insert(QStringLiteral("body_format"), QStringLiteral("jsno"));
        settings.setValue(QStringLiteral("json"), QJsonDocument(json).toJson());
        settings.endArray();
        QVERIFY(!store.find(QStringLiteral("typo"))->readable());

        Profile other;
        other.name = QStringLiteral("other");
        other.bodyFormat = RequestBodyFormat::Json;
        QVERIFY(store.save(other).ok());
        const auto kept = store.find(QStringLiteral("typo"));
        QVERIFY(kept);
        QVERIFY2(!kept->readable() &&
                     kept->readable().error().message.contains(QStringLiteral("\"jsno\"")),
                 "the other profile's save rewrote the unreadable one");
        QCOMPARE(store.find(QStringLiteral("other"))->bodyFormat, RequestBodyFormat::Json);

        // Saved again by the user (the dialog or dcrctl profile add), it holds what was chosen.
        Profile fixed = *kept;
        fixed.bodyFormat = RequestBodyFormat::Json;
        QVERIFY(store.save(fixed).ok());
        QVERIFY(store.find(QStringLiteral("typo"))->readable().ok());
        store.remove(QStringLiteral("typo"));
        QCOMPARE(store.all().size(), 1);
    }

    // The one number a profile holds: a whole number of seconds in range, else -1 (refused).
    void timeoutIsRangeChecked() {
        for (const QJsonValue& bad : {QJsonValue(0), QJsonValue(601), QJsonValue(1.5),
                                      QJsonValue(1e300), QJsonValue(QStringLiteral("30"))}) {
            QJsonObject json = named("bank");
            json.insert(QStringLiteral("timeout_seconds"), bad);
            QCOMPARE(Profile::fromJson(json).timeoutSeconds, -1);
        }
        for (int good : {Profile::MinTimeoutSeconds, 30, Profile::MaxTimeoutSeconds}) {
            QJsonObject json = named("bank");
            json.insert(QStringLiteral("timeout_seconds"), good);
            QCOMPARE(Profile::fromJson(json).timeoutSeconds, good);
        }
    }
};

QTEST_MAIN(TestProfile)
#include "tst_profile.moc"
