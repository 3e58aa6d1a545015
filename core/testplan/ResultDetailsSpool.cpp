#include "ResultDetailsSpool.h"

#include "common/PrivateFiles.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QSet>

#include <unistd.h>

namespace dcr {

namespace {

struct ResultDetailsSpoolTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::ResultDetailsSpool)
};

// A spool is .run-details-XXXXXX.jsonl (six letters or digits, as QTemporaryFile made them
// before the locks, so older versions' leftovers are swept too) and its lock the same + ".lock".
// Hidden: the folder's saved runs are *.json, which neither is.
constexpr int kSpoolTokenLength = 6;
constexpr int kSpoolNameAttempts = 16;

QString spoolLockPath(const QString& spoolPath) {
    return spoolPath + s(".lock");
}

QString spoolNameWithToken() {
    static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    QString token;
    for (int i = 0; i < kSpoolTokenLength; ++i)
        token += QLatin1Char(alphabet[QRandomGenerator::global()->bounded(62)]);
    return s(".run-details-%1.jsonl").arg(token);
}

// Captures the spool's name in either its own name or its lock's.
const QRegularExpression& spoolNamePattern() {
    static const QRegularExpression pattern(
        s("^(\\.run-details-[A-Za-z0-9]{%1}\\.jsonl)(\\.lock)?$").arg(kSpoolTokenLength));
    return pattern;
}

// A lock that only its holder's death releases. QLockFile's default also calls a lock older than
// 30 s stale; on a local disk its flock() on the file still keeps a live holder's, but where
// that lock does not reach (some network file systems) a long run's spool would go to the next
// sweep while the run still writes it.
std::unique_ptr<QLockFile> spoolLock(const QString& spoolPath) {
    auto lock = std::make_unique<QLockFile>(spoolLockPath(spoolPath));
    lock->setStaleLockTime(0);
    return lock;
}

// Missing, or a plain file (never a symlink, whatever it points to) of this user's.
bool missingOrOurPlainFile(const QString& path) {
    const QFileInfo info(path);
    if (info.isSymLink())
        return false;
    if (!info.exists())
        return true;
    return info.isFile() && info.ownerId() == ::getuid();
}

// One spool of dir, by name: removed with its lock when no live process holds the lock.
void sweepSpool(const QString& spoolPath, QStringList& problems) {
    if (!missingOrOurPlainFile(spoolPath) || !missingOrOurPlainFile(spoolLockPath(spoolPath)))
        return;
    auto owner = spoolLock(spoolPath);
    // Taken only when nobody holds it or its holder is gone (QLockFile reads the pid, the
    // program and the boot it was written in): a live run's spool is never touched.
    if (!owner->tryLock(0))
        return;
    // Checked again under the lock: what we remove is what we looked at.
    if (QFileInfo::exists(spoolPath) && missingOrOurPlainFile(spoolPath) &&
        !QFile::remove(spoolPath))
        problems << ResultDetailsSpoolTr::tr(
                        "cannot remove %1, the details an ended test run left behind; remove "
                        "it by hand")
                        .arg(spoolPath);
    owner->unlock(); // removes the lock file
}

} // namespace

Result<std::shared_ptr<ResultDetailsSpool>> ResultDetailsSpool::create(const QString& dir) {
    if (auto made = makePrivateFolder(dir); !made)
        return made.error();
    std::shared_ptr<ResultDetailsSpool> spool(new ResultDetailsSpool);
    QString problem = ResultDetailsSpoolTr::tr("every name tried was taken");
    for (int attempt = 0; attempt < kSpoolNameAttempts; ++attempt) {
        const QString path = QDir(dir).filePath(spoolNameWithToken());
        // The lock first: from the moment the spool exists a sweep finds it held.
        auto lock = spoolLock(path);
        if (!lock->tryLock(0)) {
            if (lock->error() == QLockFile::LockFailedError)
                continue; // that name's lock is someone else's
            problem = ResultDetailsSpoolTr::tr("cannot lock %1").arg(spoolLockPath(path));
            break;
        }
        // Holds a pid and a host name, nothing secret, yet ours only like every file we write.
        (void)QFile::setPermissions(spoolLockPath(path),
                                    QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        spool->m_file.setFileName(path);
        // NewOnly: never an existing file, nor through a symlink planted under the name.
        if (spool->m_file.open(QIODevice::ReadWrite | QIODevice::NewOnly,
                               QFileDevice::ReadOwner | QFileDevice::WriteOwner)) {
            spool->m_lock = std::move(lock);
            return spool;
        }
        problem = spool->m_file.errorString();
        const QFileInfo taken(path);
        if (!taken.exists() && !taken.isSymLink())
            break; // not a name clash: the folder refuses new files
    }
    return Error{
        ErrorKind::InputUnreadable,
        ResultDetailsSpoolTr::tr("cannot keep the run's details in %1: %2").arg(dir, problem)};
}

QStringList ResultDetailsSpool::sweepStale(const QString& dir) {
    const QDir folder(dir);
    QSet<QString> spools;
    const QStringList names =
        folder.entryList({s(".run-details-*")}, QDir::Files | QDir::Hidden | QDir::NoSymLinks);
    for (const QString& name : names)
        if (const auto match = spoolNamePattern().match(name); match.hasMatch())
            spools.insert(match.captured(1));
    QStringList problems;
    for (const QString& name : std::as_const(spools))
        sweepSpool(folder.filePath(name), problems);
    return problems;
}

ResultDetailsSpool::~ResultDetailsSpool() {
    if (!m_lock)
        return;
    // The spool goes first and its lock after (m_lock's destructor): a spool is never seen
    // without its lock while its run lives.
    m_file.close();
    QFile::remove(m_file.fileName());
}

Result<int> ResultDetailsSpool::append(const ScenarioResult& result) {
    const QByteArray line = ShownScenario::of(result).toLine() + '\n';
    const qint64 at = m_file.size();
    if (!m_file.seek(at) || m_file.write(line) != line.size() || !m_file.flush()) {
        // A half-written line is never referred to; the next append starts after it.
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("cannot write the run's details to %1: %2")
                         .arg(m_file.fileName(), m_file.errorString())};
    }
    m_offsets << at;
    return static_cast<int>(m_offsets.size() - 1);
}

Result<ShownScenario> ResultDetailsSpool::read(int index) const {
    if (index < 0 || index >= m_offsets.size())
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("no scenario details at %1 in %2")
                         .arg(index)
                         .arg(m_file.fileName())};
    if (!m_file.seek(m_offsets.at(index)))
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("cannot read the run's details from %1: %2")
                         .arg(m_file.fileName(), m_file.errorString())};
    return ShownScenario::fromLine(m_file.readLine());
}

} // namespace dcr
