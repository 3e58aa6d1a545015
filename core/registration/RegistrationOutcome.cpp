#include "RegistrationOutcome.h"

#include "SecretScanner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dcr {

namespace {

QString s(const char* text) {
    return QString::fromUtf8(text);
}

bool isManagement(RegistrationOperation op) {
    return op != RegistrationOperation::Register;
}

// RFC 7591 3.2.2, RFC 6749 5.2 and RFC 6750 3.1 codes (ErrorCatalogue); false for another.
bool fillFromErrorCode(RegistrationOutcome& o, const QString& code) {
    const auto advice = errorCodeAdvice(code, isManagement(o.operation));
    if (!advice)
        return false;
    o.explanation = advice->explanation;
    o.likelyFix = advice->likelyFix;
    return true;
}

QString headerValue(const HeaderList& headers, const QByteArray& name) {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return QString::fromLatin1(v);
    return {};
}

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
        return s("RequestFormatInvalid");
    case 404:
        return s("NotFound");
    case 406:
        return s("Invalid");
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
    static const QSet<QString> notEchoed = {s("iss"), s("iat"), s("exp"),
                                            s("aud"), s("jti"), s("software_statement")};
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

void fillFromSeedClass(RegistrationOutcome& o, const QString& errorClass) {
    o.errorClass = errorClass;
    if (const auto advice = seedClassAdvice(errorClass)) {
        o.explanation = advice->explanation;
        o.likelyFix = advice->likelyFix;
        const ErrorClassInfo* info = findSeedErrorClass(errorClass);
        if (info->httpStatus != o.httpStatus)
            o.explanation +=
                QStringLiteral(" (the seed pairs %1 with HTTP %2, this answer came with %3)")
                    .arg(errorClass)
                    .arg(info->httpStatus)
                    .arg(o.httpStatus);
    }
}

// RFC 6750 3: the error in a Bearer challenge; without one the token was missing or of a
// kind the ASPSP does not accept ("If the request lacks any authentication information ... the
// resource server SHOULD NOT include an error code").
bool fillFromChallenge(RegistrationOutcome& o) {
    if (!o.challenge)
        return false;
    const AuthChallenge& c = *o.challenge;
    if (c.error.isEmpty()) {
        if (o.httpStatus != 401)
            return false;
        o.explanation =
            s("The ASPSP asks for %1 authentication%2: no acceptable token was sent.")
                .arg(c.scheme, c.realm.isEmpty() ? QString() : s(" for realm \"%1\"").arg(c.realm));
        o.likelyFix = isManagement(o.operation)
                          ? s("Send the registration access token from the registration response "
                              "as \"Authorization: Bearer <token>\".")
                          : s("Check whether this ASPSP needs an initial access token for "
                              "registration.");
        return true;
    }
    o.errorClass = c.error;
    o.code = c.error;
    if (o.text.isEmpty())
        o.text = c.errorDescription;
    if (!fillFromErrorCode(o, c.error)) {
        o.explanation = s("The ASPSP refused the token with error \"%1\".").arg(c.error);
        o.likelyFix = s("Read the error_description; get a new token if it expired.");
    }
    return true;
}

void fillFromStatus(RegistrationOutcome& o) {
    const bool management = isManagement(o.operation);
    if ((o.httpStatus == 401 || o.httpStatus == 403 || o.httpStatus == 400) && fillFromChallenge(o))
        return;
    switch (o.httpStatus) {
    case 400:
        if (o.operation == RegistrationOperation::Read ||
            o.operation == RegistrationOperation::Delete) {
            o.explanation =
                s("The ASPSP found the %1 request malformed.").arg(operationName(o.operation));
            o.likelyFix = s("Check the client_id in the URL and the Authorization: Bearer header.");
        } else {
            fillFromSeedClass(o, s("RequestFormatInvalid"));
        }
        break;
    case 401:
        if (management) {
            // RFC 7592 2.1/2.2/2.3: "If the client does not exist on this server, the server MUST
            // respond with HTTP 401 Unauthorized".
            o.explanation = s("Unauthorised: the registration access token was refused, or the "
                              "client no longer exists (RFC 7592 answers 401 for both).");
            o.likelyFix = s("Read the client to check it still exists, and use the registration "
                            "access token from its registration or last update.");
        } else {
            // The seed pairs 401 with two classes; without one of them named, either may apply.
            o.explanation = s("Unauthorised: the seed uses HTTP 401 both for WrongRequiredFields "
                              "(required fields not provided) and AccessDenied (action not "
                              "allowed); the answer does not say which.");
            o.likelyFix = s("Read the text; run preflight for missing claims, and check the "
                            "signing key and the transport certificate.");
        }
        break;
    case 403:
        o.explanation = s("Forbidden: the transport certificate or TPP is not allowed.");
        o.likelyFix = s("Check the client certificate is the one registered with the directory.");
        break;
    case 404:
        fillFromSeedClass(o, s("ResourceUnknown"));
        if (management)
            o.likelyFix = s("Check the client_id in the URL (the registration_client_uri from the "
                            "registration response).");
        break;
    case 405:
        if (o.operation == RegistrationOperation::Delete) {
            // RFC 7592 2.3: "If the server does not support the delete method, the server MUST
            // respond with HTTP 405 Not Supported."
            o.explanation = s("The ASPSP does not support deleting clients (RFC 7592 2.3: 405).");
            o.likelyFix = s("Ask the ASPSP how to deregister the client (portal or support).");
        } else {
            o.explanation = s("The ASPSP does not allow the %1 method on this URL.")
                                .arg(operationName(o.operation));
            o.likelyFix = s("Check the URL and whether the ASPSP supports this operation in its "
                            "discovery document.");
        }
        break;
    case 406:
        fillFromSeedClass(o, s("Invalid"));
        break;
    case 415:
        o.explanation = s("Unsupported media type.");
        o.likelyFix =
            s("Switch the profile's Content-Type between application/jwt and application/jose.");
        break;
    case 429:
        o.explanation = s("Too many requests.");
        o.likelyFix = s("Wait and retry later.");
        break;
    default:
        if (o.httpStatus >= 500) {
            o.explanation =
                s("The ASPSP or a gateway in front of it failed (HTTP %1).").arg(o.httpStatus);
            o.likelyFix =
                s("Retry later; if it persists, send the exchange (history export) to the ASPSP.");
        } else {
            o.explanation =
                s("HTTP %1 is not described by the registration contract.").arg(o.httpStatus);
            o.likelyFix = s("Read the body and headers; export the exchange for the ASPSP.");
        }
    }
}

void appendSignatureNote(RegistrationOutcome& o) {
    switch (o.signature) {
    case ResponseSignature::NotSigned:
        return;
    case ResponseSignature::NotChecked:
        o.explanation += s(" The body is signed; its signature was not checked because no ASPSP "
                           "key is configured.");
        return;
    case ResponseSignature::Verified:
        o.explanation +=
            s(" The body is signed and its signature verified (%1).").arg(o.signatureDetail);
        return;
    case ResponseSignature::Invalid:
        o.explanation += s(" The body's signature is INVALID (%1): do not trust its content.")
                             .arg(o.signatureDetail);
        o.likelyFix = s("Check the ASPSP's signing keys (JWKS) in the profile and ask the ASPSP "
                        "which key signs its responses.") +
                      (o.likelyFix.isEmpty() ? QString() : u' ' + o.likelyFix);
        return;
    }
}

QJsonValue withoutSecrets(const QJsonValue& v) {
    return maskSecretFields(v, QJsonValue(QStringLiteral("(masked)")));
}

// A JSON (or decoded signed) body: the seed's shapes, RFC 7591 errors, OBIE errors, a client.
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
        o.explanation = s("HTTP %1: the OpenID configuration was not returned (OpenID Connect "
                          "Discovery 4.2 prescribes 200 OK with a JSON object).")
                            .arg(o.httpStatus);
        o.likelyFix = s("Check the discovery URL (…/.well-known/openid-configuration).");
        return;
    }
    if (!doc.isObject()) {
        o.kind = OutcomeKind::Unexpected;
        o.format = body.trimmed().isEmpty() ? BodyFormat::Empty : BodyFormat::Text;
        o.explanation = s("The answer is not a JSON object, so it is no OpenID configuration.");
        o.likelyFix = s("Check the discovery URL (…/.well-known/openid-configuration).");
        return;
    }
    o.kind = OutcomeKind::Retrieved;
    o.format = BodyFormat::OtherJson;
    const QJsonValue endpoint = doc.object().value(QStringLiteral("registration_endpoint"));
    o.explanation = endpoint.isString()
                        ? s("The ASPSP returned its OpenID configuration; registration_endpoint "
                            "is %1.")
                              .arg(endpoint.toString())
                        : s("The ASPSP returned an OpenID configuration without a "
                            "registration_endpoint.");
}

