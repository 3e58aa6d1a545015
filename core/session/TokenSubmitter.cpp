#include "TokenSubmitter.h"

#include "history/HistoryStore.h"
#include "transport/RegistrationClient.h"

namespace dcr {

TokenSubmitter::TokenSubmitter(RegistrationClient* client, QObject* parent)
    : QObject(parent)
    , m_client(client) {
    connect(m_client, &RegistrationClient::finished, this, &TokenSubmitter::onFinished);
}

Status TokenSubmitter::submit(const QString& profile, const TokenRequestSpec& spec,
                              const TokenHttpRequest& request, const TransportSettings& transport,
                              bool record, std::function<void(const TokenResult&)> done) {
    qint64 historyId = 0;
    if (record) {
        if (!m_history)
            return Error{ErrorKind::StorageUnavailable,
                         tr("not sent, because there is no history to record it in")};
        auto id = m_history->begin(tokenHistoryStart(profile, spec, request, transport.insecure));
        if (!id)
            return Error{id.error().kind,
                         tr("not sent, because the history could not record it: %1")
                             .arg(id.error().message)};
        historyId = *id;
    }
    m_client->setTransport(transport);
    const quint64 requestId = m_client->send("POST", request.url, request.headers, request.body);
    m_inFlight.insert(requestId, {historyId, std::move(done)});
    return {};
}

void TokenSubmitter::onFinished(quint64 id, const HttpExchange& exchange) {
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return; // a request this submitter did not send
    const InFlight flight = *it;
    m_inFlight.erase(it);
    TokenResult result;
    result.exchange = exchange;
    result.historyId = flight.historyId;
    if (exchange.completed())
        result.response =
            parseTokenResponse(exchange.status, exchange.responseHeaders, exchange.responseBody);
    if (m_history && flight.historyId != 0) {
        const RegistrationOutcome outcome = tokenHistoryOutcome(result.response);
        if (auto ok = m_history->complete(flight.historyId, exchange,
                                          exchange.completed() ? &outcome : nullptr);
            !ok)
            result.historyError = ok.error().message;
    }
    flight.done(result);
}

} // namespace dcr
