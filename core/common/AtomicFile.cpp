#include "AtomicFile.h"

#include <QCoreApplication>
#include <QFile>
#include <QSaveFile>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct AtomicFileTr {
    Q_DECLARE_TR_FUNCTIONS(AtomicFile)
};

} // namespace

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
    return writeFileAtomically(path, [&bytes](QIODevice& device) -> Status {
        if (device.write(bytes) != bytes.size())
            return Error{ErrorKind::InputUnreadable, device.errorString()};
        return {};
    });
}

Status writeFileAtomically(const QString& path, const std::function<Status(QIODevice&)>& write) {
    constexpr auto ownerOnly = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
    QSaveFile file(path);
    // The temporary file is restricted before the first byte goes in; QSaveFile would otherwise
    // give it the replaced file's mode or 0666 less the umask.
    if (!file.open(QIODevice::WriteOnly) || !file.setPermissions(ownerOnly))
        return Error{ErrorKind::InputUnreadable,
                     AtomicFileTr::tr("cannot write %1: %2").arg(path, file.errorString())};
    if (auto written = write(file); !written) {
        file.cancelWriting();
        return Error{ErrorKind::InputUnreadable,
                     AtomicFileTr::tr("cannot write %1: %2").arg(path, written.error().message)};
    }
    if (!file.commit())
        return Error{ErrorKind::InputUnreadable,
                     AtomicFileTr::tr("cannot write %1: %2").arg(path, file.errorString())};
    if (!QFile::setPermissions(path, ownerOnly))
        return Error{ErrorKind::InputUnreadable,
                     AtomicFileTr::tr("cannot restrict %1 to its owner").arg(path)};
    return {};
}

} // namespace dcr
