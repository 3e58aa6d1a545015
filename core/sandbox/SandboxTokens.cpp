#include "SandboxTokens.h"

#include <QRandomGenerator>

namespace dcr {

QString SandboxTokens::issue(const QString& clientId, const QDateTime& now, int lifetimeSeconds,
                             const QStringList& scopes) {
    QByteArray bytes(32, '\0');
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    const QByteArray token =
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
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

bool SandboxTokens::rememberJti(const QString& jti) {
    if (m_jtis.contains(jti))
        return false;
    m_jtis.insert(jti, true);
    return true;
}

} // namespace dcr
