#pragma once

#include "common/Result.h"
#include "registration/RegistrationOutcome.h"

#include <QJsonObject>

#include <optional>

namespace dcr {

// What a scenario expects the ASPSP to answer under one spec: accepted (a success outcome), or
// rejected with a 4xx status, optionally a given status and error class (the seed's Related
// Errors class, or an RFC 7591 / OBIE error code). A spec that names no class for a case gets
// just "rejected": demanding more would fail honest ASPSPs.
struct ScenarioExpectation {
    bool accepted = false;
    // "refused": rejected with a 4xx as above, or already at the TLS handshake (the server
    // refuses the client certificate). The OIDF Brazil DCR plan: "the server must reject the
    // registration attempt, either by refusing the TLS negotiation or returning a valid error
    // response".
    bool tlsRefusalCounts = false;
    int httpStatus = 0; // 0: any 2xx (accepted) or any 4xx (rejected)
    QString errorClass; // empty: any
    // {"registration_access_token": "unchanged"}: an accepted lifecycle answer that carries a
    // registration_access_token must carry the one issued at registration (Open Finance Brasil
    // DCR v2 §6.1-7 "shall not rotate the registration_access_token"). The runner judges it.
    bool registrationAccessTokenUnchanged = false;

    // {"result": "accepted"|"rejected"|"refused", "status": 401, "class": "WrongRequiredFields"},
    // or the bare strings "accepted", "rejected" and "refused". Errors name the field.
    static Result<ScenarioExpectation> fromJson(const QJsonValue& json);
    QJsonObject toJson() const;
    QString describe() const; // "401 WrongRequiredFields", "rejected (any 4xx)", "accepted"

    // Why the classified answer does not meet the expectation; nullopt when it does.
    std::optional<QString> mismatch(const RegistrationOutcome& outcome) const;
    // Why a request that got no answer at all (failure) does not meet the expectation; nullopt
    // when it does: only a "refused" expectation is met by the server refusing our TLS client
    // identity. Any other failure (DNS, connection refused, timeout, our own check of the
    // server's certificate) says nothing about the ASPSP's validation.
    std::optional<QString> mismatch(const Error& failure) const;
};

// What a classified answer was, in the terms describe() uses: "200 accepted", "406 Invalid".
QString describeOutcome(const RegistrationOutcome& outcome);

} // namespace dcr
