#include "Profile.h"

#include "common/ControlCharacters.h"
#include "common/JsonInteger.h"
#include "jose/Pkcs11Uri.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

#include <optional>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct ProfileTr {
    Q_DECLARE_TR_FUNCTIONS(Profile)
};

// Adds to p.unreadable the sentence that says which field held what, and what it may hold.
void unreadableField(Profile& p, const QString& key, const QJsonValue& value,
                     const QString& allowed) {
    const QString held = value.isString() ? QStringLiteral("\"%1\"").arg(value.toString())
                                          : QString::fromUtf8(QJsonDocument(QJsonArray{value})
                                                                  .toJson(QJsonDocument::Compact)
                                                                  .chopped(1)
                                                                  .mid(1));
    p.unreadable << ProfileTr::tr("profile \"%1\": %2 %3 is not one of %4; fix it in the "
                                  "profile (dcrctl profile add or the Profiles dialog)")
                        .arg(p.name, key, held, allowed);
}

// A name read from the profile's JSON: absent, the default; a name `fromName` knows, its value;
// anything else (an unknown name, a number) keeps the default and is unreadable.
template <typename T, typename FromName>
T readName(const QJsonObject& o, const QString& key, T fallback, FromName fromName,
           const QString& allowed, Profile& p) {
    const QJsonValue value = o.value(key);
    if (value.isUndefined())
        return fallback;
    if (value.isString())
        if (const std::optional<T> known = fromName(value.toString()))
            return *known;
    unreadableField(p, key, value, allowed);
    return fallback;
}

// A flag: absent, false; JSON true or false; anything else ("yes", 1) is unreadable.
bool readFlag(const QJsonObject& o, const QString& key, Profile& p) {
    const QJsonValue value = o.value(key);
    if (value.isUndefined() || value.isBool())
        return value.toBool();
    unreadableField(p, key, value, QStringLiteral("true, false"));
    return false;
}

} // namespace

bool Profile::usesFapi() const {
    return isFapiEcosystem(specVersion);
}

Status Profile::readable() const {
    if (unreadable.isEmpty())
        return {};
    return Error{ErrorKind::InputUnreadable, unreadable.join(QStringLiteral("; "))};
}

QJsonObject Profile::toJson() const {
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("registration_url"), registrationUrl.toString()},
                       {QStringLiteral("discovery_url"), discoveryUrl.toString()},
                       {QStringLiteral("aud"), aud},
                       {QStringLiteral("content_type"), QString::fromLatin1(contentType)},
                       {QStringLiteral("body_format"), requestBodyFormatName(bodyFormat)},
                       {QStringLiteral("preset"), preset},
                       {QStringLiteral("transport_cert"), withoutPinValue(transportCertPath)},
                       {QStringLiteral("transport_key"), withoutPinValue(transportKeyPath)},
                       {QStringLiteral("ca_bundle"), caBundlePath},
                       {QStringLiteral("signing_key"), withoutPinValue(signingKeyPath)},
                       {QStringLiteral("pkcs11_module"), pkcs11Module},
                       {QStringLiteral("signing_kid"), signingKid},
                       {QStringLiteral("spec_version"), specVersionName(specVersion)},
                       {QStringLiteral("directory_issuer"), directoryIssuer},
                       {QStringLiteral("insecure"), insecure},
                       {QStringLiteral("timeout_seconds"), timeoutSeconds},
                       {QStringLiteral("embedded_sandbox"), embeddedSandbox},
                       {QStringLiteral("sandbox_mode"), sandboxModeName(sandboxMode)},
                       {QStringLiteral("lifecycle_auth"), lifecycleAuthName(lifecycleAuth)},
                       {QStringLiteral("token_endpoint"), tokenEndpoint.toString()},
                       {QStringLiteral("token_auth_method"), clientAuthMethodName(tokenAuthMethod)},
                       {QStringLiteral("token_scope"), tokenScope},
                       {QStringLiteral("token_origins"), QJsonArray::fromStringList(tokenOrigins)}};
}

