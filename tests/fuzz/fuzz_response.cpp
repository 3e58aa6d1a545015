// Response classification of arbitrary status, content type, operation and body, plus the
// masking every body goes through before it is shown or exported.
#include "registration/RegistrationOutcome.h"
#include "transport/HttpExchange.h"

#include <QJsonArray>
#include <QJsonObject>

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    const int status = 100 + (data[0] << 8 | data[1]) % 500;
    const QByteArray body(reinterpret_cast<const char*>(data + 2),
                          static_cast<qsizetype>(size - 2));
    // The low bits of the first byte pick the content type and the operation, so that one
    // input reaches the JSON, HTML and signed (JWT) paths under each operation.
    static const char* const types[] = {"application/json", "text/html", "application/jwt",
                                        "application/jose; charset=utf-8"};
    const QByteArray contentType = types[data[0] & 3];
    const auto operation = static_cast<dcr::RegistrationOperation>((data[0] >> 2) % 5);
    // A WWW-Authenticate taken from the body, so that the challenge parser sees arbitrary bytes.
    const dcr::HeaderList headers{{"Content-Type", contentType},
                                  {"WWW-Authenticate", body.left(200)}};
    const QJsonObject requested{
        {QStringLiteral("scope"), QStringLiteral("openid accounts")},
        {QStringLiteral("redirect_uris"), QJsonArray{QStringLiteral("https://a/cb")}}};
    auto outcome =
        dcr::classifyResponse({operation, requested, std::nullopt}, status, headers, body);
    (void)outcome.summary();
    (void)outcome.toJson();
    auto legacy = dcr::classifyResponse(status, headers, body, requested);
    (void)legacy.summary();
    (void)dcr::parseWwwAuthenticate(body);
    (void)dcr::decodeCompactJws(body);
    (void)dcr::maskSecretsInJson(body);
    (void)dcr::maskSecretsInBody(body, contentType);
    (void)dcr::forgetSecretsInBody(body, contentType);
    (void)dcr::bodyHasSecrets(body);
    return 0;
}
