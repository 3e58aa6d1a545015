#include "ErrorCatalogue.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// The tables hold source texts (QT_TRANSLATE_NOOP) that are translated when advice is given.
constexpr const char* kContext = "dcr::ErrorCatalogue";

QString translated(const char* text) {
    return QCoreApplication::translate(kContext, text);
}

// managementFix, when set, replaces fix for read/update/delete.
struct ErrorCodeInfo {
    const char* code;
    const char* explanation;
    const char* fix;
    const char* managementFix = nullptr;
};

const ErrorCodeInfo errorCodes[] = {
    // RFC 7591 3.2.2
    {"invalid_redirect_uri",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "A redirect URI was refused."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Use only https redirect URIs listed in the SSA's software_redirect_uris.")},
    {"invalid_client_metadata",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "A metadata value is invalid or not supported by the ASPSP."),
     QT_TRANSLATE_NOOP(
         "dcr::ErrorCatalogue",
         "Compare the request with the ASPSP's discovery document and fix the named claim.")},
    {"invalid_software_statement",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The software statement is invalid (expired, malformed or badly signed)."),
     QT_TRANSLATE_NOOP(
         "dcr::ErrorCatalogue",
         "Get a fresh SSA from the directory for the right environment and send it unchanged.")},
    {"unapproved_software_statement",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "The ASPSP does not accept this software statement."),
     QT_TRANSLATE_NOOP(
         "dcr::ErrorCatalogue",
         "Check the SSA's issuer, environment and the TPP's registration with the ASPSP.")},
    // RFC 6749 5.2 (and RFC 6750 3.1 for invalid_request)
    {"invalid_request", QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "The request is malformed."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Send the signed JWT as the body with Content-Type application/jwt (or "
                       "application/jose)."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Check the client_id in the URL and send the registration access token as "
                       "\"Authorization: Bearer <token>\".")},
    {"invalid_client",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The client is unknown or its authentication failed."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Check the client_id and the registration access token."),
     QT_TRANSLATE_NOOP(
         "dcr::ErrorCatalogue",
         "Check the client still exists (read it) and use its current registration access "
         "token.")},
    {"invalid_grant",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The grant or token presented is invalid, expired or revoked."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "Get a new token and retry.")},
    {"unauthorized_client",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The client is not allowed to use this grant type or operation."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "Check the grant_types registered for the client.")},
    {"unsupported_grant_type",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "The ASPSP does not support a requested grant type."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Request only grant types listed in the discovery document's "
                       "grant_types_supported.")},
    {"invalid_scope",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "A requested scope is invalid, unknown or exceeds what the SSA allows."),
     QT_TRANSLATE_NOOP(
         "dcr::ErrorCatalogue",
         "Request only scopes the SSA's roles allow and the discovery document lists.")},
    {"access_denied", QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "The ASPSP denied the request."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Check the transport certificate and the TPP's permissions.")},
    // RFC 6750 3.1
    {"invalid_token",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The access token is invalid or expired, or the client was deleted (RFC "
                       "7592 answers 401 for a client that no longer exists)."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "Get a new token and retry."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Get a new token (the registration access token from the registration or "
                       "last update) and check the client still exists.")},
    {"insufficient_scope",
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "The access token does not carry the privileges this request needs."),
     QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                       "Get a token with the scope named in the WWW-Authenticate header.")},
};

} // namespace

const QList<ErrorClassInfo>& seedErrorClasses() {
    auto row = [](const char* errorClass, int status, const char* description, const char* fix) {
        return ErrorClassInfo{QString::fromLatin1(errorClass), status,
                              QString::fromUtf8(description), QString::fromUtf8(fix)};
    };
    static const QList<ErrorClassInfo> all = {
        row("RequestFormatInvalid", 400,
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "Request format is wrong."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "Send the signed JWT itself as the body with Content-Type: "
                              "application/jwt; check it has three base64url segments.")),
        row("WrongRequiredFields", 401,
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "Specified required fields were not provided."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "Add the missing required claims (iss, iat, exp, aud, grant_types, "
                              "software_statement, redirect_uris); run preflight.")),
        row("AccessDenied", 401,
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "The action you want to perform is not allowed."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "Check that the signing key is in the SSA's software JWKS, the SSA "
                              "is valid, and the transport certificate belongs to the TPP.")),
        row("NotFound", 404,
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "A resource could not be found."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "The SSA or software is unknown to the ASPSP: use an SSA from the "
                              "directory environment this ASPSP trusts.")),
        row("Invalid", 406, QT_TRANSLATE_NOOP("dcr::ErrorCatalogue", "Given data is invalid."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "A claim has a value the ASPSP does not accept; fix the preflight "
                              "findings and compare with the discovery document.")),
        row("ResourceUnknown", 404,
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "The addressed resource is unknown relative to the TPP."),
            QT_TRANSLATE_NOOP("dcr::ErrorCatalogue",
                              "Check the registration URL: the path is "
                              "/api/open-banking/v3.1/tpp/register on the profile's base URL.")),
    };
    return all;
}

const ErrorClassInfo* findSeedErrorClass(const QString& errorClass) {
    for (const auto& info : seedErrorClasses())
        if (info.errorClass == errorClass)
            return &info;
    return nullptr;
}

std::optional<ErrorAdvice> seedClassAdvice(const QString& errorClass) {
    const ErrorClassInfo* info = findSeedErrorClass(errorClass);
    if (!info)
        return std::nullopt;
    return ErrorAdvice{translated(info->description.toUtf8().constData()),
                       translated(info->likelyFix.toUtf8().constData())};
}

std::optional<ErrorAdvice> errorCodeAdvice(const QString& code, bool management) {
    for (const auto& info : errorCodes)
        if (code == QLatin1String(info.code))
            return ErrorAdvice{
                translated(info.explanation),
                translated(management && info.managementFix ? info.managementFix : info.fix)};
    return std::nullopt;
}

} // namespace dcr
