#pragma once

#include <QByteArray>
#include <QString>

#include <optional>

namespace dcr {

// How a registration request's metadata travels. `Jwt`: a signed JWT body (the seed, UK OBIE DCR,
// Content-Type application/jwt or application/jose). `Json`: RFC 7591 §3.1, "the client sends an
// HTTP POST to the client registration endpoint with a content type of application/json", the
// metadata as a JSON object and the SSA inside it as `software_statement` (Open Finance Brasil,
// OpenID Connect providers, generic RFC 7591 servers).
enum class RequestBodyFormat { Jwt, Json };

// "jwt", "json".
QString requestBodyFormatName(RequestBodyFormat format);
std::optional<RequestBodyFormat> requestBodyFormatFromName(const QString& name);
// application/jwt or application/json.
QByteArray defaultContentType(RequestBodyFormat format);
// Whether a Content-Type fits the format: application/jwt or application/jose for a JWT body,
// application/json for a JSON one (parameters such as "; charset=utf-8" are ignored).
bool contentTypeFits(RequestBodyFormat format, const QByteArray& contentType);

} // namespace dcr
