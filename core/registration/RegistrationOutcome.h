#pragma once

#include "jose/VerificationKey.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QPair>
#include <QString>

namespace dcr {

using HeaderList = QList<QPair<QByteArray, QByteArray>>;

enum class OutcomeKind {
    Accepted,   // the seed's 200 {"message": ...}: processed, the answer follows by e-mail
    Registered, // a client was created (201/200 with client_id)
    Error,      // the ASPSP refused the request
    Unexpected, // a status or body the contract does not describe
};

QString outcomeKindName(OutcomeKind kind);

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
    OtherJson
};

QString bodyFormatName(BodyFormat format);

struct TppMessage {
    QString category;
    QString code; // the seed allows a number or a string
    QString text;
};

// A metadata value the ASPSP granted differently from what was requested.
struct ClaimChange {
    QString claim;
    QJsonValue requested;
    QJsonValue granted; // undefined when the ASPSP dropped it
};

struct RegistrationOutcome {
    OutcomeKind kind = OutcomeKind::Unexpected;
    BodyFormat format = BodyFormat::Empty;
    int httpStatus = 0;
    QString errorClass; // the seed's Related Errors class, or an RFC 7591 error code
    QString code;
    QString text;        // the ASPSP's own words
    QString explanation; // one line: what it means
    QString likelyFix;   // one line: what to do
    QString message;     // the seed's 200 "message"
    QList<TppMessage> tppMessages;
    QJsonObject client; // for Registered
    QList<ClaimChange> changes;

    QString clientId() const { return client.value(QStringLiteral("client_id")).toString(); }
    QString summary() const;
    QJsonObject toJson() const;
};

// What a request asked the ASPSP to do: the same status means different things per operation
// (a 200 to a GET is the client's configuration, a 204 to a DELETE is success).
enum class RegistrationOperation { Register, Read, Update, Delete };
QString operationName(RegistrationOperation operation);

// What is known about the request when its answer is classified.
struct ClassificationContext {
    RegistrationOperation operation = RegistrationOperation::Register;
    QJsonObject requestedClaims;                // to report which values the bank changed
    std::optional<VerificationKey> responseKey; // the ASPSP's keys, for signed (JWT) bodies
};

RegistrationOutcome classifyResponse(const ClassificationContext& context, int httpStatus,
                                     const HeaderList& headers, const QByteArray& body);

// Classifies an ASPSP's answer to a registration request. requestedClaims lets it report which
// values the bank changed for a registered client.
RegistrationOutcome classifyResponse(int httpStatus, const HeaderList& headers,
                                     const QByteArray& body,
                                     const QJsonObject& requestedClaims = {});

struct ErrorClassInfo {
    QString errorClass;
    int httpStatus;
    QString description; // the seed's description
    QString likelyFix;
};

// The seed's Related Errors table plus ResourceUnknown from its 404 example.
const QList<ErrorClassInfo>& seedErrorClasses();
const ErrorClassInfo* findSeedErrorClass(const QString& errorClass);

} // namespace dcr
