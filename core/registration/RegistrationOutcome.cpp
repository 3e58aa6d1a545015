#include "RegistrationOutcome.h"

#include "JsonAnswer.h"
#include "OutcomeAdvice.h"
#include "SecretScanner.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

namespace {

// User-facing text, translated in the outcome's context.
struct RegistrationOutcomeTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RegistrationOutcome)
};

QString headerValue(const HeaderList& headers, const QByteArray& name) {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(v);
    return {};
}

// An OpenID configuration (OpenID Connect Discovery 1.0 section 4.2: "A successful response MUST
// use the 200 OK HTTP status code and return a JSON object using the application/json content
// type"). Whether its registration_endpoint is usable is the test plan's verdict, not this.
void classifyDiscoveryAnswer(RegistrationOutcome& o, const QByteArray& body) {
    const QJsonDocument doc = QJsonDocument::fromJson(body.trimmed());
    if (o.httpStatus != 200) {
        o.kind = o.httpStatus >= 400 ? OutcomeKind::Error : OutcomeKind::Unexpected;
        o.format = doc.isObject()             ? BodyFormat::OtherJson
                   : body.trimmed().isEmpty() ? BodyFormat::Empty
                                              : BodyFormat::Text;
        o.explanation = RegistrationOutcomeTr::tr(
                            "HTTP %1: the OpenID configuration was not returned (OpenID Connect "
                            "Discovery 4.2 prescribes 200 OK with a JSON object).")
                            .arg(o.httpStatus);
        o.likelyFix = RegistrationOutcomeTr::tr(
            "Check the discovery URL (…/.well-known/openid-configuration).");
        return;
    }
    if (!doc.isObject()) {
        o.kind = OutcomeKind::Unexpected;
        o.format = body.trimmed().isEmpty() ? BodyFormat::Empty : BodyFormat::Text;
        o.explanation = RegistrationOutcomeTr::tr(
            "The answer is not a JSON object, so it is no OpenID configuration.");
        o.likelyFix = RegistrationOutcomeTr::tr(
            "Check the discovery URL (…/.well-known/openid-configuration).");
        return;
    }
    o.kind = OutcomeKind::Retrieved;
    o.format = BodyFormat::OtherJson;
    const QJsonValue endpoint = doc.object().value(QStringLiteral("registration_endpoint"));
    o.explanation =
        endpoint.isString()
            ? RegistrationOutcomeTr::tr(
                  "The ASPSP returned its OpenID configuration; registration_endpoint "
                  "is %1.")
                  .arg(endpoint.toString())
            : RegistrationOutcomeTr::tr("The ASPSP returned an OpenID configuration without a "
                                        "registration_endpoint.");
}

} // namespace

QString outcomeKindName(OutcomeKind kind) {
    switch (kind) {
    case OutcomeKind::Accepted:
        return QStringLiteral("accepted");
    case OutcomeKind::Registered:
        return QStringLiteral("registered");
    case OutcomeKind::Retrieved:
        return QStringLiteral("retrieved");
    case OutcomeKind::Updated:
        return QStringLiteral("updated");
    case OutcomeKind::Deleted:
        return QStringLiteral("deleted");
    case OutcomeKind::Error:
        return QStringLiteral("error");
    case OutcomeKind::Unexpected:
        return QStringLiteral("unexpected");
    }
    return {};
}

bool outcomeIsSuccess(OutcomeKind kind) {
    switch (kind) {
    case OutcomeKind::Accepted:
    case OutcomeKind::Registered:
    case OutcomeKind::Retrieved:
    case OutcomeKind::Updated:
    case OutcomeKind::Deleted:
        return true;
    case OutcomeKind::Error:
    case OutcomeKind::Unexpected:
        return false;
    }
    return false;
}

