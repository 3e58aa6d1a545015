#include "Submitter.h"

#include "common/ExitCode.h"
#include "history/HistoryStore.h"
#include "transport/RegistrationClient.h"

namespace dcr {

int SubmissionResult::exitCode() const {
    if (!exchange.completed())
        return ExitNetwork;
    return outcomeIsSuccess(outcome.kind) ? ExitOk : ExitNegative;
}

Submitter::Submitter(RegistrationClient* client, HistoryStore* history, QObject* parent)
    : QObject(parent)
    , m_client(client)
    , m_history(history) {
    connect(m_client, &RegistrationClient::finished, this, &Submitter::onFinished);
}

void Submitter::cancel(quint64 id) {
    m_client->cancel(id);
}

Result<quint64> Submitter::submit(const SubmissionPlan& plan) {
    qint64 historyId = 0;
    if (m_history) {
        auto id = m_history->begin(plan.historyStart());
        if (!id)
            return Error{id.error().kind,
                         tr("not sent, because the history could not record it: %1")
                             .arg(id.error().message)};
        historyId = *id;
    }
    // The client takes the TLS configuration when the request is created, so setting it per
    // request is safe with other requests in flight.
    m_client->setTransport(plan.transport);
    const quint64 requestId =
        plan.refusal
            ? m_client->refuse(plan.method, plan.url, plan.headers, plan.body, *plan.refusal)
            : m_client->send(plan.method, plan.url, plan.headers, plan.body);
    m_inFlight.insert(requestId, {historyId, plan});
    return requestId;
}

void Submitter::onFinished(quint64 id, const HttpExchange& exchange) {
    auto it = m_inFlight.find(id);
    if (it == m_inFlight.end())
        return; // a request this submitter did not send
    const InFlight flight = *it;
    m_inFlight.erase(it);
    SubmissionResult result;
    result.historyId = flight.historyId;
    result.plan = flight.plan;
    result.exchange = exchange;
    if (exchange.completed()) {
        result.outcome =
            classifyResponse({flight.plan.operation, flight.plan.claims, flight.plan.responseKey},
                             exchange.status, exchange.responseHeaders, exchange.responseBody);
        result.echoedSubjectDns =
            compareEchoedSubjectDns(result.outcome.client, flight.plan.transport.clientCertificate);
    }
    if (m_history && flight.historyId != 0) {
        if (auto ok = m_history->complete(flight.historyId, exchange,
                                          exchange.completed() ? &result.outcome : nullptr);
            !ok)
            result.historyError = ok.error().message;
    }
    emit finished(id, result);
}

} // namespace dcr
