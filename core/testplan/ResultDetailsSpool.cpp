#include "ResultDetailsSpool.h"

#include "common/PrivateFiles.h"
#include "common/Utf8.h"

#include <QCoreApplication>
#include <QDir>

namespace dcr {

namespace {

struct ResultDetailsSpoolTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::ResultDetailsSpool)
};

} // namespace

Result<std::shared_ptr<ResultDetailsSpool>> ResultDetailsSpool::create(const QString& dir) {
    if (auto made = makePrivateFolder(dir); !made)
        return made.error();
    std::shared_ptr<ResultDetailsSpool> spool(new ResultDetailsSpool);
    // A hidden name: the folder's saved runs are *.json, which this is not.
    spool->m_file.setFileTemplate(QDir(dir).filePath(s(".run-details-XXXXXX.jsonl")));
    // QTemporaryFile creates the file 0600.
    if (!spool->m_file.open())
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("cannot keep the run's details in %1: %2")
                         .arg(dir, spool->m_file.errorString())};
    return spool;
}

Result<int> ResultDetailsSpool::append(const ScenarioResult& result) {
    const QByteArray line = ShownScenario::of(result).toLine() + '\n';
    const qint64 at = m_file.size();
    if (!m_file.seek(at) || m_file.write(line) != line.size() || !m_file.flush()) {
        // A half-written line is never referred to; the next append starts after it.
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("cannot write the run's details to %1: %2")
                         .arg(m_file.fileName(), m_file.errorString())};
    }
    m_offsets << at;
    return static_cast<int>(m_offsets.size() - 1);
}

Result<ShownScenario> ResultDetailsSpool::read(int index) const {
    if (index < 0 || index >= m_offsets.size())
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("no scenario details at %1 in %2")
                         .arg(index)
                         .arg(m_file.fileName())};
    if (!m_file.seek(m_offsets.at(index)))
        return Error{ErrorKind::InputUnreadable,
                     ResultDetailsSpoolTr::tr("cannot read the run's details from %1: %2")
                         .arg(m_file.fileName(), m_file.errorString())};
    return ShownScenario::fromLine(m_file.readLine());
}

} // namespace dcr
