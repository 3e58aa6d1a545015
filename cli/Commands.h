#pragma once

#include "CliIo.h"

#include <QStringList>

namespace dcr::cli {

int runDcrctl(const QStringList& arguments, CliIo& io); // arguments without the program name

int decodeCommand(const QStringList& args, CliIo& io);
int signCommand(const QStringList& args, CliIo& io);
int verifyCommand(const QStringList& args, CliIo& io);
int lintCommand(const QStringList& args, CliIo& io);
int keysCommand(const QStringList& args, CliIo& io);
int dnCommand(const QStringList& args, CliIo& io);
int submitCommand(const QStringList& args, CliIo& io);
int clientCommand(const QStringList& args, CliIo& io);
int tokenCommand(const QStringList& args, CliIo& io);
int historyCommand(const QStringList& args, CliIo& io);
int profileCommand(const QStringList& args, CliIo& io);
int testCommand(const QStringList& args, CliIo& io);

} // namespace dcr::cli