Profile Profile::fromJson(const QJsonObject& o) {
    Profile p;
    p.name = o.value(QStringLiteral("name")).toString();
    p.registrationUrl = QUrl(o.value(QStringLiteral("registration_url")).toString());
    p.discoveryUrl = QUrl(o.value(QStringLiteral("discovery_url")).toString());
    p.aud = o.value(QStringLiteral("aud")).toString();
    p.contentType = o.value(QStringLiteral("content_type"))
                        .toString(QStringLiteral("application/jwt"))
                        .toLatin1();
    p.bodyFormat = readName(o, QStringLiteral("body_format"), RequestBodyFormat::Jwt,
                            requestBodyFormatFromName, QStringLiteral("jwt, json"), p);
    p.preset = o.value(QStringLiteral("preset")).toString();
    p.transportCertPath = o.value(QStringLiteral("transport_cert")).toString();
    p.transportKeyPath = o.value(QStringLiteral("transport_key")).toString();
    p.caBundlePath = o.value(QStringLiteral("ca_bundle")).toString();
    p.signingKeyPath = o.value(QStringLiteral("signing_key")).toString();
    p.signingKid = o.value(QStringLiteral("signing_kid")).toString();
    p.pkcs11Module = o.value(QStringLiteral("pkcs11_module")).toString();
    p.specVersion = readName(o, QStringLiteral("spec_version"), SpecVersion::Obie31,
                             specVersionFromName, specVersionNames(), p);
    p.directoryIssuer = o.value(QStringLiteral("directory_issuer")).toString();
    p.insecure = readFlag(o, QStringLiteral("insecure"), p);
    if (const QJsonValue timeout = o.value(QStringLiteral("timeout_seconds"));
        !timeout.isUndefined()) {
        const auto seconds = jsonInteger(timeout);
        p.timeoutSeconds = seconds && *seconds >= MinTimeoutSeconds && *seconds <= MaxTimeoutSeconds
                               ? static_cast<int>(*seconds)
                               : -1;
    }
    p.embeddedSandbox = readFlag(o, QStringLiteral("embedded_sandbox"), p);
    p.sandboxMode = readName(o, QStringLiteral("sandbox_mode"), SandboxMode::Seed,
                             sandboxModeFromName, QStringLiteral("seed, obie, ofb, cdr"), p);
    p.lifecycleAuth = readName(o, QStringLiteral("lifecycle_auth"), LifecycleAuth::Obie,
                               lifecycleAuthFromName, QStringLiteral("obie, rfc7592, cdr"), p);
    p.tokenEndpoint = QUrl(o.value(QStringLiteral("token_endpoint")).toString());
    p.tokenAuthMethod = readName(o, QStringLiteral("token_auth_method"),
                                 ClientAuthMethod::PrivateKeyJwt, clientAuthMethodFromName,
                                 QStringLiteral("private_key_jwt, tls_client_auth, "
                                                "client_secret_basic, client_secret_post"),
                                 p);
    p.tokenScope = o.value(QStringLiteral("token_scope")).toString();
    for (const auto& origin : o.value(QStringLiteral("token_origins")).toArray())
        if (origin.isString())
            p.tokenOrigins << origin.toString();
    return p;
}

QList<QJsonObject> ProfileStore::stored() const {
    QList<QJsonObject> out;
    const int n = m_settings.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        m_settings.setArrayIndex(i);
        const QJsonDocument doc =
            QJsonDocument::fromJson(m_settings.value(QStringLiteral("json")).toByteArray());
        if (doc.isObject())
            out << doc.object();
    }
    m_settings.endArray();
    return out;
}

QList<Profile> ProfileStore::all() const {
    QList<Profile> out;
    for (const QJsonObject& o : stored())
        out << Profile::fromJson(o);
    return out;
}

std::optional<Profile> ProfileStore::find(const QString& name) const {
    for (const auto& p : all())
        if (p.name == name)
            return p;
    return std::nullopt;
}

Status ProfileStore::save(const Profile& profile) {
    if (profile.name.trimmed().isEmpty())
        return Error{ErrorKind::InputUnreadable, ProfileTr::tr("a profile needs a name")};
    if (auto printable = checkPrintableName(profile.name, ProfileTr::tr("the profile name"));
        !printable)
        return printable;
    QList<QJsonObject> profiles = stored();
    bool replaced = false;
    for (auto& p : profiles)
        if (p.value(QStringLiteral("name")).toString() == profile.name) {
            p = profile.toJson();
            replaced = true;
        }
    if (!replaced)
        profiles << profile.toJson();
    writeAll(profiles);
    return {};
}

void ProfileStore::writeAll(const QList<QJsonObject>& profiles) {
    m_settings.remove(QStringLiteral("profiles"));
    m_settings.beginWriteArray(QStringLiteral("profiles"), static_cast<int>(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        m_settings.setArrayIndex(i);
        // A readable profile is written as toJson says (a pin-value written by hand is dropped);
        // one holding a name this version cannot read is written back as stored, so that saving
        // another profile never replaces that value (and its error) with the default.
        const Profile read = Profile::fromJson(profiles.at(i));
        const QJsonObject json = read.readable() ? read.toJson() : profiles.at(i);
        m_settings.setValue(QStringLiteral("json"),
                            QJsonDocument(json).toJson(QJsonDocument::Compact));
    }
    m_settings.endArray();
    m_settings.sync();
}

void ProfileStore::remove(const QString& name) {
    QList<QJsonObject> profiles = stored();
    profiles.removeIf(
        [&](const QJsonObject& p) { return p.value(QStringLiteral("name")).toString() == name; });
    writeAll(profiles);
}

} // namespace dcr
