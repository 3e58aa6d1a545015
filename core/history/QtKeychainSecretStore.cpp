#include "QtKeychainSecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMutex>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct QtKeychainSecretStoreTr {
    Q_DECLARE_TR_FUNCTIONS(KeychainSecretStore)
};

// What a finished job said, copied out in its finished signal (the job deletes itself).
struct JobOutcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::OtherError;
    QString message;
    QByteArray data;
};

// Runs a job to its end or until the timeout, in a local event loop. A job that times out is left
// to finish (and delete itself) later; nothing of it is read after that. Only the probe and a read
// of a row the file does not hold wait so; writing and forgetting never do.
JobOutcome run(QKeychain::Job* job, int timeoutMs) {
    auto outcome = std::make_shared<JobOutcome>();
    QEventLoop loop;
    QObject::connect(job, &QKeychain::Job::finished, &loop, [outcome, &loop](QKeychain::Job* j) {
        outcome->finished = true;
        outcome->error = j->error();
        outcome->message = j->errorString();
        if (auto* read = qobject_cast<QKeychain::ReadPasswordJob*>(j))
            outcome->data = read->textData().toUtf8();
        loop.quit();
    });
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    job->setAutoDelete(true);
    job->start();
    // No clicks or keys meanwhile: the window must not start another submission under a call.
    if (!outcome->finished)
        loop.exec(QEventLoop::ExcludeUserInputEvents);
    if (!outcome->finished)
        outcome->message =
            QtKeychainSecretStoreTr::tr("the keychain did not answer within %1 ms").arg(timeoutMs);
    return *outcome;
}

// JSON text, so that the keychain's own tools show the entry. A body that is not UTF-8 (never
// seen from a DCR endpoint) is kept as base64 instead of being mangled.
QByteArray encode(const LocalSecrets& s) {
    QJsonObject o;
    o.insert(QStringLiteral("request_jwt"), QString::fromLatin1(s.requestJwt));
    o.insert(QStringLiteral("request_claims"), s.requestClaims);
    const QString text = QString::fromUtf8(s.responseBody);
    if (text.toUtf8() == s.responseBody)
        o.insert(QStringLiteral("response_body"), text);
    else
        o.insert(QStringLiteral("response_body_base64"),
                 QString::fromLatin1(s.responseBody.toBase64()));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

std::optional<LocalSecrets> decode(const QByteArray& data) {
    const QJsonObject o = QJsonDocument::fromJson(data).object();
    if (o.isEmpty())
        return std::nullopt;
    const QByteArray body =
        o.contains(QStringLiteral("response_body_base64"))
            ? QByteArray::fromBase64(
                  o.value(QStringLiteral("response_body_base64")).toString().toLatin1())
            : o.value(QStringLiteral("response_body")).toString().toUtf8();
    return LocalSecrets{o.value(QStringLiteral("request_jwt")).toString().toLatin1(),
                        o.value(QStringLiteral("request_claims")).toObject(), body};
}

} // namespace

bool QtKeychainSecretStore::serviceRunning() {
    static QMutex mutex;
    static std::optional<bool> running;
    QMutexLocker lock(&mutex);
    if (!running) {
        auto* probe = new QKeychain::ReadPasswordJob(serviceName());
        probe->setKey(QStringLiteral("probe: is a keychain service running?"));
        const JobOutcome o = run(probe, DefaultTimeoutMs);
        running =
            o.finished && (o.error == QKeychain::NoError || o.error == QKeychain::EntryNotFound);
    }
    return *running;
}

QtKeychainSecretStore::QtKeychainSecretStore(QString database, KeychainFallback& fallback,
                                             int timeoutMs)
    : m_database(std::move(database))
    , m_fallback(fallback)
    , m_timeoutMs(timeoutMs)
    , m_jobs(std::make_unique<QObject>()) {}

QtKeychainSecretStore::~QtKeychainSecretStore() = default;

QString QtKeychainSecretStore::description() const {
    return QtKeychainSecretStoreTr::tr("desktop keychain (service %1)").arg(serviceName());
}

QString QtKeychainSecretStore::keyFor(const QString& uid) const {
    return m_database + u'/' + uid + QStringLiteral("/secrets");
}

Status QtKeychainSecretStore::keep(const QString& uid, const LocalSecrets& secrets) {
    // Safe on this machine before this returns; the keychain gets its copy afterwards.
    if (auto ok = m_fallback.keep(uid, secrets); !ok)
        return ok;
    startWrite(uid, secrets);
    return {};
}

