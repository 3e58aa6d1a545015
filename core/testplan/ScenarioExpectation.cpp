#include "ScenarioExpectation.h"

#include "PlanFieldError.h"
#include "common/Utf8.h"

namespace dcr {

Result<ScenarioExpectation> ScenarioExpectation::fromJson(const QJsonValue& json) {
    ScenarioExpectation e;
    const QStringList results{s("accepted"), s("rejected"), s("refused")};
    if (json.isString()) {
        if (results.contains(json.toString())) {
            e.accepted = json.toString() == s("accepted");
            e.tlsRefusalCounts = json.toString() == s("refused");
            return e;
        }
        return planFieldError(s("result"),
                              s("must be \"accepted\", \"rejected\" or \"refused\", not \"%1\"")
                                  .arg(json.toString()));
    }
    if (!json.isObject())
        return planFieldError(s("(expectation)"),
                              s("must be \"accepted\", \"rejected\", \"refused\" "
                                "or an object with \"result\""));
    const QJsonObject o = json.toObject();
    const QString result = o.value(s("result")).toString();
    if (!results.contains(result))
        return planFieldError(
            s("result"),
            s("must be \"accepted\", \"rejected\" or \"refused\", not \"%1\"").arg(result));
    e.accepted = result == s("accepted");
    e.tlsRefusalCounts = result == s("refused");
    if (o.contains(s("status"))) {
        const int status = o.value(s("status")).toInt(-1);
        const bool fits =
            e.accepted ? (status >= 200 && status < 300) : (status >= 400 && status < 500);
        if (!fits)
            return planFieldError(s("status"), s("%1 is not a %2 status")
                                                   .arg(o.value(s("status")).toVariant().toString(),
                                                        e.accepted ? s("2xx") : s("4xx")));
        e.httpStatus = status;
    }
    if (o.contains(s("class"))) {
        if (e.accepted)
            return planFieldError(s("class"), s("an accepted request has no error class"));
        e.errorClass = o.value(s("class")).toString();
        if (e.errorClass.isEmpty())
            return planFieldError(s("class"), s("must be a non-empty string"));
    }
    if (o.contains(s("registration_access_token"))) {
        if (o.value(s("registration_access_token")).toString() != s("unchanged") || !e.accepted)
            return planFieldError(s("registration_access_token"),
                                  s("must be \"unchanged\", and only for an accepted answer"));
        e.registrationAccessTokenUnchanged = true;
    }
    for (auto it = o.begin(); it != o.end(); ++it)
        if (it.key() != s("result") && it.key() != s("status") && it.key() != s("class") &&
            it.key() != s("registration_access_token"))
            return planFieldError(it.key(), s("unknown field (expected result, status, class, "
                                              "registration_access_token)"));
    return e;
}

QJsonObject ScenarioExpectation::toJson() const {
    QJsonObject o{{s("result"), accepted           ? s("accepted")
                                : tlsRefusalCounts ? s("refused")
                                                   : s("rejected")}};
    if (httpStatus)
        o.insert(s("status"), httpStatus);
    if (!errorClass.isEmpty())
        o.insert(s("class"), errorClass);
    if (registrationAccessTokenUnchanged)
        o.insert(s("registration_access_token"), s("unchanged"));
    return o;
}

QString ScenarioExpectation::describe() const {
    if (accepted) {
        const QString answer =
            httpStatus ? s("%1 accepted").arg(httpStatus) : s("accepted (any 2xx)");
        return registrationAccessTokenUnchanged
                   ? s("%1, registration_access_token not rotated").arg(answer)
                   : answer;
    }
    QString answer;
    if (!httpStatus && errorClass.isEmpty())
        answer = tlsRefusalCounts ? s("any 4xx") : s("rejected (any 4xx)");
    else
        answer = s("%1 %2").arg(httpStatus ? QString::number(httpStatus) : s("4xx"),
                                errorClass.isEmpty() ? s("(any class)") : errorClass);
    return tlsRefusalCounts ? s("refused (TLS refusal or %1)").arg(answer) : answer;
}

std::optional<QString> ScenarioExpectation::mismatch(const Error& failure) const {
    if (tlsRefusalCounts && failure.kind == ErrorKind::NetworkTlsRefused)
        return std::nullopt;
    if (tlsRefusalCounts)
        return s("no answer, and not a TLS refusal of the client identity: %1")
            .arg(failure.message);
    return s("no answer: %1").arg(failure.message);
}

QString describeOutcome(const RegistrationOutcome& outcome) {
    if (outcomeIsSuccess(outcome.kind))
        return s("%1 %2").arg(outcome.httpStatus).arg(outcomeKindName(outcome.kind));
    return s("%1 %2")
        .arg(outcome.httpStatus)
        .arg(outcome.errorClass.isEmpty() ? outcomeKindName(outcome.kind) : outcome.errorClass);
}

std::optional<QString> ScenarioExpectation::mismatch(const RegistrationOutcome& outcome) const {
    const int status = outcome.httpStatus;
    if (accepted) {
        if (!outcomeIsSuccess(outcome.kind) || status < 200 || status >= 300)
            return s("the request was not accepted");
        if (httpStatus && status != httpStatus)
            return s("accepted with %1, not %2").arg(status).arg(httpStatus);
        return std::nullopt;
    }
    if (status < 400 || status >= 500)
        return status >= 200 && status < 300 ? s("the ASPSP accepted a request it should refuse")
                                             : s("status %1 is not a 4xx refusal").arg(status);
    if (httpStatus && status != httpStatus)
        return s("status %1, not %2").arg(status).arg(httpStatus);
    if (!errorClass.isEmpty() && outcome.errorClass != errorClass)
        return s("error class \"%1\", not \"%2\"").arg(outcome.errorClass, errorClass);
    return std::nullopt;
}

} // namespace dcr
