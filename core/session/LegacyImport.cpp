#include "LegacyImport.h"

#include "history/HistoryStore.h"
#include "transport/Profile.h"

#include <QDateTime>
#include <QFile>
#include <QFileInfo>
#include <QSettings>

namespace dcr {

namespace {

// The suffix an imported file is renamed with.
QString importedSuffix() {
    return QStringLiteral(".imported-") +
           QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd-HHmmss"));
}

bool samePath(const QString& a, const QString& b) {
    const QFileInfo fa(a), fb(b);
    if (fa.exists() && fb.exists())
        return fa.canonicalFilePath() == fb.canonicalFilePath();
    return fa.absoluteFilePath() == fb.absoluteFilePath();
}

bool nothingToImport(const QString& legacyPath, const QString& current) {
    return legacyPath.isEmpty() || !QFile::exists(legacyPath) || samePath(legacyPath, current);
}

} // namespace

// Versions before the shared session kept the console's settings (and its profiles) in the data
// folder.
void LegacyImport::settings(const QString& legacyPath, const QString& settingsFile,
                            QSettings& settings, Notices& notices) {
    if (nothingToImport(legacyPath, settingsFile))
        return;
    int imported = 0;
    {
        QSettings legacy(legacyPath, QSettings::IniFormat);
        ProfileStore current(settings);
        for (const Profile& p : ProfileStore(legacy).all())
            if (!current.find(p.name)) {
                if (auto saved = current.save(p); !saved) {
                    notices << Notice{Notice::Level::Error,
                                      tr("A profile of the older DCR Console was not imported: %1")
                                          .arg(saved.error().message)};
                    continue;
                }
                ++imported;
            }
        for (const QString& key : legacy.allKeys())
            if (!key.startsWith(QStringLiteral("profiles")) && !settings.contains(key))
                settings.setValue(key, legacy.value(key));
        settings.sync();
    }
    const QString moved = legacyPath + importedSuffix();
    QFile::rename(legacyPath, moved);
    notices << Notice{Notice::Level::Info,
                      tr("Imported %n profile(s) and the settings of an older DCR Console from %1 "
                         "(kept as %2).",
                         nullptr, imported)
                          .arg(legacyPath, moved)};
}

// dcrctl once kept a history of its own.
bool LegacyImport::history(const QString& legacyPath, const QString& historyLocation,
                           HistoryStore& history, Notices& notices) {
    if (nothingToImport(legacyPath, historyLocation))
        return false;
    auto rows = history.importFrom(legacyPath);
    if (!rows) {
        notices << Notice{Notice::Level::Error,
                          tr("The old dcrctl history at %1 could not be imported (it was left "
                             "untouched and is tried again next time): %2")
                              .arg(legacyPath, rows.error().message)};
        return false;
    }
    const QString suffix = importedSuffix();
    for (const QString& extra : {QString(), QStringLiteral("-wal"), QStringLiteral("-shm")})
        if (QFile::exists(legacyPath + extra))
            QFile::rename(legacyPath + extra, legacyPath + suffix + extra);
    notices << Notice{
        Notice::Level::Info,
        tr("Imported %n submission(s) from the old dcrctl history at %1 (kept as %2).", nullptr,
           static_cast<int>(*rows))
            .arg(legacyPath, legacyPath + suffix)};
    return true;
}

} // namespace dcr
