#pragma once

namespace dcr {

// A shared history's link to its server (a SQLite history is always Connected). In every state
// but Connected, writes go to the outbox and nothing is lost.
enum class HistoryConnection {
    Connected,
    NotYetConnected, // opened with connectAtOpen = false, not tried yet
    Unreachable,     // the server was not reached, or went away
    LoginRefused,    // the server answered and refused the login (see the problem's words)
};

} // namespace dcr
