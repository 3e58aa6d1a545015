// Response classification of arbitrary status, content type and body.
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
    const dcr::HeaderList headers{
        {"Content-Type", (data[0] & 1) ? "text/html" : "application/json"}};
    const QJsonObject requested{
        {QStringLiteral("scope"), QStringLiteral("openid accounts")},
        {QStringLiteral("redirect_uris"), QJsonArray{QStringLiteral("https://a/cb")}}};
    auto outcome = dcr::classifyResponse(status, headers, body, requested);
    (void)outcome.summary();
    (void)outcome.toJson();
    (void)dcr::maskSecretsInJson(body);
    return 0;
}
