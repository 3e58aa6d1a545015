#include "JwkSet.h"

#include "Jwk.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct JwkSetTr {
    Q_DECLARE_TR_FUNCTIONS(JwkSet)
};

} // namespace

Result<JwkSet> JwkSet::parse(const QByteArray& json) {
    if (json.trimmed().isEmpty())
        return Error{ErrorKind::InputEmpty, JwkSetTr::tr("JWKS document is empty")};
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &parseError);
    if (parseError.error != QJsonParseError::NoError)
        return Error{ErrorKind::JwksInvalid, JwkSetTr::tr("JWKS is not valid JSON at offset %1: %2")
                                                 .arg(parseError.offset)
                                                 .arg(parseError.errorString())};
    if (!doc.isObject())
        return Error{ErrorKind::JwksInvalid,
                     JwkSetTr::tr("JWKS must be a JSON object with a \"keys\" array")};
    return fromJson(doc.object());
}

Result<JwkSet> JwkSet::fromJson(const QJsonObject& object) {
    JwkSet set;
    QJsonArray keys;
    if (object.contains(QStringLiteral("keys"))) {
        if (!object.value(QStringLiteral("keys")).isArray())
            return Error{ErrorKind::JwksInvalid,
                         JwkSetTr::tr("JWKS member \"keys\" must be an array")};
        keys = object.value(QStringLiteral("keys")).toArray();
    } else if (object.contains(QStringLiteral("kty"))) {
        keys.append(object); // a bare JWK is treated as a one-key set
    } else {
        return Error{
            ErrorKind::JwksInvalid,
            JwkSetTr::tr("JSON object has neither \"keys\" nor \"kty\": not a JWK or JWKS")};
    }
    QSet<QString> seenKids;
    for (qsizetype i = 0; i < keys.size(); ++i) {
        if (!keys.at(i).isObject()) {
            set.m_warnings << JwkSetTr::tr("keys[%1] is not an object; skipped").arg(i);
            continue;
        }
        const QJsonObject jwkObject = keys.at(i).toObject();
        JwkSetEntry entry;
        entry.kid = jwkObject.value(QStringLiteral("kid")).toString();
        entry.alg = jwkObject.value(QStringLiteral("alg")).toString();
        entry.use = jwkObject.value(QStringLiteral("use")).toString();
        auto key = jwk::toKey(jwkObject);
        if (!key) {
            set.m_warnings << JwkSetTr::tr("keys[%1]%2 skipped: %3")
                                  .arg(i)
                                  .arg(entry.kid.isEmpty()
                                           ? QString()
                                           : JwkSetTr::tr(" (kid \"%1\")").arg(entry.kid))
                                  .arg(key.error().message);
            continue;
        }
        entry.key = *key;
        const QJsonArray x5c = jwkObject.value(QStringLiteral("x5c")).toArray();
        for (qsizetype c = 0; c < x5c.size(); ++c) {
            // x5c uses standard base64 (RFC 7517 4.7), not base64url.
            const auto der = QByteArray::fromBase64Encoding(
                x5c.at(c).toString().toLatin1(), QByteArray::AbortOnBase64DecodingErrors);
            auto cert = der ? Certificate::fromDer(der.decoded)
                            : Result<Certificate>(ErrorKind::CertificateInvalid,
                                                  JwkSetTr::tr("bad base64"));
            if (!cert) {
                set.m_warnings << JwkSetTr::tr("keys[%1].x5c[%2] is not a certificate: %3")
                                      .arg(i)
                                      .arg(c)
                                      .arg(cert.error().message);
                continue;
            }
            if (c == 0 && !cert->publicKey().samePublicKey(entry.key))
                set.m_warnings << JwkSetTr::tr(
                                      "keys[%1].x5c[0] certifies a different key than the JWK")
                                      .arg(i);
            entry.x5c << *cert;
        }
        if (!entry.kid.isEmpty()) {
            if (seenKids.contains(entry.kid))
                set.m_warnings
                    << JwkSetTr::tr("duplicate kid \"%1\" in keys[%2]").arg(entry.kid).arg(i);
            seenKids.insert(entry.kid);
        }
        set.m_entries << entry;
    }
    return set;
}

JwkSet JwkSet::single(const Key& key, const QString& kid) {
    JwkSet set;
    set.m_entries << JwkSetEntry{key.publicKey(), kid, {}, QStringLiteral("sig"), {}};
    return set;
}

Result<JwkSetEntry> JwkSet::select(const QString& kid) const {
    if (m_entries.isEmpty())
        return Error{ErrorKind::JwksKidNotFound, JwkSetTr::tr("the JWKS holds no usable key")};
    if (kid.isEmpty()) {
        if (m_entries.size() == 1)
            return m_entries.first();
        return Error{ErrorKind::JwksAmbiguous,
                     JwkSetTr::tr("the token header has no kid and the JWKS holds %1 keys; add a "
                                  "kid or pass a single key")
                         .arg(m_entries.size())};
    }
    QList<JwkSetEntry> matches;
    QStringList known;
    for (const auto& entry : m_entries) {
        known << (entry.kid.isEmpty() ? JwkSetTr::tr("(none)") : entry.kid);
        if (entry.kid == kid)
            matches << entry;
    }
    if (matches.isEmpty()) {
        if (m_entries.size() == 1 && m_entries.first().kid.isEmpty())
            return m_entries.first();
        return Error{ErrorKind::JwksKidNotFound,
                     JwkSetTr::tr("no key with kid \"%1\" in the JWKS (it has: %2)")
                         .arg(kid, known.join(QStringLiteral(", ")))};
    }
    if (matches.size() > 1)
        return Error{ErrorKind::JwksAmbiguous,
                     JwkSetTr::tr("the JWKS has %1 keys with kid \"%2\"; it must be unique")
                         .arg(matches.size())
                         .arg(kid)};
    return matches.first();
}

QByteArray JwkSet::toJson() const {
    QJsonArray keys;
    for (const auto& entry : m_entries) {
        QJsonObject jwkObject = jwk::fromPublicKey(entry.key);
        if (!entry.kid.isEmpty())
            jwkObject.insert(QStringLiteral("kid"), entry.kid);
        if (!entry.use.isEmpty())
            jwkObject.insert(QStringLiteral("use"), entry.use);
        if (!entry.alg.isEmpty())
            jwkObject.insert(QStringLiteral("alg"), entry.alg);
        QJsonArray x5c;
        for (const auto& cert : entry.x5c)
            x5c.append(QString::fromLatin1(cert.toDer().toBase64()));
        if (!x5c.isEmpty())
            jwkObject.insert(QStringLiteral("x5c"), x5c);
        keys.append(jwkObject);
    }
    return QJsonDocument(QJsonObject{{QStringLiteral("keys"), keys}})
        .toJson(QJsonDocument::Indented);
}

} // namespace dcr
