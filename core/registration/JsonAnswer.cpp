#include "JsonAnswer.h"

#include "OutcomeAdvice.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dcr {

namespace {

// User-facing text, translated in the outcome's context.
struct JsonAnswerTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RegistrationOutcome)
};

QString jsonScalar(const QJsonValue& v) {
    if (v.isDouble())
        return QString::number(v.toDouble(), 'g', 15);
    if (v.isBool())
        return v.toBool() ? QStringLiteral("true") : QStringLiteral("false");
    return v.toString();
}

// Seed: category should be a Related Errors class; "ERROR" is also allowed, then the code (or the
// HTTP status) tells which class. The text is the ASPSP's prose and is never parsed. HTTP 401 is
// shared by WrongRequiredFields and AccessDenied: with category ERROR and code 401 the class is
// not known, and the empty result says so.
QString seedClassFor(const TppMessage& m, int status) {
    if (findSeedErrorClass(m.category))
        return m.category;
    if (findSeedErrorClass(m.code))
        return m.code;
    bool numeric = false;
    const int code = m.code.toInt(&numeric);
    const int effective = numeric && code >= 400 ? code : status;
    switch (effective) {
    case 400:
        return QStringLiteral("RequestFormatInvalid");
    case 404:
        return QStringLiteral("NotFound");
    case 406:
        return QStringLiteral("Invalid");
    case 401:
        return {};
    default:
        return m.category.compare(QStringLiteral("ERROR"), Qt::CaseInsensitive) == 0 ? QString()
                                                                                     : m.category;
    }
}

bool sameValue(const QJsonValue& a, const QJsonValue& b) {
    if (a.isArray() && b.isArray()) {
        QSet<QString> sa, sb;
        for (const auto& v : a.toArray())
            sa.insert(jsonScalar(v));
        for (const auto& v : b.toArray())
            sb.insert(jsonScalar(v));
        return sa == sb;
    }
    if (a.isString() && b.isString() &&
        a.toString().contains(u' ')) { // scope: order does not matter
        const QStringList wordsA = a.toString().split(u' ', Qt::SkipEmptyParts);
        const QStringList wordsB = b.toString().split(u' ', Qt::SkipEmptyParts);
        return QSet<QString>(wordsA.begin(), wordsA.end()) ==
               QSet<QString>(wordsB.begin(), wordsB.end());
    }
    return a == b;
}

QList<ClaimChange> compareWithRequest(const QJsonObject& requested, const QJsonObject& client) {
    static const QSet<QString> notEchoed = {
        QStringLiteral("iss"), QStringLiteral("iat"), QStringLiteral("exp"),
        QStringLiteral("aud"), QStringLiteral("jti"), QStringLiteral("software_statement")};
    QList<ClaimChange> out;
    for (auto it = requested.begin(); it != requested.end(); ++it) {
        if (notEchoed.contains(it.key()))
            continue;
        const QJsonValue granted = client.value(it.key());
        if (granted.isUndefined()) {
            out << ClaimChange{it.key(), it.value(), QJsonValue(QJsonValue::Undefined)};
        } else if (!sameValue(it.value(), granted)) {
            out << ClaimChange{it.key(), it.value(), granted};
        }
    }
    return out;
}

QJsonValue withoutSecrets(const QJsonValue& v) {
    return maskSecretFields(v, QJsonValue(QStringLiteral("(masked)")));
}

} // namespace

bool classifyTppMessages(RegistrationOutcome& o, const QJsonObject& json) {
    if (!json.contains(QStringLiteral("tppMessages")))
        return false;
    o.format = BodyFormat::SeedTppMessages;
    o.kind = OutcomeKind::Error;
    for (const auto& item : json.value(QStringLiteral("tppMessages")).toArray()) {
        const QJsonObject m = item.toObject();
        o.tppMessages << TppMessage{m.value(QStringLiteral("category")).toString(),
                                    jsonScalar(m.value(QStringLiteral("code"))),
                                    m.value(QStringLiteral("text")).toString()};
    }
    if (!o.tppMessages.isEmpty()) {
        const TppMessage& first = o.tppMessages.first();
        o.code = first.code;
        o.text = first.text;
        if (const QString errorClass = seedClassFor(first, o.httpStatus); !errorClass.isEmpty())
            fillFromSeedClass(o, errorClass);
    }
    if (o.text.isEmpty())
        o.text = o.errorMessage;
    if (o.explanation.isEmpty())
        fillFromStatus(o);
    return true;
}

