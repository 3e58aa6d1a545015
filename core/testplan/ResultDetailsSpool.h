#pragma once

#include "ShownScenario.h"

#include "common/Result.h"

#include <QFile>
#include <QList>
#include <QLockFile>
#include <QStringList>

#include <memory>

namespace dcr {

// Where a long run keeps its scenarios' details (#26): each result as the reports show it
// (ShownScenario, secrets masked) is appended to a private file (0600, in the test-runs folder,
// named .run-details-XXXXXX.jsonl), and the run keeps only a compact result and the line's
// offset in memory. The reports and the saved run read the lines back one at a time, so a run of
// thousands of scenarios does not hold thousands of request claims and answers. The file is
// removed when the last summary that refers to it goes; the history keeps every exchange in any
// case.
//
// A run that is killed (SIGKILL, power loss) cannot remove its file, so each spool is held by a
// QLockFile beside it (.run-details-XXXXXX.jsonl.lock: the owner's pid, program, host and boot)
// from before the file exists until after it is removed, and sweepStale() removes the spools
// whose lock nobody holds any more. The console and dcrctl share one test-runs folder and may run
// plans at the same time: a spool whose owner still runs is never removed.
class ResultDetailsSpool {
public:
    // A spool in dir (made private when missing); an error when no file can be made there.
    static Result<std::shared_ptr<ResultDetailsSpool>> create(const QString& dir);

    // Removes from dir the spools (and their locks) of runs that no longer run: a process that
    // ended without removing its spool (killed, crashed, the machine went down). Only plain files
    // of ours named exactly as create() names them are touched, never a symlink or anything else
    // in the folder; a spool whose lock a live process holds (this one included) is left alone.
    // Returns what could not be removed (empty: nothing was left, or all of it went).
    static QStringList sweepStale(const QString& dir);

    ~ResultDetailsSpool();
    ResultDetailsSpool(const ResultDetailsSpool&) = delete;
    ResultDetailsSpool& operator=(const ResultDetailsSpool&) = delete;

    // Appends the result's shown record; returns its index for read().
    Result<int> append(const ScenarioResult& result);
    Result<ShownScenario> read(int index) const;
    int size() const { return static_cast<int>(m_offsets.size()); }
    QString fileName() const { return m_file.fileName(); }

private:
    ResultDetailsSpool() = default;
    // Held while the spool exists; the destructor removes the spool first, then unlocks.
    std::unique_ptr<QLockFile> m_lock;
    mutable QFile m_file;
    QList<qint64> m_offsets;
};

} // namespace dcr
