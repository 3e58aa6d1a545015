#include "DesktopIdentity.h"

#include "common/Version.h"

#include <QApplication>
#include <QIcon>

#include <cstring>

namespace dcr::app {

bool asksForHelpOrVersion(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        if (std::strcmp(arg, "--") == 0)
            return false; // what follows is a file name, not an option
        for (const char* info : {"-h", "--help", "-?", "--help-all", "-v", "--version"})
            if (std::strcmp(arg, info) == 0)
                return true;
    }
    return false;
}

void applyDesktopIdentity() {
    QApplication::setApplicationVersion(productVersion());
    // DCR_APP_ID comes from packaging/CMakeLists.txt, which also names the installed .desktop
    // file, the metainfo and the icons after it.
    QGuiApplication::setDesktopFileName(QStringLiteral(DCR_APP_ID));
    QIcon icon;
    for (int size : {16, 24, 32, 48, 64, 128, 256})
        icon.addFile(QStringLiteral(":/icons/%1/dcr-console.png").arg(size), QSize(size, size));
    QApplication::setWindowIcon(icon);
}

} // namespace dcr::app
