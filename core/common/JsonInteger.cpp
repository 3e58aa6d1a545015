#include "JsonInteger.h"

#include <cmath>

namespace dcr {

std::optional<qint64> jsonInteger(const QJsonValue& value) {
    if (!value.isDouble())
        return std::nullopt;
    const double d = value.toDouble();
    constexpr double limit = 9007199254740992.0; // 2^53
    if (!std::isfinite(d) || std::fabs(d) > limit || std::trunc(d) != d)
        return std::nullopt;
    return static_cast<qint64>(d);
}

} // namespace dcr