void classifyJson(RegistrationOutcome& o, const QJsonObject& json,
                  const ClassificationContext& context) {
    const int httpStatus = o.httpStatus;
    const bool success = httpStatus >= 200 && httpStatus < 300;
    o.errorMessage = json.value(QStringLiteral("error_message")).toString();

    if (json.contains(QStringLiteral("tppMessages"))) {
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
            if (const QString errorClass = seedClassFor(first, httpStatus); !errorClass.isEmpty())
                fillFromSeedClass(o, errorClass);
        }
        if (o.text.isEmpty())
            o.text = o.errorMessage;
        if (o.explanation.isEmpty())
            fillFromStatus(o);
        return;
    }
    if (json.value(QStringLiteral("error")).isString()) {
        o.format = BodyFormat::Rfc7591Error;
        o.kind = OutcomeKind::Error;
        o.errorClass = json.value(QStringLiteral("error")).toString();
        o.code = o.errorClass;
        o.text = json.value(QStringLiteral("error_description")).toString();
        if (o.text.isEmpty())
            o.text = o.errorMessage;
        fillFromErrorCode(o, o.errorClass);
        if (o.explanation.isEmpty()) {
            const QString errorClass = o.errorClass;
            fillFromStatus(o);
            o.errorClass = errorClass; // the ASPSP's own code, even when it is not a known one
            o.code = errorClass;
        }
        return;
    }
    if (json.contains(QStringLiteral("Code")) && json.contains(QStringLiteral("Errors"))) {
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
        o.errorClass =
            errors.isEmpty()
                ? o.code
                : errors.first().toObject().value(QStringLiteral("ErrorCode")).toString();
        return;
    }
    if (json.value(QStringLiteral("client_id")).isString() && success) {
        o.format = BodyFormat::ClientJson;
        const QString id = json.value(QStringLiteral("client_id")).toString();
        if (context.operation == RegistrationOperation::Delete) {
            // RFC 7592 2.3: "If a client has been successfully deprovisioned, the authorization
            // server MUST respond with an HTTP 204 No Content message."
            o.kind = OutcomeKind::Unexpected;
            o.client = json;
            o.explanation = s("A delete should be answered with 204 No Content (RFC 7592 2.3); "
                              "this answer describes client %1, which may still exist.")
                                .arg(id);
            o.likelyFix = s("Read the client to check whether it was deleted.");
            return;
        }
        o.client = json;
        o.changes = compareWithRequest(context.requestedClaims, json);
        switch (context.operation) {
        case RegistrationOperation::Read:
            o.kind = OutcomeKind::Retrieved;
            o.explanation = s("The ASPSP returned the current configuration of client %1.").arg(id);
            if (!o.changes.isEmpty())
                o.explanation +=
                    s(" %1 value(s) differ from what was sent; review them.").arg(o.changes.size());
            break;
        case RegistrationOperation::Update:
            // RFC 7592 2.2: the server "responds with an HTTP 200 OK message ... [with] all of the
            // registered metadata about the client" and "MAY include a new client secret and/or
            // registration access token".
            o.kind = OutcomeKind::Updated;
            o.explanation = s("The ASPSP updated client %1.").arg(id);
            if (!o.changes.isEmpty())
                o.explanation += s(" It did not apply %1 sent value(s) as sent; review them.")
                                     .arg(o.changes.size());
            if (json.contains(QStringLiteral("client_secret")) ||
                json.contains(QStringLiteral("registration_access_token")))
                o.likelyFix = s("Store the client_secret and registration_access_token from "
                                "this answer: the ASPSP may have rotated them.");
            break;
        case RegistrationOperation::Register:
        case RegistrationOperation::Delete:
        case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
            o.kind = OutcomeKind::Registered;
            o.explanation = s("The ASPSP registered client %1.").arg(id);
            if (!o.changes.isEmpty())
                o.explanation +=
                    s(" It changed %1 requested value(s); review them.").arg(o.changes.size());
            break;
        }
        return;
    }
    if (json.value(QStringLiteral("message")).isString() && success) {
        o.format = BodyFormat::SeedMessage;
        o.message = json.value(QStringLiteral("message")).toString();
        switch (context.operation) {
        case RegistrationOperation::Register:
        case RegistrationOperation::Update:
            o.kind = OutcomeKind::Accepted;
            o.explanation =
                s("The ASPSP accepted the %1 request for processing; the result "
                  "follows by e-mail.")
                    .arg(context.operation == RegistrationOperation::Register ? s("registration")
                                                                              : s("update"));
            o.likelyFix =
                s("Nothing to fix. Keep this history entry as evidence of the submission.");
            return;
        case RegistrationOperation::Delete:
            o.kind = OutcomeKind::Deleted;
            o.explanation = s("The ASPSP confirmed the delete with a message (RFC 7592 2.3 "
                              "prescribes 204 No Content).");
            o.likelyFix = s("Nothing to fix; read the client to confirm it is gone if in doubt.");
            return;
        case RegistrationOperation::Read:
        case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
            o.kind = OutcomeKind::Unexpected;
            o.explanation = s("A read should return the client's configuration (RFC 7592 2.1); "
                              "this answer is only a message.");
            o.likelyFix = s("Check the URL is the client's registration_client_uri.");
            return;
        }
    }
    if (!o.errorMessage.isEmpty() && !success) {
        o.format = BodyFormat::SeedErrorMessage;
        o.kind = OutcomeKind::Error;
        o.text = o.errorMessage;
        fillFromStatus(o);
        return;
    }
    o.format = BodyFormat::OtherJson;
    o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
    // The text is stored in the history and shown: a secret in an unknown body stays out of it.
    o.text = QString::fromUtf8(
                 QJsonDocument(withoutSecrets(json).toObject()).toJson(QJsonDocument::Compact))
                 .left(300);
    fillFromStatus(o);
}

} // namespace