bool classifyOAuthError(RegistrationOutcome& o, const QJsonObject& json) {
    if (!json.value(QStringLiteral("error")).isString())
        return false;
    o.format = BodyFormat::Rfc7591Error;
    o.kind = OutcomeKind::Error;
    o.errorClass = json.value(QStringLiteral("error")).toString();
    o.code = o.errorClass;
    o.text = json.value(QStringLiteral("error_description")).toString();
    if (o.text.isEmpty())
        o.text = o.errorMessage;
    if (const auto advice = errorCodeAdvice(o.errorClass, isManagement(o.operation)))
        fillFromAdvice(o, *advice);
    if (o.explanation.isEmpty()) {
        const QString errorClass = o.errorClass;
        fillFromStatus(o);
        o.errorClass = errorClass; // the ASPSP's own code, even when it is not a known one
        o.code = errorClass;
    }
    return true;
}

bool classifyObieError(RegistrationOutcome& o, const QJsonObject& json) {
    if (!json.contains(QStringLiteral("Code")) || !json.contains(QStringLiteral("Errors")))
        return false;
    o.format = BodyFormat::ObieError;
    o.kind = OutcomeKind::Error;
    o.code = jsonScalar(json.value(QStringLiteral("Code")));
    QStringList parts{json.value(QStringLiteral("Message")).toString()};
    const QJsonArray errors = json.value(QStringLiteral("Errors")).toArray();
    for (const auto& e : errors) {
        const QJsonObject eo = e.toObject();
        parts << QStringLiteral("%1: %2%3")
                     .arg(eo.value(QStringLiteral("ErrorCode")).toString(),
                          eo.value(QStringLiteral("Message")).toString(),
                          eo.contains(QStringLiteral("Path"))
                              ? QStringLiteral(" (at %1)")
                                    .arg(eo.value(QStringLiteral("Path")).toString())
                              : QString());
    }
    o.text = parts.join(QStringLiteral("; "));
    fillFromStatus(o); // explanation and fix by HTTP status; the class is OBIE's own code
    o.errorClass = errors.isEmpty()
                       ? o.code
                       : errors.first().toObject().value(QStringLiteral("ErrorCode")).toString();
    return true;
}

bool classifyClient(RegistrationOutcome& o, const QJsonObject& json,
                    const ClassificationContext& context) {
    if (!json.value(QStringLiteral("client_id")).isString() || !isSuccess(o))
        return false;
    o.format = BodyFormat::ClientJson;
    const QString id = json.value(QStringLiteral("client_id")).toString();
    if (context.operation == RegistrationOperation::Delete) {
        // RFC 7592 2.3: "If a client has been successfully deprovisioned, the authorization
        // server MUST respond with an HTTP 204 No Content message."
        o.kind = OutcomeKind::Unexpected;
        o.client = json;
        o.explanation =
            JsonAnswerTr::tr("A delete should be answered with 204 No Content (RFC 7592 2.3); "
                             "this answer describes client %1, which may still exist.")
                .arg(id);
        o.likelyFix = JsonAnswerTr::tr("Read the client to check whether it was deleted.");
        return true;
    }
    o.client = json;
    o.changes = compareWithRequest(context.requestedClaims, json);
    switch (context.operation) {
    case RegistrationOperation::Read:
        o.kind = OutcomeKind::Retrieved;
        o.explanation =
            JsonAnswerTr::tr("The ASPSP returned the current configuration of client %1.").arg(id);
        if (!o.changes.isEmpty())
            o.explanation +=
                JsonAnswerTr::tr(" %1 value(s) differ from what was sent; review them.")
                    .arg(o.changes.size());
        break;
    case RegistrationOperation::Update:
        // RFC 7592 2.2: the server "responds with an HTTP 200 OK message ... [with] all of the
        // registered metadata about the client" and "MAY include a new client secret and/or
        // registration access token".
        o.kind = OutcomeKind::Updated;
        o.explanation = JsonAnswerTr::tr("The ASPSP updated client %1.").arg(id);
        if (!o.changes.isEmpty())
            o.explanation +=
                JsonAnswerTr::tr(" It did not apply %1 sent value(s) as sent; review them.")
                    .arg(o.changes.size());
        if (json.contains(QStringLiteral("client_secret")) ||
            json.contains(QStringLiteral("registration_access_token")))
            o.likelyFix =
                JsonAnswerTr::tr("Store the client_secret and registration_access_token from "
                                 "this answer: the ASPSP may have rotated them.");
        break;
    case RegistrationOperation::Register:
    case RegistrationOperation::Delete:
    case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
        o.kind = OutcomeKind::Registered;
        o.explanation = JsonAnswerTr::tr("The ASPSP registered client %1.").arg(id);
        if (!o.changes.isEmpty())
            o.explanation += JsonAnswerTr::tr(" It changed %1 requested value(s); review them.")
                                 .arg(o.changes.size());
        break;
    }
    return true;
}

