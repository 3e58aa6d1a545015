#include "OutcomeAdvice.h"

#include "ErrorCatalogue.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace dcr {

namespace {

// User-facing text, translated in the outcome's context.
struct OutcomeAdviceTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::RegistrationOutcome)
};

} // namespace

bool isSuccess(const RegistrationOutcome& o) {
    return o.httpStatus >= 200 && o.httpStatus < 300;
}

bool isManagement(RegistrationOperation op) {
    return op != RegistrationOperation::Register;
}

void fillFromAdvice(RegistrationOutcome& o, const ErrorAdvice& advice) {
    o.explanation = advice.explanation;
    o.likelyFix = advice.likelyFix;
}

void fillFromSeedClass(RegistrationOutcome& o, const QString& errorClass) {
    o.errorClass = errorClass;
    if (const auto advice = seedClassAdvice(errorClass)) {
        o.explanation = advice->explanation;
        o.likelyFix = advice->likelyFix;
        const ErrorClassInfo* info = findSeedErrorClass(errorClass);
        if (info->httpStatus != o.httpStatus)
            o.explanation +=
                OutcomeAdviceTr::tr(" (the seed pairs %1 with HTTP %2, this answer came with %3)")
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
            OutcomeAdviceTr::tr(
                "The ASPSP asks for %1 authentication%2: no acceptable token was sent.")
                .arg(c.scheme, c.realm.isEmpty()
                                   ? QString()
                                   : OutcomeAdviceTr::tr(" for realm \"%1\"").arg(c.realm));
        o.likelyFix =
            isManagement(o.operation)
                ? OutcomeAdviceTr::tr(
                      "Send the registration access token from the registration response "
                      "as \"Authorization: Bearer <token>\".")
                : OutcomeAdviceTr::tr("Check whether this ASPSP needs an initial access token for "
                                      "registration.");
        return true;
    }
    o.errorClass = c.error;
    o.code = c.error;
    if (o.text.isEmpty())
        o.text = c.errorDescription;
    if (const auto advice = errorCodeAdvice(c.error, isManagement(o.operation))) {
        fillFromAdvice(o, *advice);
    } else {
        o.explanation =
            OutcomeAdviceTr::tr("The ASPSP refused the token with error \"%1\".").arg(c.error);
        o.likelyFix =
            OutcomeAdviceTr::tr("Read the error_description; get a new token if it expired.");
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
            o.explanation = OutcomeAdviceTr::tr("The ASPSP found the %1 request malformed.")
                                .arg(operationName(o.operation));
            o.likelyFix = OutcomeAdviceTr::tr(
                "Check the client_id in the URL and the Authorization: Bearer header.");
        } else {
            fillFromSeedClass(o, QStringLiteral("RequestFormatInvalid"));
        }
        break;
    case 401:
        if (management) {
            // RFC 7592 2.1/2.2/2.3: "If the client does not exist on this server, the server MUST
            // respond with HTTP 401 Unauthorized".
            o.explanation = OutcomeAdviceTr::tr(
                "Unauthorised: the registration access token was refused, or the "
                "client no longer exists (RFC 7592 answers 401 for both).");
            o.likelyFix = OutcomeAdviceTr::tr(
                "Read the client to check it still exists, and use the registration "
                "access token from its registration or last update.");
        } else {
            // The seed pairs 401 with two classes; without one of them named, either may apply.
            o.explanation = OutcomeAdviceTr::tr(
                "Unauthorised: the seed uses HTTP 401 both for WrongRequiredFields "
                "(required fields not provided) and AccessDenied (action not "
                "allowed); the answer does not say which.");
            o.likelyFix = OutcomeAdviceTr::tr(
                "Read the text; run preflight for missing claims, and check the "
                "signing key and the transport certificate.");
        }
        break;
    case 403:
        o.explanation =
            OutcomeAdviceTr::tr("Forbidden: the transport certificate or TPP is not allowed.");
        o.likelyFix = OutcomeAdviceTr::tr(
            "Check the client certificate is the one registered with the directory.");
        break;
    case 404:
        fillFromSeedClass(o, QStringLiteral("ResourceUnknown"));
        if (management)
            o.likelyFix = OutcomeAdviceTr::tr(
                "Check the client_id in the URL (the registration_client_uri from the "
                "registration response).");
        break;
    case 405:
        if (o.operation == RegistrationOperation::Delete) {
            // RFC 7592 2.3: "If the server does not support the delete method, the server MUST
            // respond with HTTP 405 Not Supported."
            o.explanation = OutcomeAdviceTr::tr(
                "The ASPSP does not support deleting clients (RFC 7592 2.3: 405).");
            o.likelyFix = OutcomeAdviceTr::tr(
                "Ask the ASPSP how to deregister the client (portal or support).");
        } else {
            o.explanation =
                OutcomeAdviceTr::tr("The ASPSP does not allow the %1 method on this URL.")
                    .arg(operationName(o.operation));
            o.likelyFix = OutcomeAdviceTr::tr(
                "Check the URL and whether the ASPSP supports this operation in its "
                "discovery document.");
        }
        break;
    case 406:
        fillFromSeedClass(o, QStringLiteral("Invalid"));
        break;
    case 415:
        o.explanation = OutcomeAdviceTr::tr("Unsupported media type.");
        o.likelyFix = OutcomeAdviceTr::tr(
            "Switch the profile's Content-Type between application/jwt and application/jose.");
        break;
    case 429:
        o.explanation = OutcomeAdviceTr::tr("Too many requests.");
        o.likelyFix = OutcomeAdviceTr::tr("Wait and retry later.");
        break;
    default:
        if (o.httpStatus >= 500) {
            o.explanation =
                OutcomeAdviceTr::tr("The ASPSP or a gateway in front of it failed (HTTP %1).")
                    .arg(o.httpStatus);
            o.likelyFix = OutcomeAdviceTr::tr(
                "Retry later; if it persists, send the exchange (history export) to the ASPSP.");
        } else {
            o.explanation =
                OutcomeAdviceTr::tr("HTTP %1 is not described by the registration contract.")
                    .arg(o.httpStatus);
            o.likelyFix = OutcomeAdviceTr::tr(
                "Read the body and headers; export the exchange for the ASPSP.");
        }
    }
}

