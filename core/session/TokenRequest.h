#pragma once

#include "SubmissionPlan.h"
#include "registration/TokenResponse.h"
#include "transport/ClientAuthMethod.h"
#include "transport/HttpExchange.h"

#include <QDateTime>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace dcr {

// A client_credentials grant to ask for: the OBIE way to authorise GET/PUT/DELETE
// /register/{ClientId} (the swagger's TPPOAuth2Security, flow "application").
struct TokenRequestSpec {
    QUrl tokenEndpoint;
    QString clientId;
    ClientAuthMethod method = ClientAuthMethod::PrivateKeyJwt;
    QStringList scopes;
    QByteArray clientSecret;             // client_secret_basic / _post; memory only
    std::optional<SigningSetup> signing; // private_key_jwt
    int assertionLifetimeSeconds = 60;   // short: the assertion is single-use
};

// What a front end may say about the bearer token of a client's read, update or delete
// (Session::lifecycleBearer); everything else comes from the profile.
struct LifecycleBearerOptions {
    // A client_credentials token even for a profile in rfc7592 mode (dcrctl client --token-auth).
    bool clientCredentials = false;
    std::optional<ClientAuthMethod> method; // at the token endpoint; default: the profile's
    QByteArray clientSecret;                // client_secret_basic / _post; memory only
    // The scope asked for instead of the profile's (and the CDR's cdr:registration): a test
    // plan's token that may not manage the client.
    std::optional<QStringList> scopes;
};

// The bearer token a client's read, update or delete is authorised with, as decided: the
// registration_access_token the ASPSP returned (RFC 7592), ready to send, or the client_credentials
// token to fetch first (OBIE DCR 3.3), whose answer Session::lifecycleAccessToken reads.
struct LifecycleBearer {
    QByteArray registrationAccessToken;           // set when no token is to be fetched
    std::optional<TokenRequestSpec> tokenRequest; // set when one is
};

// The HTTP request a TokenRequestSpec becomes, decided (and its assertion signed) once.
struct TokenHttpRequest {
    QUrl url;
    HeaderList headers;
    QByteArray body;             // application/x-www-form-urlencoded
    QJsonObject assertionClaims; // private_key_jwt: what was signed
};

// A token endpoint's answer: what was exchanged (the request holds a client assertion or secret,
// so show it masked) and the classified response. The token lives in memory only; the history row
// holds the exchange as it went over the wire (masked in every view and export).
struct TokenResult {
    HttpExchange exchange;
    TokenResponse response;
    qint64 historyId = 0; // 0 when not recorded
    QString historyError; // the request was sent but its answer could not be recorded
    // A refusal the history explains (tokenRefusalReason): "this client is deleted at the bank
    // (…)"; empty otherwise.
    QString refusalReason;

    // What the front ends say about a refusal: the token endpoint's words and fix, then the
    // history's reason when it has one.
    QString refusalText() const;
};
Result<TokenHttpRequest> buildTokenRequest(const TokenRequestSpec& spec, const QDateTime& now);

// The history's first row for a token request, from the exact bytes that leave: the form body
// (its client_secret or client_assertion masked in every view and export, SecretScanner) and, for
// private_key_jwt, the claims the assertion signed. The Authorization header of
// client_secret_basic is not kept, like every request's headers.
SubmissionStart tokenHistoryStart(const QString& profile, const TokenRequestSpec& spec,
                                  const TokenHttpRequest& request, bool tlsVerificationOff);
// A token endpoint's answer in the history's outcome columns: accepted (a token was issued),
// error (an RFC 6749 §5.2 refusal, its code and the server's words) or unexpected.
RegistrationOutcome tokenHistoryOutcome(const TokenResponse& response);

// application/x-www-form-urlencoded (every byte outside the unreserved set percent-encoded).
QByteArray formEncode(const QList<QPair<QString, QString>>& fields);

} // namespace dcr

Q_DECLARE_METATYPE(dcr::TokenResult)
