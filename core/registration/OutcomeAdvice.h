#pragma once

// The explanation and likely fix of an outcome, from what the answer says beyond its body shape:
// its HTTP status, its WWW-Authenticate challenge, a seed error class, its signature. Used by the
// classifier (RegistrationOutcome.cpp, JsonAnswer.cpp); the texts are translated.

#include "ErrorCatalogue.h"
#include "RegistrationOutcome.h"
#include "common/Error.h"

namespace dcr {

// A 2xx: the status says the request did what was asked (the body may still not).
bool isSuccess(const RegistrationOutcome& o);
// Read, update and delete (RFC 7592) send a bearer token, so some errors call for another fix.
bool isManagement(RegistrationOperation op);
void fillFromAdvice(RegistrationOutcome& o, const ErrorAdvice& advice);
// Sets errorClass, and explanation and fix when the seed names the class (noting a status the
// seed pairs differently with it).
void fillFromSeedClass(RegistrationOutcome& o, const QString& errorClass);
// From o.challenge (RFC 6750 3): false when there is none or it says nothing for this status.
bool fillFromChallenge(RegistrationOutcome& o);
// By HTTP status and operation (and the challenge for 400, 401 and 403).
void fillFromStatus(RegistrationOutcome& o);
// What to do about a request that got no answer, by its failure kind (ErrorKind::Network…): a
// sentence for "Likely fix:", or an empty string when there is nothing to fix (a cancel by the
// user, which the failure's own message already explains).
QString transportFailureFix(ErrorKind kind);

// A registration refused because the bank already holds a client for the software: HTTP 409
// (Conflict), or a 400, 403 or 409 JSON (or signed) error whose error text, error_message or
// tppMessages say the client or the software is "already registered" / "already exists". Not an
// HTML or text page (a gateway's), not an error code naming another cause (invalid_redirect_uri,
// invalid_software_statement, a signature error), not a body whose signature is invalid. Sets
// alreadyRegistered and adds what it means to the explanation and fix already given.
void fillIfAlreadyRegistered(RegistrationOutcome& o);

// Adds what is known of the body's signature to the explanation (and the fix, when invalid).
void appendSignatureNote(RegistrationOutcome& o);

} // namespace dcr
