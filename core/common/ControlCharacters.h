#pragma once

#include "Result.h"

#include <QString>
#include <QStringView>

namespace dcr {

// Text a bank or a file controls can carry terminal control sequences (ESC [2J clears the screen,
// ESC ]0; sets the window title) and Unicode bidi overrides that make text read differently from
// what it is. Such characters are shown visibly, never interpreted:
//  - C0 controls (U+0000-U+001F) as \xHH, except line feed and tab where lines are kept;
//  - DEL, C1 controls (U+0080-U+009F) and the bidi controls (U+061C, U+200E, U+200F,
//    U+202A-U+202E, U+2066-U+2069) as \uHHHH, which inside a JSON string stays valid JSON.
bool isControlCharacter(char32_t c);
QString escapeControlCharacters(QStringView text, bool keepLineBreaks = true);

// A name the user gives (a profile, a test plan, a scenario id) must be printable on one line: it
// is shown in lists, menus and reports. The error names what it is and the first offending
// character (as \xHH or \uHHHH) and its position.
Status checkPrintableName(const QString& name, const QString& what);

} // namespace dcr
