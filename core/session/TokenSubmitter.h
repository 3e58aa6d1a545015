#pragma once

#include "TokenRequest.h"

#include <QHash>
#include <QObject>

#include <functional>

namespace dcr {

class HistoryStore;
class RegistrationClient;

// Sends a client_credentials token request and keeps it, as Submitter keeps a registration: the
// history row is written from the request's exact bytes before it leaves, and completed with the
// token endpoint's answer or the transport failure.
class TokenSubmitter : public QObject {
    Q_OBJECT
public:
    TokenSubmitter(RegistrationClient* client, QObject* parent = nullptr);
    // The history rows go to (set once it is open; null: none, and recording is refused).
    void setHistory(HistoryStore* history) { m_history = history; }

    // record = false only when the user asked not to keep it. Refused (nothing sent) when the
    // history cannot record it; otherwise `done` runs once the answer came and was recorded.
    Status submit(const QString& profile, const TokenRequestSpec& spec,
                  const TokenHttpRequest& request, const TransportSettings& transport, bool record,
                  std::function<void(const TokenResult&)> done);

private:
    struct InFlight {
        qint64 historyId;
        std::function<void(const TokenResult&)> done;
    };
    void onFinished(quint64 id, const HttpExchange& exchange);

    RegistrationClient* m_client;
    HistoryStore* m_history = nullptr;
    QHash<quint64, InFlight> m_inFlight;
};

} // namespace dcr
