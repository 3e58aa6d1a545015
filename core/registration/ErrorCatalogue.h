#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dcr {

// One row of the seed's Related Errors table. description and likelyFix are the untranslated
// source texts (the description quotes the seed); errorClassAdvice gives them translated.
struct ErrorClassInfo {
    QString errorClass;
    int httpStatus;
    QString description; // the seed's description
    QString likelyFix;
};

// The seed's Related Errors table plus ResourceUnknown from its 404 example.
const QList<ErrorClassInfo>& seedErrorClasses();
const ErrorClassInfo* findSeedErrorClass(const QString& errorClass);

// What an error means and what to do about it, as shown to the user (translated).
struct ErrorAdvice {
    QString explanation;
    QString likelyFix;
};

// The seed's description and fix for one of its classes; nullopt for a class the seed does not
// name.
std::optional<ErrorAdvice> seedClassAdvice(const QString& errorClass);

// The error codes an ASPSP may put in {"error": ...} or in WWW-Authenticate: RFC 7591 3.2.2
// (registration), RFC 6749 5.2 (token endpoint, reused by RFC 7592) and RFC 6750 3.1 (bearer
// tokens). `management`: the request was a read, update or delete (RFC 7592), which sends a bearer
// token and (read, delete) no body, so some codes call for another fix. nullopt for a code none of
// them defines.
std::optional<ErrorAdvice> errorCodeAdvice(const QString& code, bool management);

} // namespace dcr
