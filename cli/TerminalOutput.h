#pragma once

#include "CliIo.h"

#include <QByteArray>
#include <QIODevice>

#include <functional>

namespace dcr::cli {

// The one place dcrctl and dcr-sandbox output is written (their CliIo streams write through it):
// whatever a bank, a file or a user put in the text (ESC sequences, C1 controls, bidi overrides)
// reaches the terminal escaped and visible (\x1b, \u202e), never interpreted. Line feeds and tabs
// pass, so multi-line output stays as it is; JSON output stays valid JSON (see
// escapeControlCharacters). A UTF-8 sequence split between two writes is held until it is whole.
class TerminalOutput : public QIODevice {
public:
    // target: stdout or stderr, already open; not owned.
    explicit TerminalOutput(QIODevice* target);
    ~TerminalOutput() override;

    bool isSequential() const override { return true; }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 size) override;

private:
    void writeEscaped(const QByteArray& utf8);
    QIODevice* m_target;
    QByteArray m_pending; // the start of a UTF-8 sequence whose end has not been written yet
};

// What dcrctl's and dcr-sandbox's main() do around the command: stdout and stderr through
// TerminalOutput, standard input as the CliIo's input when the program reads it, and `program`
// as the name its messages start with. 2 (a usage exit) when a standard stream cannot be opened.
enum class StandardInput { Read, Unused };
int runOnTerminal(const QString& program, StandardInput input,
                  const std::function<int(CliIo&)>& command);

} // namespace dcr::cli
