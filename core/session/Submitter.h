#pragma once

#include "SubmissionPlan.h"
#include "registration/EchoedSubjectDn.h"

#include <QHash>
#include <QObject>

namespace dcr {

class HistoryStore;
class RegistrationClient;

struct SubmissionResult {
    qint64 historyId = 0; // 0 when not recorded
    QString historyError; // the request was sent but its answer could not be recorded
    SubmissionPlan plan;  // what was sent
    HttpExchange exchange;
    RegistrationOutcome outcome; // meaningful when exchange.completed()
    // The subject DN the bank echoed in the client's metadata, compared by meaning with the
    // transport certificate the request went with (empty when it echoed none, or without one).
    QList<EchoedSubjectDn> echoedSubjectDns;

    // How both front ends end a one-shot send (dcrctl submit, dcr-console --send): 0 only for an
    // answer classified as a success (registered, accepted, ...); an error or an unexpected
    // answer, a 2xx one included ("HTTP 201, text body"), is 1, as a redirect is; no answer, 3.
    int exitCode() const;
};

// Sends a planned request and keeps it: the history row is written (state "sending") from the
// plan's exact bytes before the request leaves, and completed with the classified answer or the
// transport failure.
class Submitter : public QObject {
    Q_OBJECT
public:
    // history may be null (dcrctl --no-history).
    Submitter(RegistrationClient* client, HistoryStore* history, QObject* parent = nullptr);

    // Returns the request id, or an error when the history could not record it (nothing is sent
    // then: a QA tester must never lose an attempt).
    Result<quint64> submit(const SubmissionPlan& plan);
    void cancel(quint64 id);
    bool isPending(quint64 id) const { return m_inFlight.contains(id); }

signals:
    void finished(quint64 id, const dcr::SubmissionResult& result);

private:
    struct InFlight {
        qint64 historyId;
        SubmissionPlan plan;
    };
    void onFinished(quint64 id, const HttpExchange& exchange);

    RegistrationClient* m_client;
    HistoryStore* m_history;
    QHash<quint64, InFlight> m_inFlight;
};

} // namespace dcr

Q_DECLARE_METATYPE(dcr::SubmissionResult)
