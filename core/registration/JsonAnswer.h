#pragma once

// The kinds of answer a JSON (or decoded signed) body can be, one function each. Each reads
// o.httpStatus and o.operation, and returns false, leaving o as it was, when the body is not of
// its kind; classifyJsonAnswer tries them in the order below (a body with tppMessages is the
// seed's error whatever else it holds).

#include "RegistrationOutcome.h"

namespace dcr {

// The seed's error: {"tppMessages": [{"category", "code", "text"}], "error_message"?}.
bool classifyTppMessages(RegistrationOutcome& o, const QJsonObject& json);
// RFC 7591 3.2.2 / RFC 6749 5.2: {"error": "...", "error_description"?}.
bool classifyOAuthError(RegistrationOutcome& o, const QJsonObject& json);
// OBIE's error object: {"Code", "Message", "Errors": [{"ErrorCode", "Message", "Path"?}]}.
bool classifyObieError(RegistrationOutcome& o, const QJsonObject& json);
// A 2xx with a client_id: registered, retrieved or updated, with the values the ASPSP changed.
bool classifyClient(RegistrationOutcome& o, const QJsonObject& json,
                    const ClassificationContext& context);
// The seed's 2xx {"message": ...}: accepted for processing (register, update) or deleted.
bool classifySeedMessage(RegistrationOutcome& o, const QJsonObject& json);
// A non-2xx with only the seed's {"error_message": ...} (o.errorMessage already read).
bool classifySeedErrorMessage(RegistrationOutcome& o);
// Any other JSON object: its masked opening is quoted; always applies.
void classifyOtherJson(RegistrationOutcome& o, const QJsonObject& json);

// Reads error_message, then the first kind above that fits.
void classifyJsonAnswer(RegistrationOutcome& o, const QJsonObject& json,
                        const ClassificationContext& context);

} // namespace dcr
