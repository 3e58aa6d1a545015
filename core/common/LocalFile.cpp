#include "LocalFile.h"

#include <QCoreApplication>
#include <QFile>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct LocalFileTr {
    Q_DECLARE_TR_FUNCTIONS(LocalFile)
};

// What a stat mode is, in words, for the "is not a regular file" message.
QString fileTypeName(mode_t mode) {
    if (S_ISDIR(mode))
        return LocalFileTr::tr("a directory");
    if (S_ISFIFO(mode))
        return LocalFileTr::tr("a FIFO");
    if (S_ISSOCK(mode))
        return LocalFileTr::tr("a socket");
    if (S_ISCHR(mode))
        return LocalFileTr::tr("a character device");
    if (S_ISBLK(mode))
        return LocalFileTr::tr("a block device");
    return LocalFileTr::tr("not a file");
}

} // namespace

QString byteLimitText(qint64 bytes) {
    if (bytes >= 1024 * 1024 && bytes % (1024 * 1024) == 0)
        return LocalFileTr::tr("%1 MiB").arg(bytes / (1024 * 1024));
    if (bytes >= 1024 && bytes % 1024 == 0)
        return LocalFileTr::tr("%1 KiB").arg(bytes / 1024);
    return LocalFileTr::tr("%1 bytes").arg(bytes);
}

Error tooLargeError(const QString& name, qint64 size, qint64 maxSize) {
    return Error{ErrorKind::InputTooLarge,
                 size < 0 ? LocalFileTr::tr("%1 is larger than the %2 limit (more than %3 bytes)")
                                .arg(name, byteLimitText(maxSize))
                                .arg(maxSize)
                          : LocalFileTr::tr("%1 is %2 bytes, larger than the %3 limit (%4 bytes)")
                                .arg(name)
                                .arg(size)
                                .arg(byteLimitText(maxSize))
                                .arg(maxSize)};
}

Result<QByteArray> readLocalFile(const QString& path, qsizetype maxSize) {
    const QByteArray native = QFile::encodeName(path);
    struct stat before {};
    if (::stat(native.constData(), &before) != 0) {
        if (errno == ENOENT || errno == ENOTDIR)
            return Error{ErrorKind::InputUnreadable, LocalFileTr::tr("%1: no such file").arg(path)};
        return Error{
            ErrorKind::InputUnreadable,
            QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)))};
    }
    if (!S_ISREG(before.st_mode))
        return Error{ErrorKind::InputUnreadable,
                     LocalFileTr::tr("%1 is not a regular file (%2); give a file")
                         .arg(path, fileTypeName(before.st_mode))};
    if (before.st_size > maxSize)
        return tooLargeError(path, before.st_size, maxSize);
    // O_NONBLOCK: should the path be swapped for a FIFO between stat and open, the open does not
    // wait for a writer; fstat on the open descriptor then decides.
    const int fd = ::open(native.constData(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0)
        return Error{
            ErrorKind::InputUnreadable,
            QStringLiteral("%1: %2").arg(path, QString::fromLocal8Bit(std::strerror(errno)))};
    struct stat opened {};
    if (::fstat(fd, &opened) != 0 || !S_ISREG(opened.st_mode)) {
        ::close(fd);
        return Error{ErrorKind::InputUnreadable,
                     LocalFileTr::tr("%1 is not a regular file (%2); give a file")
                         .arg(path, fileTypeName(opened.st_mode))};
    }
    QFile file;
    if (!file.open(fd, QIODevice::ReadOnly, QFileDevice::AutoCloseHandle)) {
        ::close(fd);
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("%1: %2").arg(path, file.errorString())};
    }
    // A file that grew since stat is still held to the limit.
    QByteArray bytes = file.read(maxSize + 1);
    if (bytes.size() > maxSize)
        return tooLargeError(path, -1, maxSize);
    return bytes;
}

} // namespace dcr
