#pragma once

#include "RegistrationOutcome.h"

#include <QJsonObject>
#include <QString>

namespace dcr {

// An OAuth 2.0 token endpoint's answer (RFC 6749 §5.1 success, §5.2 error), classified. The access
// token is held in memory only; toJson() masks it unless asked to reveal it.
struct TokenResponse {
    bool ok = false;
    int httpStatus = 0;
    QByteArray accessToken;
    QString tokenType;
    qint64 expiresIn = -1; // seconds; -1 when the server did not say
    QString scope;
    QString error;            // RFC 6749 §5.2 error code
    QString errorDescription; // the server's own words
    QString explanation;      // what it means
    QString likelyFix;        // what to do
    QStringList problems;     // a 200 that breaks §5.1 (no access_token, no token_type, ...)

    QString summary() const;
    // The summary and, for a refusal, its likely fix as one text for a message bar: "Token refused
    // (…): what it means. Likely fix: what to do." (the parts are phrases meant for dcrctl's
    // "fix:" line, so they are joined here with their punctuation, never back to back).
    QString summaryWithFix() const;
    QJsonObject toJson(bool revealToken = false) const;
};

TokenResponse parseTokenResponse(int httpStatus, const HeaderList& headers, const QByteArray& body);

} // namespace dcr
