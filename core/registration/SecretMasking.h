#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>

#include <optional>

namespace dcr {

// A compact JWS body taken apart without checking its signature: enough to classify and to mask
// what it carries (a signed client body holds client_secret in plain base64url).
struct DecodedJws {
    QJsonObject header;
    QByteArray payload; // the decoded bytes (a JSON object for a signed client)
};

// Names that hold credentials in DCR responses and requests (client_secret,
// registration_access_token, access_token, refresh_token, id_token, client_assertion; any case):
// masked wherever bodies are shown or exported (the list is SecretScanner::secretNames).
bool isSecretField(const QString& name);
// Replaces every non-null secret field's value, at any depth, by `replacement`: the one walk
// behind every masked view and export. Secrets a SecretScanner finds inside other strings and
// keys (a URL's ?access_token=..., base64 that decodes to a client) are masked too, or nulled
// when `replacement` is null.
QJsonValue maskSecretFields(const QJsonValue& value, const QJsonValue& replacement);
// Whether maskSecretFields would hide anything: a non-null secret field at any depth, or a
// string or key holding (or perhaps holding) a secret.
bool holdsSecrets(const QJsonValue& value);
// True for application/jwt and application/jose (parameters and case ignored).
bool isJwtMediaType(const QByteArray& contentType);
// The body (trimmed) as three base64url segments with a JSON header naming "alg" (any alg, even
// one Jws::parse refuses: the body still has to be masked); nullopt otherwise.
std::optional<DecodedJws> decodeCompactJws(const QByteArray& body);

} // namespace dcr
