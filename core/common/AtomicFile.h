#pragma once

#include "Result.h"

#include <QByteArray>
#include <QIODevice>
#include <QString>

#include <functional>

namespace dcr {

// Writes the whole file or nothing (QSaveFile): a failed save never leaves half a report or
// claims file where a good one was. The error names the path and the reason. The file is 0600
// whatever the umask and whatever the mode of the file it replaces: what the programs write can
// hold a request, an answer or a report (see PrivateFiles.h).
Status writeFileAtomically(const QString& path, const QByteArray& bytes);
// The same, for a file written piece by piece (a long run's report streamed from its results):
// write puts the content into the device; its error, or a failed write, leaves the old file.
Status writeFileAtomically(const QString& path, const std::function<Status(QIODevice&)>& write);

} // namespace dcr