QString bodyFormatName(BodyFormat format) {
    switch (format) {
    case BodyFormat::SeedMessage:
        return QStringLiteral("seed-message");
    case BodyFormat::ClientJson:
        return QStringLiteral("client-json");
    case BodyFormat::SeedTppMessages:
        return QStringLiteral("seed-tppMessages");
    case BodyFormat::Rfc7591Error:
        return QStringLiteral("rfc7591-error");
    case BodyFormat::ObieError:
        return QStringLiteral("obie-error");
    case BodyFormat::Html:
        return QStringLiteral("html");
    case BodyFormat::Text:
        return QStringLiteral("text");
    case BodyFormat::Empty:
        return QStringLiteral("empty");
    case BodyFormat::OtherJson:
        return QStringLiteral("other-json");
    case BodyFormat::SignedClientJwt:
        return QStringLiteral("signed-client-jwt");
    case BodyFormat::SignedOther:
        return QStringLiteral("signed-other");
    case BodyFormat::SeedErrorMessage:
        return QStringLiteral("seed-error_message");
    }
    return {};
}

QString responseSignatureName(ResponseSignature check) {
    switch (check) {
    case ResponseSignature::NotSigned:
        return QStringLiteral("not-signed");
    case ResponseSignature::NotChecked:
        return QStringLiteral("not-verified");
    case ResponseSignature::Verified:
        return QStringLiteral("verified");
    case ResponseSignature::Invalid:
        return QStringLiteral("invalid");
    }
    return {};
}