void QtKeychainSecretStore::startWrite(const QString& uid, const LocalSecrets& secrets) {
    if (m_writing.contains(uid)) {
        m_next.insert(uid, secrets); // written when the one under way has its answer
        return;
    }
    m_writing.insert(uid);
    auto* job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(keyFor(uid));
    job->setTextData(QString::fromUtf8(encode(secrets)));
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, m_jobs.get(),
                     [this, uid, secrets](QKeychain::Job* j) {
                         written(uid, secrets, j->error() == QKeychain::NoError, j->errorString());
                     });
    job->start();
}

void QtKeychainSecretStore::written(const QString& uid, const LocalSecrets& secrets, bool ok,
                                    const QString& why) {
    m_writing.remove(uid);
    if (!ok) {
        qWarning("history: the desktop keychain refused the secrets of %s (%s); they stay in the "
                 "%s",
                 qUtf8Printable(uid), qUtf8Printable(why),
                 qUtf8Printable(m_fallback.description()));
    } else if (m_next.contains(uid)) {
        // A newer write of this row is queued (perhaps behind a delete): the file keeps the copy
        // until that write, the last one, is confirmed, so the secrets are never nowhere.
    } else if (auto gone = m_fallback.forgetIfUnchanged(uid, secrets); !gone) {
        qWarning("history: the secrets of %s are in the desktop keychain, but their copy in the "
                 "%s stays (%s)",
                 qUtf8Printable(uid), qUtf8Printable(m_fallback.description()),
                 qUtf8Printable(gone.error().message));
    }
    if (auto next = m_next.find(uid); next != m_next.end()) {
        const LocalSecrets newer = *next;
        m_next.erase(next);
        startWrite(uid, newer);
    }
    answered();
}

void QtKeychainSecretStore::startDelete(const KeychainFallback::PendingDeletion& deletion) {
    m_deleting.insert(deletion.uid, deletion.token);
    auto* job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(keyFor(deletion.uid));
    job->setAutoDelete(true);
    QObject::connect(job, &QKeychain::Job::finished, m_jobs.get(),
                     [this, deletion](QKeychain::Job* j) {
                         const bool gone = j->error() == QKeychain::NoError ||
                                           j->error() == QKeychain::EntryNotFound;
                         deleted(deletion, gone, j->errorString());
                     });
    job->start();
}

void QtKeychainSecretStore::deleted(const KeychainFallback::PendingDeletion& deletion, bool ok,
                                    const QString& why) {
    m_deleting.remove(deletion.uid, deletion.token);
    if (!ok) {
        qWarning("history: the desktop keychain did not delete the secrets of %s (%s); they are "
                 "not shown, and the next start deletes them again (or delete the entry \"%s\" "
                 "of service %s with your keychain tool)",
                 qUtf8Printable(deletion.uid), qUtf8Printable(why),
                 qUtf8Printable(keyFor(deletion.uid)), qUtf8Printable(serviceName()));
    } else if (auto done = m_fallback.deletionConfirmed(deletion); !done) {
        qWarning("history: the keychain deleted the secrets of %s, but the %s still lists the "
                 "deletion (%s); the next start deletes them again",
                 qUtf8Printable(deletion.uid), qUtf8Printable(m_fallback.description()),
                 qUtf8Printable(done.error().message));
    }
    answered();
}

void QtKeychainSecretStore::answered() {
    if (m_flushing && unanswered() == 0)
        m_flushing->quit();
}

int QtKeychainSecretStore::flush(int timeoutMs) {
    if (unanswered() == 0)
        return 0;
    QEventLoop loop;
    m_flushing = &loop;
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    m_flushing = nullptr;
    return unanswered();
}

void QtKeychainSecretStore::resumePending() {
    // Deletions first: QtKeychain runs a process's jobs in the order they were started.
    for (const auto& deletion : m_fallback.pendingDeletions())
        startDelete(deletion);
    for (const QString& uid : m_fallback.uids())
        if (auto secrets = m_fallback.find(uid))
            startWrite(uid, *secrets);
}

std::optional<LocalSecrets> QtKeychainSecretStore::find(const QString& uid) const {
    // Forgotten here, even if the keychain has not confirmed the delete yet.
    if (m_fallback.deletionPending(uid))
        return std::nullopt;
    // The file holds the newest copy while the keychain has not confirmed it (or refused it).
    if (auto waiting = m_fallback.find(uid))
        return waiting;
    auto* job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(keyFor(uid));
    const JobOutcome o = run(job, m_timeoutMs);
    if (o.finished && o.error == QKeychain::NoError)
        return decode(o.data);
    return std::nullopt;
}

Status QtKeychainSecretStore::forget(const QString& uid) {
    // A write still to start would bring them back; one under way is answered before this delete
    // runs (QtKeychain runs a process's jobs one at a time, in the order they were started).
    m_next.remove(uid);
    auto deletion = m_fallback.forgetPendingKeychain(uid);
    if (!deletion)
        return deletion.error();
    startDelete(*deletion);
    return {};
}

} // namespace dcr
