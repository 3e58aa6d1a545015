#pragma once

#include <QCoreApplication>
#include <QThread>

#include <functional>

namespace QKeychain {
class Job;
}

namespace dcr {

// What a finished keychain job said (copied out in its finished signal: the job deletes itself).
struct KeychainOutcome {
    bool finished = false;
    int error = 0; // QKeychain::Error
    QString message;
    QByteArray data; // a read's text, UTF-8
};

// Runs QtKeychain jobs on a thread of its own. A job answers through its event loop (D-Bus); run
// on the caller's thread it needed a nested event loop there, which let timers and queued calls
// (a retry timer sharing the outbox, say) run in the middle of a history write. Here the caller
// only waits, at most the timeout, and nothing else of its thread runs meanwhile. A job that
// times out is left to finish (and delete itself) on the worker; nothing of it is read after.
class KeychainWorker {
    Q_DECLARE_TR_FUNCTIONS(KeychainWorker)
public:
    KeychainWorker();
    ~KeychainWorker();
    KeychainWorker(const KeychainWorker&) = delete;
    KeychainWorker& operator=(const KeychainWorker&) = delete;

    // makeJob runs on the worker thread and returns a job not yet started.
    KeychainOutcome run(const std::function<QKeychain::Job*()>& makeJob, int timeoutMs) const;

private:
    QThread m_thread;
    QObject* m_context; // lives on m_thread: the jobs are started from it
};

} // namespace dcr
