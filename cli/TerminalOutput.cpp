#include "TerminalOutput.h"

#include "common/ControlCharacters.h"

#include <QFile>
#include <QFileDevice>
#include <QTextStream>

#include <utility>

#include <unistd.h>

namespace dcr::cli {

namespace {

// The length of the incomplete UTF-8 sequence that ends bytes (0: it ends on a boundary).
qsizetype incompleteTail(const QByteArray& bytes) {
    const qsizetype n = bytes.size();
    for (qsizetype back = 1; back <= 3 && back <= n; ++back) {
        const auto c = static_cast<unsigned char>(bytes.at(n - back));
        if ((c & 0xC0) == 0x80)
            continue; // a continuation byte: look further back for the lead
        const qsizetype needed = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
        return needed > back ? back : 0;
    }
    return 0;
}

} // namespace

TerminalOutput::TerminalOutput(QIODevice* target)
    : m_target(target) {
    open(QIODevice::WriteOnly | QIODevice::Unbuffered);
}

TerminalOutput::~TerminalOutput() {
    if (!m_pending.isEmpty())
        writeEscaped(std::exchange(m_pending, {}));
}

qint64 TerminalOutput::writeData(const char* data, qint64 size) {
    m_pending.append(data, size);
    const qsizetype tail = incompleteTail(m_pending);
    const QByteArray whole = m_pending.left(m_pending.size() - tail);
    m_pending.remove(0, whole.size());
    writeEscaped(whole);
    return size;
}

void TerminalOutput::writeEscaped(const QByteArray& utf8) {
    if (utf8.isEmpty())
        return;
    m_target->write(escapeControlCharacters(QString::fromUtf8(utf8)).toUtf8());
    // QTextStream flushes a QFileDevice itself, but not a device in front of one.
    if (auto* file = qobject_cast<QFileDevice*>(m_target))
        file->flush();
}

int runOnTerminal(const QString& program, StandardInput input,
                  const std::function<int(CliIo&)>& command) {
    // Declared in this order so that the streams flush into the devices before those close.
    QFile stdoutFile, stderrFile;
    if (!stdoutFile.open(STDOUT_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered) ||
        !stderrFile.open(STDERR_FILENO, QIODevice::WriteOnly | QIODevice::Unbuffered))
        return ExitUsage;
    TerminalOutput outDevice(&stdoutFile), errDevice(&stderrFile);
    QTextStream out(&outDevice);
    QTextStream err(&errDevice);
    QFile in;
    if (input == StandardInput::Read && !in.open(stdin, QIODevice::ReadOnly))
        return ExitUsage;
    CliIo io{out, err, in, program};
    return command(io);
}

} // namespace dcr::cli
