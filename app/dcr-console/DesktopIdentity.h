#pragma once

namespace dcr::app {

// True when the command line asks only for --help or --version (before any "--"). main() then
// selects Qt's "minimal" platform plugin, which needs no display, so both print and exit on a
// machine without X or Wayland: the man page is generated from them at build time, and a packaged
// `dcr-console --version` must work over ssh.
bool asksForHelpOrVersion(int argc, char** argv);

// The application version (CMake's project version), the desktop file name (so the desktop shell
// matches the window to the installed .desktop entry and its icon) and the window icon, from the
// same artwork as the installed icon theme files (dcr-console.qrc).
void applyDesktopIdentity();

} // namespace dcr::app
