#include "AppPaths.h"

#include <QDir>
#include <QStandardPaths>

namespace dcr {

namespace {

const QString kAppFolder = QStringLiteral("dcr-console");

QString join(const QString& dir, const QString& a, const QString& b = {}) {
    QString path = QDir(dir).filePath(a);
    return b.isEmpty() ? path : QDir(path).filePath(b);
}

} // namespace

AppPaths AppPaths::defaults() {
    // Generic locations: they do not depend on the application name, which differs between the
    // three programs (that difference is how dcrctl once ended up with a history of its own).
    const QString config = QStandardPaths::writableLocation(QStandardPaths::GenericConfigLocation);
    const QString data = QStandardPaths::writableLocation(QStandardPaths::GenericDataLocation);
    AppPaths p;
    p.settingsFile = join(config, kAppFolder, QStringLiteral("dcr-console.ini"));
    p.historyDb = join(data, kAppFolder, QStringLiteral("history.sqlite"));
    p.localHistoryDb = join(data, kAppFolder, QStringLiteral("history-local.sqlite"));
    p.sandboxKitDir = join(data, kAppFolder, QStringLiteral("sandbox-kit"));
    p.testRunsDir = join(data, kAppFolder, QStringLiteral("test-runs"));
    p.legacyCliHistoryDb = join(data, QStringLiteral("dcrctl"), QStringLiteral("history.sqlite"));
    p.legacyConsoleSettingsFile = join(data, kAppFolder, QStringLiteral("dcr-console.ini"));
    const QString fromEnvironment = qEnvironmentVariable(HistoryEnvironmentVariable);
    if (!fromEnvironment.isEmpty()) {
        p.historyDb = fromEnvironment;
        p.historyDbIsDefault = false;
    }
    return p;
}

AppPaths AppPaths::under(const QString& root) {
    AppPaths p;
    p.settingsFile = join(root, QStringLiteral("dcr-console.ini"));
    p.historyDb = join(root, QStringLiteral("history.sqlite"));
    p.localHistoryDb = join(root, QStringLiteral("history-local.sqlite"));
    p.sandboxKitDir = join(root, QStringLiteral("sandbox-kit"));
    p.testRunsDir = join(root, QStringLiteral("test-runs"));
    p.legacyCliHistoryDb =
        join(root, QStringLiteral("legacy-dcrctl"), QStringLiteral("history.sqlite"));
    p.legacyConsoleSettingsFile = join(root, QStringLiteral("legacy-console.ini"));
    return p;
}

} // namespace dcr
