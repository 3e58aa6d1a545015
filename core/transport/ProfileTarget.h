#pragma once

#include "common/Result.h"
#include "registration/RequestBodyFormat.h"

namespace dcr {

struct Profile;

// Whether a profile describes a target requests can be sent to, before any key is read: every
// field readable, a Content-Type that fits its body format, and (unless it is the embedded
// sandbox's) a usable absolute registration URL. Returns the body format. Session::target() and
// dcrctl's target options both rely on it (through Session::checkTarget).
Result<RequestBodyFormat> checkProfileTarget(const Profile& profile);

} // namespace dcr
