#include "PrivateFiles.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct PrivateFilesTr {
    Q_DECLARE_TR_FUNCTIONS(PrivateFiles)
};

QString systemError() {
    return QString::fromLocal8Bit(std::strerror(errno));
}

} // namespace

Status makePrivateFolder(const QString& path) {
    const QString absolute = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    // The missing folders, outermost first.
    QStringList missing;
    for (QString dir = absolute; !QFileInfo::exists(dir); dir = QFileInfo(dir).path()) {
        missing.prepend(dir);
        if (QFileInfo(dir).path() == dir)
            break;
    }
    for (const QString& dir : missing) {
        const QByteArray native = QFile::encodeName(dir);
        if (::mkdir(native.constData(), 0700) != 0 && errno != EEXIST)
            return Error{
                ErrorKind::InputUnreadable,
                PrivateFilesTr::tr("cannot create the folder %1: %2").arg(dir, systemError())};
        // mkdir's mode is filtered by the umask; chmod is not.
        if (::chmod(native.constData(), 0700) != 0)
            return Error{ErrorKind::InputUnreadable,
                         PrivateFilesTr::tr("cannot restrict the folder %1 to its owner: %2")
                             .arg(dir, systemError())};
    }
    if (!QFileInfo(absolute).isDir())
        return Error{ErrorKind::InputUnreadable,
                     PrivateFilesTr::tr("%1 exists and is not a folder").arg(absolute)};
    return {};
}

Status makePrivateFile(const QString& path) {
    const QByteArray native = QFile::encodeName(path);
    const int fd = ::open(native.constData(), O_WRONLY | O_CREAT | O_CLOEXEC | O_NONBLOCK, 0600);
    if (fd < 0)
        return Error{ErrorKind::InputUnreadable,
                     PrivateFilesTr::tr("cannot create %1: %2").arg(path, systemError())};
    const bool restricted = ::fchmod(fd, 0600) == 0;
    const QString reason = restricted ? QString() : systemError();
    ::close(fd);
    if (!restricted)
        return Error{ErrorKind::InputUnreadable,
                     PrivateFilesTr::tr("cannot restrict %1 to its owner: %2").arg(path, reason)};
    return {};
}

} // namespace dcr
