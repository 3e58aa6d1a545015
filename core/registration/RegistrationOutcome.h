#pragma once

#include "ErrorCatalogue.h"
#include "SecretMasking.h"
#include "WwwAuthenticate.h"
#include "jose/VerificationKey.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

#include <optional>

namespace dcr {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

enum class OutcomeKind {
    Accepted,   // the seed's 200 {"message": ...}: processed, the answer follows by e-mail
    Registered, // a client was created (201/200 with client_id)
    Retrieved,  // RFC 7592 2.1: 200 with the client's current configuration
    Updated,    // RFC 7592 2.2: 200 with the client's configuration after the update
    Deleted,    // RFC 7592 2.3: 204, the client is deprovisioned
    Error,      // the ASPSP refused the request
    Unexpected, // a status or body the contract does not describe
};

QString outcomeKindName(OutcomeKind kind);
// True for the kinds that mean the operation did what was asked (front ends colour them and
// dcrctl exits 0).
bool outcomeIsSuccess(OutcomeKind kind);

// What a request asked the ASPSP to do: the same status means different things per operation
// (a 200 to a GET is the client's configuration, a 204 to a DELETE is success).
// Discovery: GET the ASPSP's OpenID configuration (a test plan's DCR-001 step), kept in the
// history like every other attempt.
enum class RegistrationOperation { Register, Read, Update, Delete, Discovery };
QString operationName(RegistrationOperation operation);

// The body shapes an ASPSP answer can take.
enum class BodyFormat {
    SeedMessage,
    ClientJson,
    SeedTppMessages,
    Rfc7591Error,
    ObieError,
    Html,
    Text,
    Empty,
    OtherJson,
    SignedClientJwt, // application/jwt or jose (or a bare compact JWS) whose payload is a client
    SignedOther,     // a compact JWS whose payload is not a client (an error, a message, ...)
    SeedErrorMessage // the seed's {"error_message": ...} without tppMessages
};

QString bodyFormatName(BodyFormat format);

struct TppMessage {
    QString category;
    QString code; // the seed allows a number or a string
    QString text;
};

// What is known of a signed (JWS) response body's signature.
enum class ResponseSignature {
    NotSigned,  // the body is not a JWS
    NotChecked, // signed, but no ASPSP key was configured to check it with
    Verified,   // the signature verified with the ASPSP's key
    Invalid,    // the signature did not verify: the body must not be trusted
};
QString responseSignatureName(ResponseSignature check);

// A metadata value the ASPSP granted differently from what was requested.
struct ClaimChange {
    QString claim;
    QJsonValue requested;
    QJsonValue granted; // undefined when the ASPSP dropped it
};

struct RegistrationOutcome {
    OutcomeKind kind = OutcomeKind::Unexpected;
    RegistrationOperation operation = RegistrationOperation::Register;
    BodyFormat format = BodyFormat::Empty;
    int httpStatus = 0;
    QString errorClass; // the seed's Related Errors class, or an RFC 7591 error code
    QString code;
    QString text;         // the ASPSP's own words
    QString explanation;  // one line: what it means
    QString likelyFix;    // one line: what to do
    QString message;      // the seed's 200 "message"
    QString errorMessage; // the seed's "error_message" ("Details are stored in error_message")
    QList<TppMessage> tppMessages;
    std::optional<AuthChallenge> challenge; // from WWW-Authenticate
    QJsonObject client; // for Registered, Retrieved and Updated (decoded when signed)
    QList<ClaimChange> changes;
    ResponseSignature signature = ResponseSignature::NotSigned;
    QString signatureDetail; // what verified, or why not
    // The bank refused a registration because it already holds a client for this software:
    // HTTP 409, or a 4xx whose words say "already registered" / "already exists"
    // (fillIfAlreadyRegistered). The session links it to an earlier attempt whose answer was lost.
    bool alreadyRegistered = false;

    QString clientId() const { return client.value(QStringLiteral("client_id")).toString(); }
    QString summary() const;
    QJsonObject toJson() const;
};

// What is known about the request when its answer is classified.
struct ClassificationContext {
    RegistrationOperation operation = RegistrationOperation::Register;
    QJsonObject requestedClaims;                // to report which values the bank changed
    std::optional<VerificationKey> responseKey; // the ASPSP's keys, for signed (JWT) bodies
};

RegistrationOutcome classifyResponse(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body);

// Classifies an ASPSP's answer to a registration (Register) request. requestedClaims lets it
// report which values the bank changed for a registered client.
RegistrationOutcome classifyResponse(int httpStatus, const HeaderList& headers,
                                     const QByteArray& body,
                                     const QJsonObject& requestedClaims = {});

} // namespace dcr
