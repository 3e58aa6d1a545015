#pragma once

#include "RegistrationClient.h"
#include "jose/JwkSet.h"

#include <QDateTime>
#include <QHash>
#include <QObject>
#include <QUrl>

#include <functional>

namespace dcr {

// Fetches JWKS documents (SSA software_jwks_endpoint, directory keys) through a RegistrationClient
// and keeps them for a while, so verifying many tokens does not refetch the same keys.
class JwksCache : public QObject {
    Q_OBJECT
public:
    using Callback = std::function<void(const Result<JwkSet>&)>;
    JwksCache(RegistrationClient* client, int ttlSeconds = 300, QObject* parent = nullptr);

    // Calls back with the cached set when fresh, else fetches; the callback always runs later
    // from the event loop, never inside this call.
    void fetch(const QUrl& url, Callback callback);
    void clear() { m_entries.clear(); }
    int fetchCount() const { return m_fetches; }

private:
    struct Entry {
        JwkSet jwks;
        QDateTime fetched;
    };
    RegistrationClient* m_client;
    int m_ttl;
    QHash<QUrl, Entry> m_entries;
    QHash<quint64, std::pair<QUrl, Callback>> m_pending;
    int m_fetches = 0;
};

} // namespace dcr
