#pragma once

#include <functional>
#include <string>

namespace dcr::app {

// Why dcr-console cannot open a window here, or an empty string when it can. Qt's xcb and wayland
// platform plugins abort (SIGABRT, exit 134) when they find no display, with a message about
// plugins that does not say what to do; main() asks this first and prints one line instead.
// The platform is Qt's: a "-platform NAME" argument, else QT_QPA_PLATFORM, else the desktop
// default (xcb or wayland, either needs its display). Platforms that need none (offscreen,
// minimal, vnc, eglfs, linuxfb, …) always pass. `env` reads an environment variable ("" when
// unset), so that the rule can be tested without touching the process's environment.
std::string missingDisplay(int argc, char** argv,
                           const std::function<std::string(const char*)>& env);

// missingDisplay() over the process's environment.
std::string missingDisplay(int argc, char** argv);

} // namespace dcr::app
