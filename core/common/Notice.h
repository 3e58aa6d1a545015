#pragma once

#include <QList>
#include <QString>

namespace dcr {

// Something the user should read, with how much it matters; front ends show it (the console's
// message bar, dcrctl's stderr) but never decide the level from the text.
struct Notice {
    enum class Level { Info, Warning, Error };
    Level level = Level::Info;
    QString text;
};

using Notices = QList<Notice>;

} // namespace dcr
