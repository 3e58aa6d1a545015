#pragma once

#include "ShownScenario.h"

#include "common/Result.h"

#include <QList>
#include <QTemporaryFile>

#include <memory>

namespace dcr {

// Where a long run keeps its scenarios' details (#26): each result as the reports show it
// (ShownScenario, secrets masked) is appended to a private temporary file (0600, in the test-runs
// folder), and the run keeps only a compact result and the line's offset in memory. The reports
// and the saved run read the lines back one at a time, so a run of thousands of scenarios does
// not hold thousands of request claims and answers. The file is removed when the last summary
// that refers to it goes; the history keeps every exchange in any case.
class ResultDetailsSpool {
public:
    // A spool in dir (made private when missing); an error when no file can be made there.
    static Result<std::shared_ptr<ResultDetailsSpool>> create(const QString& dir);

    // Appends the result's shown record; returns its index for read().
    Result<int> append(const ScenarioResult& result);
    Result<ShownScenario> read(int index) const;
    int size() const { return static_cast<int>(m_offsets.size()); }
    QString fileName() const { return m_file.fileName(); }

private:
    ResultDetailsSpool() = default;
    mutable QTemporaryFile m_file;
    QList<qint64> m_offsets;
};

} // namespace dcr
