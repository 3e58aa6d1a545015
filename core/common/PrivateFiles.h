#pragma once

#include "Result.h"

#include <QString>

namespace dcr {

// Everything the programs write that can hold a request, an answer or a report (run summaries,
// reports, exports, settings and profiles, the history database, kit files) is readable by its
// owner only, whatever the umask: files 0600, the folders the programs create 0700.

// Creates the folder and any missing parents, each new one 0700. Folders that exist already are
// left as they are (a user's choice, or /tmp).
Status makePrivateFolder(const QString& path);

// Creates the file empty if it is missing, and makes it (new or old) 0600: for files another
// library writes (QSettings, SQLite), which would otherwise follow the umask.
Status makePrivateFile(const QString& path);

} // namespace dcr