QString transportFailureFix(ErrorKind kind) {
    switch (kind) {
    case ErrorKind::NetworkCancelled:
        return {};
    case ErrorKind::NetworkTls:
    case ErrorKind::NetworkTlsRefused:
        return OutcomeAdviceTr::tr("Check the profile's transport certificate, key and CA bundle.");
    case ErrorKind::NetworkTimeout:
        return OutcomeAdviceTr::tr(
            "Check the ASPSP is up; read the client before sending again, as the "
            "request may have been processed.");
    case ErrorKind::NetworkOversize:
        return OutcomeAdviceTr::tr(
            "Check the endpoint URL: the answer was larger than a registration "
            "answer can be.");
    case ErrorKind::NetworkOriginRefused:
        return OutcomeAdviceTr::tr(
            "Check the profile's registration URL and its \"Other origins tokens may "
            "go to\".");
    default:
        return OutcomeAdviceTr::tr(
            "Check the endpoint URL, network and proxy; the attempt is kept in the "
            "history.");
    }
}

namespace {

// Error codes that name something other than the client as the cause: a redirect URI another
// client holds, a software statement (its jti) already used, a bad signature. Their "already
// registered" / "already exists" concerns that thing, not a client for this software.
bool namesAnotherCause(const RegistrationOutcome& o) {
    static const QStringList codes{QStringLiteral("invalid_redirect_uri"),
                                   QStringLiteral("invalid_software_statement"),
                                   QStringLiteral("unapproved_software_statement")};
    return codes.contains(o.errorClass, Qt::CaseInsensitive) ||
           o.errorClass.contains(QStringLiteral("signature"), Qt::CaseInsensitive) ||
           o.code.contains(QStringLiteral("signature"), Qt::CaseInsensitive) ||
           o.signature == ResponseSignature::Invalid;
}

// The words say the client or the software is what already exists: "software_id already
// registered", "client already exists", "a client is already registered for this software". A
// redirect URI, a statement's jti or a session "already registered/exists" is something else.
bool wordsNameTheClient(const QString& words) {
    static const QRegularExpression subjectFirst(
        QStringLiteral("\\b(client|client_id|software|software_id|application)\\s+"
                       "(is\\s+|has\\s+been\\s+|was\\s+)?already\\s+(registered|exists)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    static const QRegularExpression subjectAfter(
        QStringLiteral("\\balready\\s+(registered|exists)\\s+for\\s+(this\\s+|the\\s+)?"
                       "(software|software_id)\\b"),
        QRegularExpression::CaseInsensitiveOption);
    return subjectFirst.match(words).hasMatch() || subjectAfter.match(words).hasMatch();
}

// Only a structured (JSON or signed) error's own words count: an HTML or text page comes from
// a gateway or firewall, whose "already exists" is about its own state.
bool saysAlreadyRegistered(const RegistrationOutcome& o) {
    if (o.format == BodyFormat::Html || o.format == BodyFormat::Text || namesAnotherCause(o))
        return false;
    QStringList words{o.text, o.errorMessage, o.message};
    for (const TppMessage& m : o.tppMessages)
        words << m.text;
    return std::any_of(words.cbegin(), words.cend(), wordsNameTheClient);
}

} // namespace

void fillIfAlreadyRegistered(RegistrationOutcome& o) {
    if (o.operation != RegistrationOperation::Register || o.kind != OutcomeKind::Error)
        return;
    const bool statusSays = o.httpStatus == 409;
    const bool wordsSay = (o.httpStatus == 400 || o.httpStatus == 403 || o.httpStatus == 409) &&
                          saysAlreadyRegistered(o);
    if (!statusSays && !wordsSay)
        return;
    o.alreadyRegistered = true;
    // Added to what the status and error code already said (a 403's certificate advice, the
    // signature note), not in place of it.
    const QString already =
        OutcomeAdviceTr::tr("Already registered: the bank holds a client for this "
                            "software already (HTTP %1), so it created no new one.")
            .arg(o.httpStatus);
    o.explanation = o.explanation.isEmpty() ? already : already + u' ' + o.explanation;
    const QString find =
        OutcomeAdviceTr::tr("Find the existing client (its client_id from the bank or an "
                            "earlier answer) and read or update it, or delete it at the bank "
                            "before registering again.");
    o.likelyFix = o.likelyFix.isEmpty() ? find : o.likelyFix + u' ' + find;
}

void appendSignatureNote(RegistrationOutcome& o) {
    switch (o.signature) {
    case ResponseSignature::NotSigned:
        return;
    case ResponseSignature::NotChecked:
        o.explanation += OutcomeAdviceTr::tr(
            " The body is signed; its signature was not checked because no ASPSP "
            "key is configured.");
        return;
    case ResponseSignature::Verified:
        o.explanation += OutcomeAdviceTr::tr(" The body is signed and its signature verified (%1).")
                             .arg(o.signatureDetail);
        return;
    case ResponseSignature::Invalid:
        o.explanation +=
            OutcomeAdviceTr::tr(" The body's signature is INVALID (%1): do not trust its content.")
                .arg(o.signatureDetail);
        o.likelyFix = OutcomeAdviceTr::tr(
                          "Check the ASPSP's signing keys (JWKS) in the profile and ask the ASPSP "
                          "which key signs its responses.") +
                      (o.likelyFix.isEmpty() ? QString() : u' ' + o.likelyFix);
        return;
    }
}

} // namespace dcr
