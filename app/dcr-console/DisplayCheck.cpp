#include "DisplayCheck.h"

#include <algorithm>
#include <cstdlib>
#include <vector>

namespace dcr::app {

namespace {

// The value of Qt's option `name` ("-platform", "-display"; also with "--", and either with
// "=VALUE"), read before Qt reads its environment.
std::string optionValue(int argc, char** argv, const char* name) {
    const std::string single = name;
    const std::string dashed = "-" + single;
    for (int i = 1; i < argc; ++i) {
        const std::string arg = argv[i];
        if (arg == "--")
            break;
        for (const std::string& option : {single, dashed}) {
            if (arg == option && i + 1 < argc)
                return argv[i + 1];
            if (arg.rfind(option + "=", 0) == 0)
                return arg.substr(option.size() + 1);
        }
    }
    return {};
}

bool startsWith(const std::string& text, const char* prefix) {
    return text.rfind(prefix, 0) == 0;
}

// The platforms Qt tries, in order: QT_QPA_PLATFORM may list fallbacks ("wayland;xcb").
std::vector<std::string> platformsTried(const std::string& platform) {
    std::vector<std::string> out;
    std::size_t from = 0;
    while (from <= platform.size()) {
        const std::size_t end = std::min(platform.find(';', from), platform.size());
        if (end > from)
            out.push_back(platform.substr(from, end - from));
        from = end + 1;
    }
    return out;
}

} // namespace

std::string missingDisplay(int argc, char** argv,
                           const std::function<std::string(const char*)>& env) {
    std::string platform = optionValue(argc, argv, "-platform");
    if (platform.empty())
        platform = env("QT_QPA_PLATFORM");
    const bool x11 = !env("DISPLAY").empty() || !optionValue(argc, argv, "-display").empty();
    const bool wayland = !env("WAYLAND_DISPLAY").empty() || !env("WAYLAND_SOCKET").empty();
    const std::vector<std::string> tried = platformsTried(platform);
    if (tried.empty()) {
        if (x11 || wayland)
            return {};
        return "no display found: DISPLAY and WAYLAND_DISPLAY are not set";
    }
    // One platform of the list that can start is enough: Qt falls back to it.
    for (const std::string& p : tried) {
        const bool needsX11 = startsWith(p, "xcb");
        const bool needsWayland = startsWith(p, "wayland");
        if ((!needsX11 || x11) && (!needsWayland || wayland))
            return {};
    }
    if (tried.size() > 1)
        return "no display found: none of the platforms " + platform +
               " has its display (DISPLAY or WAYLAND_DISPLAY is not set)";
    if (startsWith(tried.front(), "xcb"))
        return "no display found: the xcb platform needs DISPLAY, which is not set";
    return "no display found: the wayland platform needs WAYLAND_DISPLAY, which is not set";
}

std::string missingDisplay(int argc, char** argv) {
    return missingDisplay(argc, argv, [](const char* name) {
        const char* value = std::getenv(name);
        return std::string(value ? value : "");
    });
}

} // namespace dcr::app
