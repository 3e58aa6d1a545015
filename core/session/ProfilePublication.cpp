#include "ProfilePublication.h"

#include "jose/Pkcs11Uri.h"
#include "registration/SecretMasking.h"
#include "registration/SecretScanner.h"

#include <QJsonArray>
#include <QRegularExpression>
#include <QUrl>
#include <QUrlQuery>

namespace dcr {

namespace {

const char* const kKeyFields[] = {"transport_cert", "transport_key", "ca_bundle", "signing_key",
                                  "pkcs11_module"};
const char* const kUrlFields[] = {"registration_url", "discovery_url", "token_endpoint"};

bool isPkcs11(const QString& value) {
    return value.startsWith(QStringLiteral("pkcs11:"), Qt::CaseInsensitive);
}

// A pkcs11: URI without its PIN attributes: pin-value is the PIN, pin-source names a file on the
// publisher's machine that holds it. Neither is anybody else's business.
QString withoutPinAttributes(const QString& uri, bool& changed) {
    const qsizetype q = uri.indexOf(u'?');
    if (q < 0)
        return uri;
    QStringList kept;
    for (const QString& attribute : uri.mid(q + 1).split(u'&', Qt::SkipEmptyParts)) {
        const QString name = attribute.section(u'=', 0, 0).toLower();
        if (name == QStringLiteral("pin-value") || name == QStringLiteral("pin-source"))
            changed = true;
        else
            kept << attribute;
    }
    return kept.isEmpty() ? uri.left(q) : uri.left(q) + u'?' + kept.join(u'&');
}

// Base64 of 48 bytes or more with nothing of a path in it: a key or certificate pasted as text.
bool looksLikeInlineKey(const QString& value) {
    static const QRegularExpression blob(QStringLiteral("^[A-Za-z0-9+_=-]{64,}$"));
    return value.contains(QStringLiteral("-----BEGIN")) ||
           value.contains(QStringLiteral("PRIVATE KEY")) || value.trimmed().startsWith(u'{') ||
           blob.match(value.trimmed()).hasMatch();
}

bool hasControlCharacter(const QString& value) {
    for (QChar c : value)
        if (c.category() == QChar::Other_Control)
            return true;
    return false;
}

} // namespace

Status ProfilePublication::checkFields(const QJsonObject& json) {
    for (auto it = json.begin(); it != json.end(); ++it)
        if (isSecretField(it.key()))
            return Error{ErrorKind::InputUnreadable,
                         tr("\"%1\" is a secret and is never shared with a profile; remove it")
                             .arg(it.key())};
    for (const char* field : kKeyFields) {
        const QString name = QLatin1String(field);
        const QString value = json.value(name).toString();
        if (value.isEmpty())
            continue;
        if (looksLikeInlineKey(value) || hasControlCharacter(value))
            return Error{ErrorKind::InputUnreadable,
                         tr("%1 holds key or certificate material itself; a shared profile names "
                            "keys only as a file path or a pkcs11: URI")
                             .arg(name)};
        if (value.size() > MaxKeySourceLength)
            return Error{ErrorKind::InputUnreadable,
                         tr("%1 is %2 characters long, more than the %3 a file path or pkcs11: "
                            "URI may have")
                             .arg(name)
                             .arg(value.size())
                             .arg(MaxKeySourceLength)};
        if (isPkcs11(value) && (value.contains(QStringLiteral("pin-value"), Qt::CaseInsensitive) ||
                                value.contains(QStringLiteral("pin-source"), Qt::CaseInsensitive)))
            return Error{ErrorKind::InputUnreadable,
                         tr("%1 is a pkcs11: URI with a PIN attribute; a shared profile never "
                            "carries a PIN")
                             .arg(name)};
    }
    QStringList urls;
    for (const char* field : kUrlFields)
        urls << QLatin1String(field);
    for (const QString& name : urls) {
        const QUrl url(json.value(name).toString());
        if (!url.password().isEmpty())
            return Error{ErrorKind::InputUnreadable,
                         tr("%1 holds a password (user:password@host); a shared profile never "
                            "carries one")
                             .arg(name)};
    }
    // Any text at all (a URL's query, the audience, a scope): a secret a scan finds is refused.
    for (auto it = json.begin(); it != json.end(); ++it) {
        const QJsonValue value = it.value();
        const QJsonArray values = value.isArray() ? value.toArray() : QJsonArray{value};
        for (const QJsonValue& v : values)
            if (v.isString() &&
                !SecretScanner::scan(v.toString().toUtf8(), SecretScanner::Mode::Mask,
                                     SecretScanner::Input::Complete)
                     .clean())
                return Error{ErrorKind::InputUnreadable,
                             tr("%1 holds a secret (a token, client secret or the like); a shared "
                                "profile never carries one")
                                 .arg(it.key())};
    }
    return {};
}

Result<ProfilePublication::Publishable> ProfilePublication::publishable(const Profile& profile) {
    if (profile.embeddedSandbox)
        return Error{ErrorKind::InputUnreadable,
                     tr("\"%1\" is an embedded sandbox profile, which every console has; there is "
                        "nothing to publish")
                         .arg(profile.name)};
    if (auto ok = profile.readable(); !ok)
        return Error{ErrorKind::InputUnreadable,
                     tr("profile \"%1\" cannot be read: %2").arg(profile.name, ok.error().message)};
    Publishable out;
    // Profile::toJson writes pkcs11: URIs without pin-value already; pin-source goes too.
    QJsonObject json = profile.toJson();
    const QString raw[] = {profile.transportCertPath, profile.transportKeyPath,
                           profile.caBundlePath, profile.signingKeyPath, profile.pkcs11Module};
    for (std::size_t i = 0; i < std::size(kKeyFields); ++i) {
        const QString name = QLatin1String(kKeyFields[i]);
        bool changed = raw[i] != json.value(name).toString();
        const QString value = json.value(name).toString();
        if (isPkcs11(value))
            json.insert(name, withoutPinAttributes(value, changed));
        if (changed)
            out.removed << tr("%1: its PIN attribute").arg(name);
    }
    if (auto ok = checkFields(json); !ok)
        return Error{
            ok.error().kind,
            tr("profile \"%1\" was not published: %2").arg(profile.name, ok.error().message)};
    out.json = json;
    return out;
}

Result<Profile> ProfilePublication::imported(const QJsonObject& json, const QString& name) {
    const QString what =
        tr("the team's profile \"%1\"").arg(json.value(QStringLiteral("name")).toString());
    auto refuse = [&](const QString& why) {
        return Error{ErrorKind::InputUnreadable, tr("%1 was not imported: %2").arg(what, why)};
    };
    if (json.isEmpty())
        return refuse(tr("it is empty or not a JSON object"));
    if (json.size() > MaxProfileFields)
        return refuse(tr("it has %1 fields, more than the %2 a profile may have")
                          .arg(json.size())
                          .arg(MaxProfileFields));
    const QJsonObject known = Profile().toJson();
    for (auto it = json.begin(); it != json.end(); ++it) {
        if (isSecretField(it.key()))
            return refuse(
                tr("\"%1\" is a secret and is never taken from a shared profile").arg(it.key()));
        if (!known.contains(it.key()))
            return refuse(tr("\"%1\" is not a profile field (the fields are %2)")
                              .arg(it.key(), known.keys().join(QStringLiteral(", "))));
        if (it.key() != QStringLiteral("token_origins") && !it.value().isNull() &&
            it.value().type() != known.value(it.key()).type())
            return refuse(tr("\"%1\" must be a %2")
                              .arg(it.key(), known.value(it.key()).isBool() ? tr("true or false")
                                             : known.value(it.key()).isDouble() ? tr("number")
                                                                                : tr("string")));
    }
    if (auto ok = checkFields(json); !ok)
        return refuse(ok.error().message);
    if (json.value(QStringLiteral("embedded_sandbox")).toBool())
        return refuse(tr("it claims to be an embedded sandbox profile, which is never shared"));
    Profile p = Profile::fromJson(json);
    if (auto ok = p.readable(); !ok)
        return refuse(ok.error().message);
    if (p.timeoutSeconds < Profile::MinTimeoutSeconds ||
        p.timeoutSeconds > Profile::MaxTimeoutSeconds)
        return refuse(tr("timeout_seconds must be a whole number from %1 to %2")
                          .arg(Profile::MinTimeoutSeconds)
                          .arg(Profile::MaxTimeoutSeconds));
    p.name = name;
    return p;
}

} // namespace dcr
