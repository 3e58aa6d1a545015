#pragma once

#include "Result.h"

#include <QByteArray>
#include <QString>

namespace dcr {

// The one way the programs read a file the user names (plans, claims, requests, keys,
// certificates, JWKS, CA bundles, secrets, kit files, run summaries). It refuses what is not a
// regular file before opening it (a FIFO would block the read forever, a device never end) and a
// file over maxSize, saying so with both sizes, instead of reading a silently cut prefix.
Result<QByteArray> readLocalFile(const QString& path, qsizetype maxSize = 1024 * 1024);

// "4 MiB", "64 KiB", "1000 bytes": a limit as people say it.
QString byteLimitText(qint64 bytes);

// The error for an input of `size` bytes (or "more than maxSize" when size < 0, e.g. standard
// input) over maxSize, naming what it is.
Error tooLargeError(const QString& name, qint64 size, qint64 maxSize);

} // namespace dcr