QString outcomeKindName(OutcomeKind kind) {
    switch (kind) {
    case OutcomeKind::Accepted:
        return s("accepted");
    case OutcomeKind::Registered:
        return s("registered");
    case OutcomeKind::Retrieved:
        return s("retrieved");
    case OutcomeKind::Updated:
        return s("updated");
    case OutcomeKind::Deleted:
        return s("deleted");
    case OutcomeKind::Error:
        return s("error");
    case OutcomeKind::Unexpected:
        return s("unexpected");
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
        return s("seed-message");
    case BodyFormat::ClientJson:
        return s("client-json");
    case BodyFormat::SeedTppMessages:
        return s("seed-tppMessages");
    case BodyFormat::Rfc7591Error:
        return s("rfc7591-error");
    case BodyFormat::ObieError:
        return s("obie-error");
    case BodyFormat::Html:
        return s("html");
    case BodyFormat::Text:
        return s("text");
    case BodyFormat::Empty:
        return s("empty");
    case BodyFormat::OtherJson:
        return s("other-json");
    case BodyFormat::SignedClientJwt:
        return s("signed-client-jwt");
    case BodyFormat::SignedOther:
        return s("signed-other");
    case BodyFormat::SeedErrorMessage:
        return s("seed-error_message");
    }
    return {};
}

