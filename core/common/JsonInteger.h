#pragma once

#include <QJsonValue>

#include <optional>

namespace dcr {

// The integer a JSON number holds, if it is one that is exactly representable (|n| <= 2^53).
// Casting an arbitrary double to qint64 is undefined behaviour for values like 1e27, and claims
// come from untrusted tokens.
std::optional<qint64> jsonInteger(const QJsonValue& value);

} // namespace dcr
