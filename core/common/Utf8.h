#pragma once

#include <QString>

namespace dcr {

// A UTF-8 literal (claim names, messages with "§" or "—") as a QString. Short because the message
// tables and claim builders call it on nearly every line. Included by .cpp files only: a header
// that pulled it in would clash with a test's own `s` under `using namespace dcr`.
inline QString s(const char* text) {
    return QString::fromUtf8(text);
}

} // namespace dcr
