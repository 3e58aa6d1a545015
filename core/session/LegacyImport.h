#pragma once

#include "common/Notice.h"

#include <QCoreApplication>
#include <QString>

class QSettings;

namespace dcr {

class HistoryStore;

// What older versions kept elsewhere, brought into this one once: the console's own settings
// file, and dcrctl's own history. Each old file is renamed ("….imported-<UTC time>") only once
// its content is in; what the user should know is added to notices.
class LegacyImport {
    Q_DECLARE_TR_FUNCTIONS(dcr::LegacyImport)
public:
    // Merges the old settings (and profiles) into settings: a profile or value already there wins.
    // Nothing happens when legacyPath is empty, missing, or settingsFile itself.
    static void settings(const QString& legacyPath, const QString& settingsFile,
                         QSettings& settings, Notices& notices);
    // Copies the old history's rows into history in one transaction; a failure leaves the old
    // file untouched, to be tried again on the next start. Returns whether rows were copied (the
    // history may have changed). Nothing happens when legacyPath is empty, missing, or
    // historyLocation itself.
    static bool history(const QString& legacyPath, const QString& historyLocation,
                        HistoryStore& history, Notices& notices);
};

} // namespace dcr
