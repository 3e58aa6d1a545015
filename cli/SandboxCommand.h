#pragma once

#include "CliIo.h"

#include <QStringList>

namespace dcr::cli {

int runSandbox(const QStringList& arguments, CliIo& io); // dcr-sandbox init|serve

} // namespace dcr::cli
