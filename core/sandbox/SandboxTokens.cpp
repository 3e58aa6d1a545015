#include "SandboxTokens.h"

#include <QRandomGenerator>

namespace dcr {

QString SandboxTokens::issue(const QString& clientId, const QDateTime& now, int lifetimeSeconds,
                             const QStringList& scopes) {
    QByteArray bytes(32, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    const QByteArray token =
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    forgetExpired(now);
    m_tokens.insert(token, {clientId, scopes, now.addSecs(lifetimeSeconds)});
    return QString::fromLatin1(token);
}

std::optional<QString> SandboxTokens::clientFor(const QByteArray& token,
                                                const QDateTime& now) const {
    const auto grant = grantFor(token, now);
    return grant ? std::optional<QString>(grant->clientId) : std::nullopt;
}

std::optional<SandboxTokens::Grant> SandboxTokens::grantFor(const QByteArray& token,
                                                            const QDateTime& now) const {
    auto it = m_tokens.constFind(token);
    if (it == m_tokens.constEnd() || it->expires <= now)
        return std::nullopt;
    return *it;
}

void SandboxTokens::revokeAll(const QString& clientId) {
    m_tokens.removeIf([&clientId](auto it) { return it.value().clientId == clientId; });
}

// RFC 7523 section 3, item 7: "The authorization server MAY ensure that JWTs are not replayed by
// maintaining the set of used "jti" values for the length of time for which the JWT would be
// considered valid based on the applicable "exp" instant." Past it, the JWT is refused for its
// exp, so its jti need not be held.
SandboxTokens::JtiCheck SandboxTokens::rememberJti(const QString& jti, qint64 expires,
                                                   const QDateTime& now) {
    forgetExpired(now);
    if (m_jtis.contains(jti))
        return JtiCheck::Replay;
    if (m_jtis.size() >= MaxJtis)
        return JtiCheck::Full;
    m_jtis.insert(jti, expires);
    return JtiCheck::Fresh;
}

void SandboxTokens::forgetExpired(const QDateTime& now) {
    const qint64 seconds = now.toSecsSinceEpoch();
    m_jtis.removeIf([seconds](auto it) { return it.value() <= seconds; });
    m_tokens.removeIf([&now](auto it) { return it.value().expires <= now; });
}

} // namespace dcr
