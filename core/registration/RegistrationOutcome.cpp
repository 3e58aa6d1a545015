#include "RegistrationOutcome.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QSet>

namespace dcr {

namespace {

QString s(const char* text) {
    return QString::fromUtf8(text);
}

struct Rfc7591Info {
    const char* code;
    const char* explanation;
    const char* fix;
};

const Rfc7591Info rfc7591Errors[] = {
    {"invalid_redirect_uri", "A redirect URI was refused.",
     "Use only https redirect URIs listed in the SSA's software_redirect_uris."},
    {"invalid_client_metadata", "A metadata value is invalid or not supported by the ASPSP.",
     "Compare the request with the ASPSP's discovery document and fix the named claim."},
    {"invalid_software_statement",
     "The software statement is invalid (expired, malformed or badly signed).",
     "Get a fresh SSA from the directory for the right environment and send it unchanged."},
    {"unapproved_software_statement", "The ASPSP does not accept this software statement.",
     "Check the SSA's issuer, environment and the TPP's registration with the ASPSP."},
    {"invalid_request", "The request is malformed.",
     "Send the signed JWT as the body with Content-Type application/jwt (or application/jose)."},
    {"invalid_client", "The client is unknown or authentication failed.",
     "Check the client_id and the registration access token."},
    {"access_denied", "The ASPSP denied the request.",
     "Check the transport certificate and the TPP's permissions."},
};

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

// Seed: category should be a Related Errors class; "ERROR" is also allowed, then the code and
// HTTP status tell which class.
QString seedClassFor(const TppMessage& m, int status) {
    if (findSeedErrorClass(m.category))
        return m.category;
    if (findSeedErrorClass(m.code))
        return m.code;
    const int code = m.code.toInt();
    const int effective = code >= 400 ? code : status;
    switch (effective) {
    case 400:
        return s("RequestFormatInvalid");
    case 404:
        return s("NotFound");
    case 406:
        return s("Invalid");
    case 401:
        return m.text.contains(QStringLiteral("required"), Qt::CaseInsensitive)
                   ? s("WrongRequiredFields")
                   : s("AccessDenied");
    default:
        return m.category;
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
    if (const ErrorClassInfo* info = findSeedErrorClass(errorClass)) {
        o.explanation = info->description;
        o.likelyFix = info->likelyFix;
        if (info->httpStatus != o.httpStatus)
            o.explanation +=
                QStringLiteral(" (the seed pairs %1 with HTTP %2, this answer came with %3)")
                    .arg(errorClass)
                    .arg(info->httpStatus)
                    .arg(o.httpStatus);
    }
}

void fillFromStatus(RegistrationOutcome& o) {
    switch (o.httpStatus) {
    case 400:
        fillFromSeedClass(o, s("RequestFormatInvalid"));
        break;
    case 401:
        o.explanation = s("Unauthorised: required fields missing or access denied.");
        o.likelyFix = s("Run preflight and check the transport certificate.");
        break;
    case 403:
        o.explanation = s("Forbidden: the transport certificate or TPP is not allowed.");
        o.likelyFix = s("Check the client certificate is the one registered with the directory.");
        break;
    case 404:
        fillFromSeedClass(o, s("ResourceUnknown"));
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

} // namespace

QString outcomeKindName(OutcomeKind kind) {
    switch (kind) {
    case OutcomeKind::Accepted:
        return s("accepted");
    case OutcomeKind::Registered:
        return s("registered");
    case OutcomeKind::Error:
        return s("error");
    case OutcomeKind::Unexpected:
        return s("unexpected");
    }
    return {};
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
    }
    return {};
}

const QList<ErrorClassInfo>& seedErrorClasses() {
    static const QList<ErrorClassInfo> all = {
        {s("RequestFormatInvalid"), 400, s("Request format is wrong."),
         s("Send the signed JWT itself as the body with Content-Type: application/jwt; check it "
           "has three base64url segments.")},
        {s("WrongRequiredFields"), 401, s("Specified required fields were not provided."),
         s("Add the missing required claims (iss, iat, exp, aud, grant_types, software_statement, "
           "redirect_uris); run preflight.")},
        {s("AccessDenied"), 401, s("The action you want to perform is not allowed."),
         s("Check that the signing key is in the SSA's software JWKS, the SSA is valid, and the "
           "transport certificate belongs to the TPP.")},
        {s("NotFound"), 404, s("A resource could not be found."),
         s("The SSA or software is unknown to the ASPSP: use an SSA from the directory environment "
           "this ASPSP trusts.")},
        {s("Invalid"), 406, s("Given data is invalid."),
         s("A claim has a value the ASPSP does not accept; fix the preflight findings and compare "
           "with the discovery document.")},
        {s("ResourceUnknown"), 404, s("The addressed resource is unknown relative to the TPP."),
         s("Check the registration URL: the path is /api/open-banking/v3.1/tpp/register on the "
           "profile's base URL.")},
    };
    return all;
}

const ErrorClassInfo* findSeedErrorClass(const QString& errorClass) {
    for (const auto& info : seedErrorClasses())
        if (info.errorClass == errorClass)
            return &info;
    return nullptr;
}

RegistrationOutcome classifyResponse(int httpStatus, const HeaderList& headers,
                                     const QByteArray& body, const QJsonObject& requestedClaims) {
    RegistrationOutcome o;
    o.httpStatus = httpStatus;
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
        o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
        if (success) {
            o.explanation = s("HTTP %1 with an empty body: the ASPSP said neither \"accepted\" nor "
                              "which client it created.")
                                .arg(httpStatus);
            o.likelyFix = s("Ask the ASPSP how it confirms registrations; the request may still "
                            "have been processed.");
        } else {
            fillFromStatus(o);
        }
        return o;
    }
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(trimmed, &parseError);
    if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
        const QString type = headerValue(headers, "content-type");
        o.format = (type.contains(QStringLiteral("html")) || trimmed.startsWith('<'))
                       ? BodyFormat::Html
                       : BodyFormat::Text;
        o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
        o.text = QString::fromUtf8(trimmed.left(300)).simplified();
        fillFromStatus(o);
        if (o.format == BodyFormat::Html)
            o.explanation += s(" The body is an HTML page, typically from a gateway or load "
                               "balancer rather than the registration API.");
        return o;
    }
    const QJsonObject json = doc.object();

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
            fillFromSeedClass(o, seedClassFor(first, httpStatus));
        }
        if (o.explanation.isEmpty())
            fillFromStatus(o);
        return o;
    }
    if (json.value(QStringLiteral("error")).isString()) {
        o.format = BodyFormat::Rfc7591Error;
        o.kind = OutcomeKind::Error;
        o.errorClass = json.value(QStringLiteral("error")).toString();
        o.code = o.errorClass;
        o.text = json.value(QStringLiteral("error_description")).toString();
        for (const auto& info : rfc7591Errors)
            if (o.errorClass == QLatin1String(info.code)) {
                o.explanation = QString::fromUtf8(info.explanation);
                o.likelyFix = QString::fromUtf8(info.fix);
            }
        if (o.explanation.isEmpty())
            fillFromStatus(o);
        return o;
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
        return o;
    }
    if (json.value(QStringLiteral("client_id")).isString() && success) {
        o.format = BodyFormat::ClientJson;
        o.kind = OutcomeKind::Registered;
        o.client = json;
        o.changes = compareWithRequest(requestedClaims, json);
        o.explanation = s("The ASPSP registered client %1.")
                            .arg(json.value(QStringLiteral("client_id")).toString());
        if (!o.changes.isEmpty())
            o.explanation +=
                s(" It changed %1 requested value(s); review them.").arg(o.changes.size());
        return o;
    }
    if (json.value(QStringLiteral("message")).isString() && success) {
        o.format = BodyFormat::SeedMessage;
        o.kind = OutcomeKind::Accepted;
        o.message = json.value(QStringLiteral("message")).toString();
        o.explanation = s("The ASPSP accepted the request for processing; the registration result "
                          "follows by e-mail.");
        o.likelyFix = s("Nothing to fix. Keep this history entry as evidence of the submission.");
        return o;
    }
    o.format = BodyFormat::OtherJson;
    o.kind = success ? OutcomeKind::Unexpected : OutcomeKind::Error;
    o.text = QString::fromUtf8(trimmed.left(300));
    fillFromStatus(o);
    return o;
}

