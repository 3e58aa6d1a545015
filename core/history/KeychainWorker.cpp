#include "KeychainWorker.h"

#include <QDeadlineTimer>
#include <QMutex>
#include <QWaitCondition>
#include <qt6keychain/keychain.h>

#include <memory>

namespace dcr {

namespace {

// Shared by the waiting caller and the job's finished handler, which may come after the caller
// gave up.
struct Pending {
    QMutex mutex;
    QWaitCondition done;
    KeychainOutcome outcome;
};

} // namespace

KeychainWorker::KeychainWorker()
    : m_context(new QObject) {
    m_thread.setObjectName(QStringLiteral("keychain"));
    m_context->moveToThread(&m_thread);
    m_thread.start();
}

KeychainWorker::~KeychainWorker() {
    m_thread.quit();
    m_thread.wait();
    delete m_context;
}

KeychainOutcome KeychainWorker::run(const std::function<QKeychain::Job*()>& makeJob,
                                    int timeoutMs) const {
    auto pending = std::make_shared<Pending>();
    const QDeadlineTimer deadline(timeoutMs);
    QMetaObject::invokeMethod(
        m_context,
        [pending, makeJob] {
            QKeychain::Job* job = makeJob();
            QObject::connect(job, &QKeychain::Job::finished, [pending](QKeychain::Job* j) {
                QMutexLocker lock(&pending->mutex);
                pending->outcome.finished = true;
                pending->outcome.error = j->error();
                pending->outcome.message = j->errorString();
                if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(j))
                    pending->outcome.data = read->textData().toUtf8();
                pending->done.wakeAll();
            });
            job->setAutoDelete(true);
            job->start();
        },
        Qt::QueuedConnection);
    QMutexLocker lock(&pending->mutex);
    while (!pending->outcome.finished)
        if (!pending->done.wait(&pending->mutex, deadline))
            break;
    KeychainOutcome outcome = pending->outcome;
    if (!outcome.finished)
        outcome.message = tr("the keychain did not answer within %1 ms").arg(timeoutMs);
    return outcome;
}

} // namespace dcr
