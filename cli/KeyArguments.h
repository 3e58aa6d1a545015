#pragma once

#include "CommandLine.h"
#include "jose/VerificationKey.h"

#include <optional>

namespace dcr::cli {

// Reads the one verification source among the given options (--key/--cert/--jwks load a file,
// --*secret-file reads a shared secret). When required is false and none is set, returns nullopt.
Result<std::optional<VerificationKey>> verificationKeyFromOptions(const CommandLine& cmd, CliIo& io,
                                                                  const QStringList& options,
                                                                  bool required);

} // namespace dcr::cli
