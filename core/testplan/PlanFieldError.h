#pragma once

#include "common/Error.h"

namespace dcr {

// An error in a test plan file that names the field it is about ("claim: ...", "expect.seed.
// status: ..."); the level above prefixes its part of the path, so the user sees
// "scenario #2 (broken): mutations[0].seconds: ...".
inline Error planFieldError(const QString& field, const QString& message) {
    return Error{ErrorKind::JsonInvalid, QStringLiteral("%1: %2").arg(field, message)};
}

} // namespace dcr
