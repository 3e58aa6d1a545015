#include "TestRunLookup.h"

#include "common/LocalFile.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>

#include <optional>

namespace dcr {

namespace {

// The size a saved run may have (as loadTestRuns reads them).
constexpr qsizetype MaxRunFileSize = 64 * 1024 * 1024;

struct TestRunLookupTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::TestRunLookup)
};

Result<TestRunSummary> readRunFile(const QString& path) {
    auto bytes = readLocalFile(path, MaxRunFileSize);
    if (!bytes)
        return bytes.error();
    QJsonParseError parseError;
    const QJsonDocument doc = QJsonDocument::fromJson(*bytes, &parseError);
    if (!doc.isObject())
        return Error{ErrorKind::JsonInvalid,
                     TestRunLookupTr::tr("%1 is not a saved test run: %2")
                         .arg(path, doc.isNull()
                                        ? parseError.errorString()
                                        : TestRunLookupTr::tr("its JSON is not an object"))};
    auto run = TestRunSummary::fromJson(doc.object());
    if (!run)
        return Error{
            ErrorKind::JsonInvalid,
            TestRunLookupTr::tr("%1 is not a saved test run: %2").arg(path, run.error().message)};
    return run;
}

// A name that can only be meant as a file: run ids are 8 hex digits.
bool looksLikePath(const QString& name) {
    return name.contains(u'/') || name.contains(QDir::separator()) ||
           name.endsWith(s(".json"), Qt::CaseInsensitive);
}

// saveTestRun names a run's file <started>-<run id>.json: that file is read first, so one run is
// found without reading every other. A renamed or hand-made file is still found by the full scan.
std::optional<TestRunSummary> findByFileName(const QString& dir, const QString& runId) {
    // An id with wildcards would match other runs' files.
    if (runId.contains(u'*') || runId.contains(u'?') || runId.contains(u'['))
        return std::nullopt;
    const QStringList files =
        QDir(dir).entryList({s("*-%1.json").arg(runId)}, QDir::Files | QDir::Readable, QDir::Name);
    for (const QString& name : files) {
        auto run = readRunFile(QDir(dir).filePath(name));
        if (run && run->runId == runId)
            return *run;
    }
    return std::nullopt;
}

} // namespace

Result<TestRunSummary> findTestRun(const QString& dir, const QString& idOrPath) {
    if (idOrPath.trimmed().isEmpty())
        return Error{ErrorKind::InputUnreadable, TestRunLookupTr::tr("an empty test run id")};
    if (QFileInfo(idOrPath).isFile())
        return readRunFile(idOrPath);
    if (looksLikePath(idOrPath))
        return Error{
            ErrorKind::InputUnreadable,
            TestRunLookupTr::tr("no saved test run file %1: it does not exist").arg(idOrPath)};
    // QDir("") is the working directory: an id is only looked for where the runs are kept.
    if (dir.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     TestRunLookupTr::tr(
                         "no test run \"%1\": no folder of saved test runs to look in; give the "
                         "path of its file")
                         .arg(idOrPath)};
    if (auto named = findByFileName(dir, idOrPath))
        return *named;
    const QList<TestRunSummary> runs = loadTestRuns(dir);
    for (const TestRunSummary& run : runs)
        if (run.runId == idOrPath)
            return run;
    return Error{ErrorKind::InputUnreadable,
                 TestRunLookupTr::tr("no test run \"%1\" among the %2 run(s) saved in %3")
                     .arg(idOrPath, QString::number(runs.size()), QDir::toNativeSeparators(dir))};
}

} // namespace dcr
