#include "SecretMasking.h"

#include "SecretScanner.h"
#include "jose/Jws.h"

#include <QJsonArray>

#include <limits>

namespace dcr {

namespace {

// A string of a parsed body (a value or a key) with the secrets a scan finds in it hidden:
// "https://tpp/cb?access_token=..." or a base64 blob that decodes to a client. A string whose
// secrets cannot be located is replaced as a whole.
std::optional<QString> maskedString(const QString& text, bool forget) {
    const auto r = SecretScanner::scan(
        text.toUtf8(), forget ? SecretScanner::Mode::Forget : SecretScanner::Mode::Mask,
        SecretScanner::Input::Complete);
    if (r.unsure)
        return QString::fromUtf8(SecretScanner::mask());
    if (r.secrets > 0)
        return QString::fromUtf8(r.text);
    return std::nullopt;
}

} // namespace

bool isSecretField(const QString& name) {
    return SecretScanner::isSecretName(name.toUtf8());
}

bool isJwtMediaType(const QByteArray& contentType) {
    const QByteArray type = contentType.split(';').value(0).trimmed().toLower();
    return type == "application/jwt" || type == "application/jose";
}

std::optional<DecodedJws> decodeCompactJws(const QByteArray& body) {
    // No size limit: a body of any size that the transport accepted is masked.
    const auto segments = JwsSegments::split(body, std::numeric_limits<qsizetype>::max());
    if (!segments || !segments->header.value(QStringLiteral("alg")).isString())
        return std::nullopt;
    return DecodedJws{segments->header, segments->payload};
}

QJsonValue maskSecretFields(const QJsonValue& v, const QJsonValue& replacement) {
    const bool forget = replacement.isNull();
    if (v.isObject()) {
        const QJsonObject in = v.toObject();
        QJsonObject o;
        for (auto it = in.begin(); it != in.end(); ++it) {
            QString key = maskedString(it.key(), false).value_or(it.key());
            while (key != it.key() && (o.contains(key) || in.contains(key)))
                key += u'~'; // two keys masked alike stay two keys
            o.insert(key, isSecretField(it.key()) && !it.value().isNull()
                              ? replacement
                              : maskSecretFields(it.value(), replacement));
        }
        return o;
    }
    if (v.isArray()) {
        QJsonArray a = v.toArray();
        for (auto it = a.begin(); it != a.end(); ++it)
            *it = maskSecretFields(*it, replacement);
        return a;
    }
    if (v.isString())
        if (const auto masked = maskedString(v.toString(), forget))
            return forget && *masked == QString::fromUtf8(SecretScanner::mask()) ? QJsonValue()
                                                                                 : *masked;
    return v;
}

bool holdsSecrets(const QJsonValue& v) {
    if (v.isObject()) {
        const QJsonObject o = v.toObject();
        for (auto it = o.begin(); it != o.end(); ++it)
            if ((isSecretField(it.key()) && !it.value().isNull()) ||
                maskedString(it.key(), false) || holdsSecrets(it.value()))
                return true;
    }
    if (v.isArray())
        for (const auto& item : v.toArray())
            if (holdsSecrets(item))
                return true;
    return v.isString() && maskedString(v.toString(), false).has_value();
}

} // namespace dcr