bool classifySeedMessage(RegistrationOutcome& o, const QJsonObject& json) {
    if (!json.value(QStringLiteral("message")).isString() || !isSuccess(o))
        return false;
    o.format = BodyFormat::SeedMessage;
    o.message = json.value(QStringLiteral("message")).toString();
    switch (o.operation) {
    case RegistrationOperation::Register:
    case RegistrationOperation::Update:
        o.kind = OutcomeKind::Accepted;
        o.explanation =
            JsonAnswerTr::tr("The ASPSP accepted the %1 request for processing; the result "
                             "follows by e-mail.")
                .arg(o.operation == RegistrationOperation::Register
                         ? JsonAnswerTr::tr("registration")
                         : JsonAnswerTr::tr("update"));
        o.likelyFix = JsonAnswerTr::tr(
            "Nothing to fix. Keep this history entry as evidence of the submission.");
        return true;
    case RegistrationOperation::Delete:
        o.kind = OutcomeKind::Deleted;
        o.explanation =
            JsonAnswerTr::tr("The ASPSP confirmed the delete with a message (RFC 7592 2.3 "
                             "prescribes 204 No Content).");
        o.likelyFix =
            JsonAnswerTr::tr("Nothing to fix; read the client to confirm it is gone if in doubt.");
        return true;
    case RegistrationOperation::Read:
    case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
        o.kind = OutcomeKind::Unexpected;
        o.explanation =
            JsonAnswerTr::tr("A read should return the client's configuration (RFC 7592 2.1); "
                             "this answer is only a message.");
        o.likelyFix = JsonAnswerTr::tr("Check the URL is the client's registration_client_uri.");
        return true;
    }
    return true;
}

bool classifySeedErrorMessage(RegistrationOutcome& o) {
    if (o.errorMessage.isEmpty() || isSuccess(o))
        return false;
    o.format = BodyFormat::SeedErrorMessage;
    o.kind = OutcomeKind::Error;
    o.text = o.errorMessage;
    fillFromStatus(o);
    return true;
}

void classifyOtherJson(RegistrationOutcome& o, const QJsonObject& json) {
    o.format = BodyFormat::OtherJson;
    o.kind = isSuccess(o) ? OutcomeKind::Unexpected : OutcomeKind::Error;
    // The text is stored in the history and shown: a secret in an unknown body stays out of it.
    o.text = QString::fromUtf8(
                 QJsonDocument(withoutSecrets(json).toObject()).toJson(QJsonDocument::Compact))
                 .left(300);
    fillFromStatus(o);
}

void classifyJsonAnswer(RegistrationOutcome& o, const QJsonObject& json,
                        const ClassificationContext& context) {
    o.errorMessage = json.value(QStringLiteral("error_message")).toString();
    if (classifyTppMessages(o, json) || classifyOAuthError(o, json) || classifyObieError(o, json) ||
        classifyClient(o, json, context) || classifySeedMessage(o, json) ||
        classifySeedErrorMessage(o))
        return;
    classifyOtherJson(o, json);
}

} // namespace dcr