QString responseSignatureName(ResponseSignature check) {
    switch (check) {
    case ResponseSignature::NotSigned:
        return s("not-signed");
    case ResponseSignature::NotChecked:
        return s("not-verified");
    case ResponseSignature::Verified:
        return s("verified");
    case ResponseSignature::Invalid:
        return s("invalid");
    }
    return {};
}

RegistrationOutcome classifyResponse(int httpStatus, const HeaderList& headers,
                                     const QByteArray& body, const QJsonObject& requestedClaims) {
    return classifyResponse(
        ClassificationContext{RegistrationOperation::Register, requestedClaims, std::nullopt},
        httpStatus, headers, body);
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

RegistrationOutcome classifyUnmasked(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body);

} // namespace

RegistrationOutcome classifyResponse(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body) {
    RegistrationOutcome o = classifyUnmasked(context, httpStatus, headers, body);
    maskBankText(o);
    return o;
}

namespace {

RegistrationOutcome classifyUnmasked(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body) {
    RegistrationOutcome o;
    o.operation = context.operation;
    o.httpStatus = httpStatus;
    if (const QString www = headerValue(headers, "www-authenticate"); !www.isEmpty())
        o.challenge = parseWwwAuthenticate(www.toLatin1());
    if (context.operation == RegistrationOperation::Discovery) {
        classifyDiscoveryAnswer(o, body);
        return o;
    }
    const bool success = httpStatus >= 200 && httpStatus < 300;
    if (httpStatus >= 300 && httpStatus < 400) {
        // Redirects are not followed: a registration must not silently go somewhere else.
        o.kind = OutcomeKind::Unexpected;
        o.format = body.trimmed().isEmpty() ? BodyFormat::Empty : BodyFormat::Text;
        const QString location = headerValue(headers, "location");
        o.explanation = s("The ASPSP answered with a redirect (HTTP %1) to %2; redirects are not "
                          "followed for registration requests.")
                            .arg(httpStatus)
                            .arg(location.isEmpty() ? s("no Location") : location);
        o.likelyFix =
            s("Check the registration URL; if the new location is right, put it in the profile.");
        return o;
    }
    const QByteArray trimmed = body.trimmed();
    if (trimmed.isEmpty()) {
        o.format = BodyFormat::Empty;
        if (!success) {
            o.kind = OutcomeKind::Error;
            fillFromStatus(o);
            return o;
        }
        switch (context.operation) {
        case RegistrationOperation::Delete:
            // RFC 7592 2.3: "If a client has been successfully deprovisioned, the authorization
            // server MUST respond with an HTTP 204 No Content message."
            o.kind = OutcomeKind::Deleted;
            o.explanation = s("The ASPSP deprovisioned the client.");
            if (httpStatus != 204)
                o.explanation += s(" (RFC 7592 2.3 prescribes 204 No Content; this answer came "
                                   "with %1.)")
                                     .arg(httpStatus);
            o.likelyFix = s("Nothing to fix. Its client_id, client_secret and registration "
                            "access token no longer work; remove them from your configuration.");
            return o;
        case RegistrationOperation::Register:
            o.kind = OutcomeKind::Unexpected;
            o.explanation = s("HTTP %1 with an empty body: the ASPSP said neither \"accepted\" nor "
                              "which client it created.")
                                .arg(httpStatus);
            o.likelyFix = s("Ask the ASPSP how it confirms registrations; the request may still "
                            "have been processed.");
            return o;
        case RegistrationOperation::Read:
        case RegistrationOperation::Update:
        case RegistrationOperation::Discovery: // answered by classifyDiscoveryAnswer
            o.kind = OutcomeKind::Unexpected;
            o.explanation = s("HTTP %1 with an empty body: a %2 is answered with the client's "
                              "configuration (RFC 7592 2.1, 2.2).")
                                .arg(httpStatus)
                                .arg(operationName(context.operation));
            o.likelyFix = s("Read the client to see its configuration; ask the ASPSP why the "
                            "answer is empty.");
            return o;
        }
        return o;
    }

    const QString contentType = headerValue(headers, "content-type");
    if (const auto jws = decodeCompactJws(trimmed)) {
        // A signed body (OBIE allows the ASPSP to sign its registration response): the payload is
        // the JSON the classification reads.
        QJsonParseError payloadError;
        const QJsonDocument payload = QJsonDocument::fromJson(jws->payload, &payloadError);
        if (context.responseKey) {
            JwsParseOptions options;
            options.requireJsonClaims = false;
            auto parsed = Jws::parse(trimmed, options);
            auto verified =
                parsed
                    ? context.responseKey->verify(*parsed, context.responseKey->defaultAlgorithms())
                    : Result<QString>(parsed.error());
            o.signature = verified ? ResponseSignature::Verified : ResponseSignature::Invalid;
            o.signatureDetail = verified ? *verified : verified.error().message;
        } else {
            o.signature = ResponseSignature::NotChecked;
            o.signatureDetail = s("no ASPSP key configured");
        }
        if (payloadError.error != QJsonParseError::NoError || !payload.isObject()) {
            o.format = BodyFormat::SignedOther;
            o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
            fillFromStatus(o);
            o.explanation += s(" The body is signed but its payload is not a JSON object.");
        } else {
            classifyJson(o, payload.object(), context);
            if (o.format == BodyFormat::ClientJson)
                o.format = BodyFormat::SignedClientJwt;
        }
        appendSignatureNote(o);
        return o;
    }
    if (isJwtMediaType(contentType.toLatin1())) {
        // Labelled as a JWT but not a compact JWS: not shown (it may still encode secrets).
        o.format = BodyFormat::Text;
        o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
        fillFromStatus(o);
        o.explanation += s(" The body is labelled %1 but is not a compact JWS.").arg(contentType);
        return o;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        o.format = (contentType.contains(QStringLiteral("html")) || trimmed.startsWith('<'))
                       ? BodyFormat::Html
                       : BodyFormat::Text;
        o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
        o.text = openingText(trimmed);
        fillFromStatus(o);
        if (o.format == BodyFormat::Html)
            o.explanation += s(" The body is an HTML page, typically from a gateway or load "
                               "balancer rather than the registration API.");
        return o;
    }
    classifyJson(o, doc.object(), context);
    return o;
}

} // namespace

