#pragma once

#include <QDateTime>
#include <QHash>
#include <QString>
#include <QStringList>

#include <optional>

namespace dcr {

// The sandbox's token bookkeeping: client_credentials access tokens it issued (to which client,
// with which scope, until when) and the jti values it has seen, so a replayed assertion or
// request is refused. Neither grows without bound (#26): a token is forgotten once its lifetime
// has passed (it would be refused anyway), a jti once the JWT that carried it has expired (a
// replay of it is then refused for its exp), and at most MaxJtis unexpired jtis are held: past
// that, new JWTs are refused (never a replay let through) until older ones expire.
class SandboxTokens {
public:
    // About 100 bytes each: at most ~10 MB of jtis.
    static constexpr int MaxJtis = 100000;

    struct Grant {
        QString clientId;
        QStringList scopes;
        QDateTime expires;
    };
    enum class JtiCheck { Fresh, Replay, Full };

    QString issue(const QString& clientId, const QDateTime& now, int lifetimeSeconds = 600,
                  const QStringList& scopes = {});
    // The client a token was issued to, while it is valid.
    std::optional<QString> clientFor(const QByteArray& token, const QDateTime& now) const;
    // The whole grant (client and scope), while it is valid.
    std::optional<Grant> grantFor(const QByteArray& token, const QDateTime& now) const;
    void revokeAll(const QString& clientId);
    // Remembers a JWT's jti until its exp (seconds since the epoch). Replay: seen before and not
    // yet expired. Full: MaxJtis unexpired jtis are held already; the JWT must be refused.
    JtiCheck rememberJti(const QString& jti, qint64 expires, const QDateTime& now);

    // What is held now (tests, and the bound above).
    int heldTokens() const { return static_cast<int>(m_tokens.size()); }
    int heldJtis() const { return static_cast<int>(m_jtis.size()); }

private:
    void forgetExpired(const QDateTime& now);

    QHash<QByteArray, Grant> m_tokens;
    QHash<QString, qint64> m_jtis; // jti -> the exp of its JWT
};

} // namespace dcr
