#pragma once

#include <QDate>
#include <QString>
#include <QStringList>

namespace dcr {

// A file name for a save dialog to propose, from what the file holds: the parts joined with "-"
// and the extension, e.g. {"Local sandbox", "3f2a9c1d", 2026-12-02} + "html" ->
// "Local-sandbox-3f2a9c1d-2026-12-02.html". Every run of characters other than ASCII letters,
// digits, "." and "_" becomes one "-" (no spaces, slashes or shell characters in the name);
// empty parts are left out ("export" when none is left).
QString suggestedFileName(const QStringList& parts, const QString& extension);

// The date part of a suggested name: 2026-12-02.
QString fileNameDate(const QDate& date);

} // namespace dcr
