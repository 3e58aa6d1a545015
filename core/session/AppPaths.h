#pragma once

#include <QString>

namespace dcr {

// Where DCR Console keeps its things: one answer for the console, dcrctl and dcr-sandbox, so that
// all three see the same history, profiles and sandbox kit. Settings and profiles live in the
// XDG config folder, the history and the kit in the XDG data folder (the folders do not depend on
// which program asks). DCR_HISTORY_DB moves the history for all three.
struct AppPaths {
    static constexpr const char* HistoryEnvironmentVariable = "DCR_HISTORY_DB";

    QString settingsFile; // INI: profiles, last profile, sandbox port, window state
    QString historyDb;    // SQLite file or postgresql:// URL (see HistoryLocation)
    // Neither DCR_HISTORY_DB nor --history-db chose historyDb: the console's History location
    // setting may (Session::open).
    bool historyDbIsDefault = true;
    // A shared (PostgreSQL) history's local file: its outbox and this machine's secrets.
    QString localHistoryDb;
    QString sandboxKitDir; // the demo kit of the local sandbox
    QString testRunsDir;   // one JSON file per finished test run (masked), next to the history

    // Where versions before the shared session layer kept their things; imported on first start.
    QString legacyCliHistoryDb;        // dcrctl's own history (<data>/dcrctl/history.sqlite)
    QString legacyConsoleSettingsFile; // the console's INI in the data folder

    // The user's folders ($XDG_CONFIG_HOME, $XDG_DATA_HOME or their defaults) and
    // $DCR_HISTORY_DB when set.
    static AppPaths defaults();
    // Everything under one folder (tests, portable use); DCR_HISTORY_DB is not consulted.
    static AppPaths under(const QString& root);
};

} // namespace dcr
