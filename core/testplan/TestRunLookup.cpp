#include "TestRunLookup.h"

#include "common/LocalFile.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

namespace dcr {

namespace {

// The size a saved run may have (as loadTestRuns reads them).
constexpr qsizetype MaxRunFileSize = 64 * 1024 * 1024;

QString tr(const char* text) {
    return QCoreApplication::translate("dcr::TestRunLookup", text);
}

Result<TestRunSummary> readRunFile(const QString& path) {
    auto bytes = readLocalFile(path, MaxRunFileSize);
    if (!bytes)
        return bytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (!doc.isObject())
        return Error{ErrorKind::JsonInvalid,
                     tr("%1 is not a saved test run: %2")
                         .arg(path, doc.isNull() ? parseError.errorString()
                                                 : tr("its JSON is not an object"))};
    auto run = TestRunSummary::fromJson(doc.object());
    if (!run)
        return Error{ErrorKind::JsonInvalid,
                     tr("%1 is not a saved test run: %2").arg(path, run.error().message)};
    return run;
}

// A name that can only be meant as a file: run ids are 8 hex digits.
bool looksLikePath(const QString& name) {
    return name.contains(u'/') || name.contains(QDir::separator()) ||
           name.endsWith(s(".json"), Qt::CaseInsensitive);
}

} // namespace

Result<TestRunSummary> findTestRun(const QString& dir, const QString& idOrPath) {
    if (idOrPath.trimmed().isEmpty())
        return Error{ErrorKind::InputUnreadable, tr("an empty test run id")};
    if (QFileInfo(idOrPath).isFile())
        return readRunFile(idOrPath);
    if (looksLikePath(idOrPath))
        return Error{ErrorKind::InputUnreadable,
                     tr("no saved test run file %1: it does not exist").arg(idOrPath)};
    const QList<TestRunSummary> runs = loadTestRuns(dir);
    for (const TestRunSummary& run : runs)
        if (run.runId == idOrPath)
            return run;
    return Error{ErrorKind::InputUnreadable,
                 tr("no test run \"%1\" among the %2 run(s) saved in %3")
                     .arg(idOrPath)
                     .arg(runs.size())
                     .arg(QDir::toNativeSeparators(dir))};
}

} // namespace dcr