QString RegistrationOutcome::summary() const {
    switch (kind) {
    case OutcomeKind::Accepted:
        return QStringLiteral("Accepted (HTTP %1): %2").arg(httpStatus).arg(message);
    case OutcomeKind::Registered:
        return QStringLiteral("Registered (HTTP %1): client_id %2").arg(httpStatus).arg(clientId());
    case OutcomeKind::Error: {
        QString head = QStringLiteral("Error (HTTP %1)").arg(httpStatus);
        if (!errorClass.isEmpty())
            head += QStringLiteral(" %1").arg(errorClass);
        if (!code.isEmpty() && code != errorClass)
            head += QStringLiteral(" [%1]").arg(code);
        return text.isEmpty() ? head : head + QStringLiteral(": ") + text;
    }
    case OutcomeKind::Unexpected:
        return QStringLiteral("Unexpected answer (HTTP %1, %2 body)")
            .arg(httpStatus)
            .arg(bodyFormatName(format));
    }
    return {};
}

QJsonObject RegistrationOutcome::toJson() const {
    QJsonObject o{{QStringLiteral("outcome"), outcomeKindName(kind)},
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
    if (!message.isEmpty())
        o.insert(QStringLiteral("message"), message);
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
    }
    return QStringLiteral("register");
}

RegistrationOutcome classifyResponse(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body) {
    return classifyResponse(httpStatus, headers, body, context.requestedClaims);
}

} // namespace dcr