namespace {

// The opening words of a body that is not JSON, as the outcome quotes them (history rows,
// reports, the error line): masked like the body itself, or the withheld notice.
QString openingText(const QByteArray& body) {
    const auto scanned = SecretScanner::scan(body);
    if (scanned.unsure)
        return QString::fromUtf8(SecretScanner::withheldNotice());
    return QString::fromUtf8(scanned.text.left(300)).simplified();
}

// The bank's own words are shown and stored: a secret inside them is masked like one in a body
// (an error_description quoting "client_secret=..." included).
// The explanation quotes values from the body (a client_id, a URL), so it is masked too; its own
// prose never has a `=` or `:` after a secret name, which a complete text needs to be masked.
void maskBankText(RegistrationOutcome& o) {
    for (QString* text : {&o.text, &o.errorMessage, &o.message, &o.code, &o.errorClass,
                          &o.explanation, &o.likelyFix})
        *text = SecretScanner::maskText(*text);
    for (TppMessage& m : o.tppMessages)
        for (QString* text : {&m.category, &m.code, &m.text})
            *text = SecretScanner::maskText(*text);
    // The client_id is shown in summaries, history rows and lists.
    if (const QString id = o.clientId(); !id.isEmpty())
        o.client.insert(QStringLiteral("client_id"), SecretScanner::maskText(id));
    for (ClaimChange& c : o.changes)
        c.granted = maskSecretFields(c.granted, QString::fromUtf8(SecretScanner::mask()));
}

// Redirects are not followed: a registration must not silently go somewhere else.
void classifyRedirect(RegistrationOutcome& o, const HeaderList& headers, const QByteArray& body) {
    o.kind = OutcomeKind::Unexpected;
    o.format = body.trimmed().isEmpty() ? BodyFormat::Empty : BodyFormat::Text;
    const QString location = headerValue(headers, "location");
    o.explanation =
        RegistrationOutcomeTr::tr(
            "The ASPSP answered with a redirect (HTTP %1) to %2; redirects are not "
            "followed for registration requests.")
            .arg(o.httpStatus)
            .arg(location.isEmpty() ? RegistrationOutcomeTr::tr("no Location") : location);
    o.likelyFix = RegistrationOutcomeTr::tr(
        "Check the registration URL; if the new location is right, put it in the profile.");
}

void classifyEmptyBody(RegistrationOutcome& o) {
    o.format = BodyFormat::Empty;
    if (!isSuccess(o)) {
        o.kind = OutcomeKind::Error;
        fillFromStatus(o);
        return;
    }
    switch (o.operation) {
    case RegistrationOperation::Delete:
        // RFC 7592 2.3: "If a client has been successfully deprovisioned, the authorization
        // server MUST respond with an HTTP 204 No Content message."
        o.kind = OutcomeKind::Deleted;
        o.explanation = RegistrationOutcomeTr::tr("The ASPSP deprovisioned the client.");
        if (o.httpStatus != 204)
            o.explanation += RegistrationOutcomeTr::tr(
                                 " (RFC 7592 2.3 prescribes 204 No Content; this answer came "
                                 "with %1.)")
                                 .arg(o.httpStatus);
        o.likelyFix = RegistrationOutcomeTr::tr(
            "Nothing to fix. Its client_id, client_secret and registration "
            "access token no longer work; remove them from your configuration.");
        return;
    case RegistrationOperation::Register:
        o.kind = OutcomeKind::Unexpected;
        o.explanation = RegistrationOutcomeTr::tr(
                            "HTTP %1 with an empty body: the ASPSP said neither \"accepted\" nor "
                            "which client it created.")
                            .arg(o.httpStatus);
        o.likelyFix = RegistrationOutcomeTr::tr(
            "Ask the ASPSP how it confirms registrations; the request may still "
            "have been processed.");
        return;
    case RegistrationOperation::Read:
    case RegistrationOperation::Update:
    case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
        o.kind = OutcomeKind::Unexpected;
        o.explanation = RegistrationOutcomeTr::tr(
                            "HTTP %1 with an empty body: a %2 is answered with the client's "
                            "configuration (RFC 7592 2.1, 2.2).")
                            .arg(o.httpStatus)
                            .arg(operationName(o.operation));
        o.likelyFix = RegistrationOutcomeTr::tr(
            "Read the client to see its configuration; ask the ASPSP why the "
            "answer is empty.");
        return;
    }
}

// A signed body (OBIE allows the ASPSP to sign its registration response): the payload is the
// JSON the classification reads; the signature is checked when the ASPSP's key is known.
void classifySignedBody(RegistrationOutcome& o, const DecodedJws& jws, const QByteArray& compact,
                        const ClassificationContext& context) {
    QJsonParseError payloadError;
    const QJsonDocument payload = QJsonDocument::fromJson(jws.payload, &payloadError);
    if (context.responseKey) {
        JwsParseOptions options;
        options.requireJsonClaims = false;
        auto parsed = Jws::parse(compact, options);
        auto verified =
            parsed ? context.responseKey->verify(*parsed, context.responseKey->defaultAlgorithms())
                   : Result<QString>(parsed.error());
        o.signature = verified ? ResponseSignature::Verified : ResponseSignature::Invalid;
        o.signatureDetail = verified ? *verified : verified.error().message;
    } else {
        o.signature = ResponseSignature::NotChecked;
        o.signatureDetail = RegistrationOutcomeTr::tr("no ASPSP key configured");
    }
    if (payloadError.error != QJsonParseError::NoError || !payload.isObject()) {
        o.format = BodyFormat::SignedOther;
        o.kind = isSuccess(o) ? OutcomeKind::Unexpected : OutcomeKind::Error;
        fillFromStatus(o);
        o.explanation +=
            RegistrationOutcomeTr::tr(" The body is signed but its payload is not a JSON object.");
    } else {
        classifyJsonAnswer(o, payload.object(), context);
        if (o.format == BodyFormat::ClientJson)
            o.format = BodyFormat::SignedClientJwt;
    }
    appendSignatureNote(o);
}

// A body that is neither JSON nor a compact JWS: its masked opening words are quoted.
void classifyTextBody(RegistrationOutcome& o, const QByteArray& trimmed,
                      const QString& contentType) {
    o.format = (contentType.contains(QStringLiteral("html")) || trimmed.startsWith('<'))
                   ? BodyFormat::Html
                   : BodyFormat::Text;
    o.kind = isSuccess(o) ? OutcomeKind::Unexpected : OutcomeKind::Error;
    o.text = openingText(trimmed);
    fillFromStatus(o);
    if (o.format == BodyFormat::Html)
        o.explanation +=
            RegistrationOutcomeTr::tr(" The body is an HTML page, typically from a gateway or load "
                                      "balancer rather than the registration API.");
}

RegistrationOutcome classifyUnmasked(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body) {
    RegistrationOutcome o;
    o.operation = context.operation;
    o.httpStatus = httpStatus;
    if (const QString www = headerValue(headers, "www-authenticate"); !www.isEmpty())
        o.challenge = parseWwwAuthenticate(www.toLatin1());
    const QByteArray trimmed = body.trimmed();
    const QString contentType = headerValue(headers, "content-type");
    if (context.operation == RegistrationOperation::Discovery) {
        classifyDiscoveryAnswer(o, body);
    } else if (httpStatus >= 300 && httpStatus < 400) {
        classifyRedirect(o, headers, body);
    } else if (trimmed.isEmpty()) {
        classifyEmptyBody(o);
    } else if (const auto jws = decodeCompactJws(trimmed)) {
        classifySignedBody(o, *jws, trimmed, context);
    } else if (isJwtMediaType(contentType.toLatin1())) {
        // Labelled as a JWT but not a compact JWS: not shown (it may still encode secrets).
        o.format = BodyFormat::Text;
        o.kind = isSuccess(o) ? OutcomeKind::Unexpected : OutcomeKind::Error;
        fillFromStatus(o);
        o.explanation +=
            RegistrationOutcomeTr::tr(" The body is labelled %1 but is not a compact JWS.")
                .arg(contentType);
    } else if (const QJsonDocument doc = QJsonDocument::fromJson(trimmed); doc.isObject()) {
        classifyJsonAnswer(o, doc.object(), context);
    } else {
        classifyTextBody(o, trimmed, contentType);
    }
    return o;
}

} // namespace

