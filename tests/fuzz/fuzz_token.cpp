// Token endpoint answers, input sniffing and the registered-clients view of a history row, on
// arbitrary status and bytes: the parsers the session layer added.
#include "registration/InputKind.h"
#include "registration/TokenResponse.h"
#include "session/RegisteredClient.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    const int status = 100 + (data[0] << 8 | data[1]) % 500;
    const QByteArray body(reinterpret_cast<const char*>(data + 2),
                          static_cast<qsizetype>(size - 2));
    const auto token = dcr::parseTokenResponse(status, {}, body);
    (void)token.summary();
    (void)token.toJson(false);
    (void)dcr::detectInputKind(body);
    dcr::SubmissionRecord row;
    row.state = QStringLiteral("completed");
    row.profile = QStringLiteral("p");
    row.clientId = QStringLiteral("c");
    row.method = (data[0] & 1) ? "POST" : "GET";
    row.responseStatus = status;
    row.responseBody = body;
    const auto clients = dcr::deriveRegisteredClients({row, row});
    for (const auto& c : clients)
        (void)c.toJson();
    (void)dcr::newestRegistrationAccessToken({row}, row.profile, row.clientId);
    return 0;
}
