#include "ShownScenario.h"

#include "common/Utf8.h"
#include "transport/HttpExchange.h"

#include <QCoreApplication>
#include <QJsonDocument>

namespace dcr {

namespace {

struct ShownScenarioTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::ShownScenario)
};

QString maskedClaims(const ScenarioResult& r) {
    return QString::fromUtf8(maskSecretsInJson(QJsonDocument(r.requestClaims).toJson()));
}

QString maskedResponse(const ScenarioResult& r) {
    return maskedBodyForReading(r.responseBody, r.responseContentType);
}

} // namespace

ShownScenario ShownScenario::of(const ScenarioResult& result) {
    ShownScenario shown;
    shown.json = result.toJson();
    if (!result.requestClaims.isEmpty()) {
        shown.claimsText = maskedClaims(result);
        shown.requestContentType = QString::fromLatin1(result.requestContentType);
    }
    if (result.httpStatus)
        shown.responseText = maskedResponse(result);
    return shown;
}

QByteArray ShownScenario::toLine() const {
    const QJsonObject line{{s("result"), json},
                           {s("claims_text"), claimsText},
                           {s("request_content_type"), requestContentType},
                           {s("response_text"), responseText}};
    return QJsonDocument(line).toJson(QJsonDocument::Compact);
}

Result<ShownScenario> ShownScenario::fromLine(const QByteArray& line) {
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(line, &error);
    if (!doc.isObject() || !doc.object().value(s("result")).isObject())
        return Error{ErrorKind::JsonInvalid,
                     ShownScenarioTr::tr("a scenario's details are damaged on disk (%1)")
                         .arg(error.errorString())};
    const QJsonObject o = doc.object();
    return ShownScenario{o.value(s("result")).toObject(), o.value(s("claims_text")).toString(),
                         o.value(s("request_content_type")).toString(),
                         o.value(s("response_text")).toString()};
}

} // namespace dcr
