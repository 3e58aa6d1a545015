#pragma once

#include "common/Result.h"

#include <QByteArray>

namespace dcr::base64url {

QByteArray encode(const QByteArray& bytes);

// Strict RFC 7515 section 2 decoding: URL-safe alphabet only, no padding, no whitespace, and the
// unused trailing bits must be zero, so every byte string has exactly one accepted encoding.
// The error names the first offending position (0-based).
Result<QByteArray> decode(const QByteArray& text);

} // namespace dcr::base64url
