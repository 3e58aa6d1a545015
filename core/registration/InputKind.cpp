#include "InputKind.h"

#include "jose/Jws.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace dcr {

InputKind detectInputKind(const QByteArray& bytes) {
    const QByteArray trimmed = bytes.trimmed();
    if (trimmed.isEmpty())
        return InputKind::Empty;
    if (trimmed.startsWith("eyJ") && trimmed.count('.') == 2) {
        auto jws = Jws::parse(trimmed);
        if (jws && jws->claims().contains(QStringLiteral("software_statement")))
            return InputKind::RegistrationRequest;
        return InputKind::SoftwareStatement;
    }
    if (trimmed.startsWith('{')) {
        const QJsonDocument doc = QJsonDocument::fromJson(trimmed);
        if (doc.isObject()) {
            const QJsonObject o = doc.object();
            // RFC 7517: a JWK has "kty", a JWK Set has "keys".
            if (o.contains(QStringLiteral("kty")) || o.contains(QStringLiteral("keys")))
                return InputKind::KeyOrCertificate;
            return InputKind::ClaimsJson;
        }
    }
    return InputKind::KeyOrCertificate;
}

} // namespace dcr
