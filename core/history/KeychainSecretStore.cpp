#include "KeychainSecretStore.h"

#include <QCoreApplication>
#include <QEventLoop>
#include <QJsonDocument>
#include <QMutex>
#include <QTimer>
#include <qt6keychain/keychain.h>

#include <memory>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
QString tr(const char* text) {
    return QCoreApplication::translate("KeychainSecretStore", text);
}

// What a finished job said, copied out in its finished signal (the job deletes itself).
struct JobOutcome {
    bool finished = false;
    QKeychain::Error error = QKeychain::OtherError;
    QString message;
    QByteArray data;
};

// Runs a job to its end or until the timeout, in a local event loop. A job that times out is left
// to finish (and delete itself) later; nothing of it is read after that.
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
        outcome->message = tr("the keychain did not answer within %1 ms").arg(timeoutMs);
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

QString KeychainSecretStore::serviceName() {
    return QStringLiteral("dcr-console");
}

bool KeychainSecretStore::serviceRunning() {
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

KeychainSecretStore::KeychainSecretStore(QString database, FileSecretStore& fallback, int timeoutMs)
    : m_database(std::move(database))
    , m_fallback(fallback)
    , m_timeoutMs(timeoutMs) {}

QString KeychainSecretStore::description() const {
    return tr("desktop keychain (service %1)").arg(serviceName());
}

QString KeychainSecretStore::keyFor(const QString& uid) const {
    return m_database + u'/' + uid + QStringLiteral("/secrets");
}

Status KeychainSecretStore::keep(const QString& uid, const LocalSecrets& secrets) {
    auto* job = new QKeychain::WritePasswordJob(serviceName());
    job->setKey(keyFor(uid));
    job->setTextData(QString::fromUtf8(encode(secrets)));
    const JobOutcome o = run(job, m_timeoutMs);
    if (o.finished && o.error == QKeychain::NoError)
        return m_fallback.forget(uid); // no older copy left in the file
    qWarning("history: the desktop keychain refused the secrets of %s (%s); kept in the %s",
             qUtf8Printable(uid), qUtf8Printable(o.message),
             qUtf8Printable(m_fallback.description()));
    return m_fallback.keep(uid, secrets);
}

std::optional<LocalSecrets> KeychainSecretStore::find(const QString& uid) const {
    auto* job = new QKeychain::ReadPasswordJob(serviceName());
    job->setKey(keyFor(uid));
    const JobOutcome o = run(job, m_timeoutMs);
    if (o.finished && o.error == QKeychain::NoError)
        if (auto s = decode(o.data))
            return s;
    return m_fallback.find(uid); // kept there when the keychain failed
}

Status KeychainSecretStore::forget(const QString& uid) {
    auto* job = new QKeychain::DeletePasswordJob(serviceName());
    job->setKey(keyFor(uid));
    const JobOutcome o = run(job, m_timeoutMs);
    if (auto ok = m_fallback.forget(uid); !ok)
        return ok;
    if (o.finished && (o.error == QKeychain::NoError || o.error == QKeychain::EntryNotFound))
        return {};
    return Error{ErrorKind::StorageUnavailable,
                 tr("the desktop keychain did not delete the secrets of %1 (%2); "
                    "delete the entry \"%3\" of service %4 with your keychain tool")
                     .arg(uid, o.message, keyFor(uid), serviceName())};
}

} // namespace dcr
