#include "DisplayCheck.h"

#include <cstdlib>
#include <cstring>

namespace dcr::app {

namespace {

// Qt reads "-platform NAME" (also "--platform", and either with "=NAME") before its environment.
std::string platformArgument(int argc, char** argv) {
    for (int i = 1; i < argc; ++i) {
        const char* arg = argv[i];
        if (std::strcmp(arg, "--") == 0)
            break;
        for (const char* option : {"-platform", "--platform"}) {
            const std::size_t length = std::strlen(option);
            if (std::strcmp(arg, option) == 0 && i + 1 < argc)
                return argv[i + 1];
            if (std::strncmp(arg, option, length) == 0 && arg[length] == '=')
                return arg + length + 1;
        }
    }
    return {};
}

bool startsWith(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

} // namespace

std::string missingDisplay(int argc, char** argv,
                           const std::function<std::string(const char*)>& env) {
    std::string platform = platformArgument(argc, argv);
    if (platform.empty())
        platform = env("QT_QPA_PLATFORM");
    // QT_QPA_PLATFORM may list fallbacks ("wayland;xcb"): the first one is tried first.
    platform = platform.substr(0, platform.find(';'));
    const bool x11 = env("DISPLAY").size() > 0;
    const bool wayland = env("WAYLAND_DISPLAY").size() > 0;
    if (platform.empty()) {
        if (x11 || wayland)
            return {};
        return "no display found: DISPLAY and WAYLAND_DISPLAY are not set";
    }
    if (startsWith(platform, "xcb") && !x11)
        return "no display found: the xcb platform needs DISPLAY, which is not set";
    if (startsWith(platform, "wayland") && !wayland)
        return "no display found: the wayland platform needs WAYLAND_DISPLAY, which is not set";
    return {};
}

std::string missingDisplay(int argc, char** argv) {
    return missingDisplay(argc, argv, [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    });
}

} // namespace dcr::app
