#include "Profile.h"

#include "common/ControlCharacters.h"
#include "common/JsonInteger.h"
#include "jose/Pkcs11Uri.h"
#include "registration/SpecVersion.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSettings>

#include <optional>

namespace dcr {

bool Profile::usesFapi() const {
    const auto spec = specVersionFromName(specVersion);
    return spec && isObie(*spec);
}

QJsonObject Profile::toJson() const {
    return QJsonObject{{QStringLiteral("name"), name},
                       {QStringLiteral("registration_url"), registrationUrl.toString()},
                       {QStringLiteral("discovery_url"), discoveryUrl.toString()},
                       {QStringLiteral("aud"), aud},
                       {QStringLiteral("content_type"), QString::fromLatin1(contentType)},
                       {QStringLiteral("body_format"), bodyFormat},
                       {QStringLiteral("preset"), preset},
                       {QStringLiteral("transport_cert"), withoutPinValue(transportCertPath)},
                       {QStringLiteral("transport_key"), withoutPinValue(transportKeyPath)},
                       {QStringLiteral("ca_bundle"), caBundlePath},
                       {QStringLiteral("signing_key"), withoutPinValue(signingKeyPath)},
                       {QStringLiteral("pkcs11_module"), pkcs11Module},
                       {QStringLiteral("signing_kid"), signingKid},
                       {QStringLiteral("spec_version"), specVersion},
                       {QStringLiteral("directory_issuer"), directoryIssuer},
                       {QStringLiteral("insecure"), insecure},
                       {QStringLiteral("timeout_seconds"), timeoutSeconds},
                       {QStringLiteral("embedded_sandbox"), embeddedSandbox},
                       {QStringLiteral("sandbox_mode"), sandboxMode},
                       {QStringLiteral("lifecycle_auth"), lifecycleAuth},
                       {QStringLiteral("token_endpoint"), tokenEndpoint.toString()},
                       {QStringLiteral("token_auth_method"), tokenAuthMethod},
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
    p.bodyFormat = o.value(QStringLiteral("body_format")).toString(QStringLiteral("jwt"));
    p.preset = o.value(QStringLiteral("preset")).toString();
    p.transportCertPath = o.value(QStringLiteral("transport_cert")).toString();
    p.transportKeyPath = o.value(QStringLiteral("transport_key")).toString();
    p.caBundlePath = o.value(QStringLiteral("ca_bundle")).toString();
    p.signingKeyPath = o.value(QStringLiteral("signing_key")).toString();
    p.signingKid = o.value(QStringLiteral("signing_kid")).toString();
    p.pkcs11Module = o.value(QStringLiteral("pkcs11_module")).toString();
    p.specVersion = o.value(QStringLiteral("spec_version")).toString(QStringLiteral("3.1"));
    p.directoryIssuer = o.value(QStringLiteral("directory_issuer")).toString();
    p.insecure = o.value(QStringLiteral("insecure")).toBool();
    if (const QJsonValue timeout = o.value(QStringLiteral("timeout_seconds"));
        !timeout.isUndefined()) {
        const auto seconds = jsonInteger(timeout);
        p.timeoutSeconds = seconds && *seconds >= MinTimeoutSeconds && *seconds <= MaxTimeoutSeconds
                               ? static_cast<int>(*seconds)
                               : -1;
    }
    p.embeddedSandbox = o.value(QStringLiteral("embedded_sandbox")).toBool();
    p.sandboxMode = o.value(QStringLiteral("sandbox_mode")).toString(QStringLiteral("seed"));
    p.lifecycleAuth = o.value(QStringLiteral("lifecycle_auth")).toString(QStringLiteral("obie"));
    p.tokenEndpoint = QUrl(o.value(QStringLiteral("token_endpoint")).toString());
    p.tokenAuthMethod =
        o.value(QStringLiteral("token_auth_method")).toString(QStringLiteral("private_key_jwt"));
    p.tokenScope = o.value(QStringLiteral("token_scope")).toString();
    for (const auto& origin : o.value(QStringLiteral("token_origins")).toArray())
        if (origin.isString())
            p.tokenOrigins << origin.toString();
    return p;
}

QList<Profile> ProfileStore::all() const {
    QList<Profile> out;
    const int n = m_settings.beginReadArray(QStringLiteral("profiles"));
    for (int i = 0; i < n; ++i) {
        m_settings.setArrayIndex(i);
        const QJsonDocument doc =
            QJsonDocument::fromJson(m_settings.value(QStringLiteral("json")).toByteArray());
        if (doc.isObject())
            out << Profile::fromJson(doc.object());
    }
    m_settings.endArray();
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
        return Error{ErrorKind::InputUnreadable, QStringLiteral("a profile needs a name")};
    if (auto printable = checkPrintableName(profile.name, QStringLiteral("the profile name"));
        !printable)
        return printable;
    QList<Profile> profiles = all();
    bool replaced = false;
    for (auto& p : profiles)
        if (p.name == profile.name) {
            p = profile;
            replaced = true;
        }
    if (!replaced)
        profiles << profile;
    writeAll(profiles);
    return {};
}

void ProfileStore::writeAll(const QList<Profile>& profiles) {
    m_settings.remove(QStringLiteral("profiles"));
    m_settings.beginWriteArray(QStringLiteral("profiles"), static_cast<int>(profiles.size()));
    for (int i = 0; i < profiles.size(); ++i) {
        m_settings.setArrayIndex(i);
        m_settings.setValue(QStringLiteral("json"),
                            QJsonDocument(profiles.at(i).toJson()).toJson(QJsonDocument::Compact));
    }
    m_settings.endArray();
    m_settings.sync();
}

void ProfileStore::remove(const QString& name) {
    QList<Profile> profiles = all();
    profiles.removeIf([&](const Profile& p) { return p.name == name; });
    writeAll(profiles);
}

} // namespace dcr
