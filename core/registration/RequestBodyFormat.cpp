#include "RequestBodyFormat.h"

#include <QList>

namespace dcr {

QString requestBodyFormatName(RequestBodyFormat format) {
    return format == RequestBodyFormat::Json ? QStringLiteral("json") : QStringLiteral("jwt");
}

std::optional<RequestBodyFormat> requestBodyFormatFromName(const QString& name) {
    if (name == QStringLiteral("jwt"))
        return RequestBodyFormat::Jwt;
    if (name == QStringLiteral("json"))
        return RequestBodyFormat::Json;
    return std::nullopt;
}

QByteArray defaultContentType(RequestBodyFormat format) {
    return format == RequestBodyFormat::Json ? QByteArrayLiteral("application/json")
                                             : QByteArrayLiteral("application/jwt");
}

bool contentTypeFits(RequestBodyFormat format, const QByteArray& contentType) {
    const QByteArray type = contentType.split(';').first().trimmed().toLower();
    if (format == RequestBodyFormat::Json)
        return type == "application/json";
    return type == "application/jwt" || type == "application/jose";
}

} // namespace dcr