RegistrationOutcome classifyResponse(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body) {
    RegistrationOutcome o = classifyUnmasked(context, httpStatus, headers, body);
    fillIfAlreadyRegistered(o);
    maskBankText(o);
    return o;
}

RegistrationOutcome classifyResponse(int httpStatus, const HeaderList& headers,
                                     const QByteArray& body, const QJsonObject& requestedClaims) {
    return classifyResponse(
        ClassificationContext{RegistrationOperation::Register, requestedClaims, std::nullopt},
        httpStatus, headers, body);
}

QString RegistrationOutcome::summary() const {
    QString head;
    switch (kind) {
    case OutcomeKind::Accepted:
        head = RegistrationOutcomeTr::tr("Accepted (HTTP %1): %2").arg(httpStatus).arg(message);
        break;
    case OutcomeKind::Registered:
        head = RegistrationOutcomeTr::tr("Registered (HTTP %1): client_id %2")
                   .arg(httpStatus)
                   .arg(clientId());
        break;
    case OutcomeKind::Retrieved:
        head = RegistrationOutcomeTr::tr("Retrieved (HTTP %1): configuration of client_id %2")
                   .arg(httpStatus)
                   .arg(clientId());
        break;
    case OutcomeKind::Updated:
        head = RegistrationOutcomeTr::tr("Updated (HTTP %1): client_id %2")
                   .arg(httpStatus)
                   .arg(clientId());
        if (!changes.isEmpty())
            head += RegistrationOutcomeTr::tr(", %1 value(s) not as sent").arg(changes.size());
        break;
    case OutcomeKind::Deleted:
        head = RegistrationOutcomeTr::tr("Deleted (HTTP %1): the client is deprovisioned")
                   .arg(httpStatus);
        break;
    case OutcomeKind::Error:
        head = RegistrationOutcomeTr::tr("Error (HTTP %1)").arg(httpStatus);
        if (!errorClass.isEmpty())
            head += QStringLiteral(" %1").arg(errorClass);
        if (!code.isEmpty() && code != errorClass)
            head += QStringLiteral(" [%1]").arg(code);
        if (!text.isEmpty())
            head += QStringLiteral(": ") + text;
        if (!errorMessage.isEmpty() && errorMessage != text)
            head += RegistrationOutcomeTr::tr(" (error_message: %1)").arg(errorMessage);
        break;
    case OutcomeKind::Unexpected:
        head = RegistrationOutcomeTr::tr("Unexpected answer to %1 (HTTP %2, %3 body)")
                   .arg(operationName(operation))
                   .arg(httpStatus)
                   .arg(bodyFormatName(format));
        break;
    }
    switch (signature) {
    case ResponseSignature::NotSigned:
        break;
    case ResponseSignature::NotChecked:
        head += RegistrationOutcomeTr::tr(" [signed, not verified]");
        break;
    case ResponseSignature::Verified:
        head += RegistrationOutcomeTr::tr(" [signed, verified]");
        break;
    case ResponseSignature::Invalid:
        head += RegistrationOutcomeTr::tr(" [SIGNATURE INVALID]");
        break;
    }
    return head;
}