QString RegistrationOutcome::summary() const {
    QString head;
    switch (kind) {
    case OutcomeKind::Accepted:
        head = QStringLiteral("Accepted (HTTP %1): %2").arg(httpStatus).arg(message);
        break;
    case OutcomeKind::Registered:
        head = QStringLiteral("Registered (HTTP %1): client_id %2").arg(httpStatus).arg(clientId());
        break;
    case OutcomeKind::Retrieved:
        head = QStringLiteral("Retrieved (HTTP %1): configuration of client_id %2")
                   .arg(httpStatus)
                   .arg(clientId());
        break;
    case OutcomeKind::Updated:
        head = QStringLiteral("Updated (HTTP %1): client_id %2").arg(httpStatus).arg(clientId());
        if (!changes.isEmpty())
            head += QStringLiteral(", %1 value(s) not as sent").arg(changes.size());
        break;
    case OutcomeKind::Deleted:
        head = QStringLiteral("Deleted (HTTP %1): the client is deprovisioned").arg(httpStatus);
        break;
    case OutcomeKind::Error:
        head = QStringLiteral("Error (HTTP %1)").arg(httpStatus);
        if (!errorClass.isEmpty())
            head += QStringLiteral(" %1").arg(errorClass);
        if (!code.isEmpty() && code != errorClass)
            head += QStringLiteral(" [%1]").arg(code);
        if (!text.isEmpty())
            head += QStringLiteral(": ") + text;
        if (!errorMessage.isEmpty() && errorMessage != text)
            head += QStringLiteral(" (error_message: %1)").arg(errorMessage);
        break;
    case OutcomeKind::Unexpected:
        head = QStringLiteral("Unexpected answer to %1 (HTTP %2, %3 body)")
                   .arg(operationName(operation))
                   .arg(httpStatus)
                   .arg(bodyFormatName(format));
        break;
    }
    switch (signature) {
    case ResponseSignature::NotSigned:
        break;
    case ResponseSignature::NotChecked:
        head += QStringLiteral(" [signed, not verified]");
        break;
    case ResponseSignature::Verified:
        head += QStringLiteral(" [signed, verified]");
        break;
    case ResponseSignature::Invalid:
        head += QStringLiteral(" [SIGNATURE INVALID]");
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
