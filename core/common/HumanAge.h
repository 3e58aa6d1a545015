#pragma once

#include <QString>

namespace dcr {

// A span of time as people say it, in its largest whole unit: "45 seconds", "1 minute",
// "23 hours", "6 days", "11 months" (30 days), "6 years" (365 days). Rounded down: a span is
// never said to be longer than it is. Negative spans are read as their length.
QString humanDuration(qint64 seconds);

// How long ago a moment was (secondsAgo > 0: "6 years ago") or how far ahead it is
// (secondsAgo < 0: "in 3 minutes"); "now" within a second. Where an exact time matters, show this
// beside or over (as a tooltip) the exact UTC time, never instead of it.
QString humanAge(qint64 secondsAgo);

} // namespace dcr