QJsonObject RegistrationOutcome::toJson() const {
    QJsonObject o{{QStringLiteral("outcome"), outcomeKindName(kind)},
                  {QStringLiteral("operation"), operationName(operation)},
                  {QStringLiteral("format"), bodyFormatName(format)},
                  {QStringLiteral("http_status"), httpStatus},
                  {QStringLiteral("summary"), summary()},
                  {QStringLiteral("explanation"), explanation},
                  {QStringLiteral("likely_fix"), likelyFix}};
    if (!errorClass.isEmpty())
        o.insert(QStringLiteral("error_class"), errorClass);
    if (!code.isEmpty())
        o.insert(QStringLiteral("code"), code);
    if (!text.isEmpty())
        o.insert(QStringLiteral("text"), text);
    if (!errorMessage.isEmpty())
        o.insert(QStringLiteral("error_message"), errorMessage);
    if (!message.isEmpty())
        o.insert(QStringLiteral("message"), message);
    if (challenge)
        o.insert(QStringLiteral("www_authenticate"),
                 QJsonObject{{QStringLiteral("scheme"), challenge->scheme},
                             {QStringLiteral("realm"), challenge->realm},
                             {QStringLiteral("error"), challenge->error},
                             {QStringLiteral("error_description"), challenge->errorDescription},
                             {QStringLiteral("scope"), challenge->scope}});
    if (signature != ResponseSignature::NotSigned)
        o.insert(QStringLiteral("signature"),
                 QJsonObject{{QStringLiteral("check"), responseSignatureName(signature)},
                             {QStringLiteral("detail"), signatureDetail}});
    // The client as the ASPSP sent it; front ends mask its secrets before showing or printing.
    if (!client.isEmpty())
        o.insert(QStringLiteral("client"), client);
    if (alreadyRegistered)
        o.insert(QStringLiteral("already_registered"), true);
    QJsonArray changed;
    for (const auto& c : changes)
        changed.append(QJsonObject{
            {QStringLiteral("claim"), c.claim},
            {QStringLiteral("requested"), c.requested},
            {QStringLiteral("granted"), c.granted.isUndefined() ? QJsonValue() : c.granted}});
    if (!changed.isEmpty())
        o.insert(QStringLiteral("changes"), changed);
    return o;
}

QString operationName(RegistrationOperation operation) {
    switch (operation) {
    case RegistrationOperation::Register:
        return QStringLiteral("register");
    case RegistrationOperation::Read:
        return QStringLiteral("read");
    case RegistrationOperation::Update:
        return QStringLiteral("update");
    case RegistrationOperation::Delete:
        return QStringLiteral("delete");
    case RegistrationOperation::Discovery:
        return QStringLiteral("discovery");
    }
    return QStringLiteral("register");
}

} // namespace dcr
