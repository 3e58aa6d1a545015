#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace dcr {

// Writes the whole file or nothing (QSaveFile): a failed save never leaves half a report or
// claims file where a good one was. The error names the path and the reason.
Status writeFileAtomically(const QString& path, const QByteArray& bytes);

} // namespace dcr
