#pragma once

#include "SubmissionPlan.h"
#include "transport/ClientAuthMethod.h"

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

// The HTTP request a TokenRequestSpec becomes, decided (and its assertion signed) once.
struct TokenHttpRequest {
    QUrl url;
    HeaderList headers;
    QByteArray body;             // application/x-www-form-urlencoded
    QJsonObject assertionClaims; // private_key_jwt: what was signed
};

Result<TokenHttpRequest> buildTokenRequest(const TokenRequestSpec& spec, const QDateTime& now);

// application/x-www-form-urlencoded (every byte outside the unreserved set percent-encoded).
QByteArray formEncode(const QList<QPair<QString, QString>>& fields);

} // namespace dcr
