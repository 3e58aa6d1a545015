#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace dcr {

// The sandbox's token bookkeeping: client_credentials access tokens it issued (to which client,
// with which scope, until when) and the jti values it has seen, so a replayed assertion or
// request is refused.
class SandboxTokens {
public:
    struct Grant {
        QString clientId;
        QStringList scopes;
        QDateTime expires;
    };
    QString issue(const QString& clientId, const QDateTime& now, int lifetimeSeconds = 600,
                  const QStringList& scopes = {});
    // The client a token was issued to, while it is valid.
    std::optional<QString> clientFor(const QByteArray& token, const QDateTime& now) const;
    // The whole grant (client and scope), while it is valid.
    std::optional<Grant> grantFor(const QByteArray& token, const QDateTime& now) const;
    void revokeAll(const QString& clientId);
    // false when the jti was seen before (a replay).
    bool rememberJti(const QString& jti);

private:
    QHash<QByteArray, Grant> m_tokens;
    QHash<QString, bool> m_jtis;
};

} // namespace dcr
