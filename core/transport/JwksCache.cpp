#include "JwksCache.h"

#include <QTimer>

namespace dcr {

JwksCache::JwksCache(RegistrationClient* client, int ttlSeconds, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_ttl(ttlSeconds) {
    connect(
        m_client, &RegistrationClient::finished, this, [this](quint64 id, const HttpExchange& e) {
            auto it = m_pending.find(id);
            if (it == m_pending.end())
                return;
            const auto [url, callback] = *it;
            m_pending.erase(it);
            if (!e.completed()) {
                callback(Error{
                    e.failure->kind,
                    tr("fetching the JWKS %1 failed: %2").arg(url.toString(), e.failure->message)});
                return;
            }
            if (e.status != 200) {
                callback(Error{
                    ErrorKind::JwksInvalid,
                    tr("fetching the JWKS %1 gave HTTP %2").arg(url.toString()).arg(e.status)});
                return;
            }
            auto jwks = JwkSet::parse(e.responseBody);
            if (!jwks) {
                callback(Error{jwks.error().kind,
                               QStringLiteral("%1: %2").arg(url.toString(), jwks.error().message)});
                return;
            }
            m_entries.insert(url, {*jwks, QDateTime::currentDateTimeUtc()});
            callback(*jwks);
        });
}

void JwksCache::fetch(const QUrl& url, Callback callback) {
    auto it = m_entries.constFind(url);
    if (it != m_entries.constEnd() && it->fetched.secsTo(QDateTime::currentDateTimeUtc()) < m_ttl) {
        const JwkSet cached = it->jwks;
        QTimer::singleShot(0, this, [callback, cached] { callback(cached); });
        return;
    }
    ++m_fetches;
    m_pending.insert(m_client->send("GET", url, {{"Accept", "application/json"}}),
                     {url, std::move(callback)});
}

} // namespace dcr
