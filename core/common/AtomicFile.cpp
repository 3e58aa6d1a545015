#include "AtomicFile.h"

#include <QSaveFile>

namespace dcr {

Status writeFileAtomically(const QString& path, const QByteArray& bytes) {
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.commit())
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("cannot write %1: %2").arg(path, file.errorString())};
    return {};
}

} // namespace dcr
