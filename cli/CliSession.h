#pragma once

#include "CommandLine.h"
#include "session/Session.h"

#include <memory>

namespace dcr::cli {

// Passphrases for dcrctl come from files named on the command line, never from a prompt, so a
// script never hangs; a wrong one is not asked again (one login per token key). What the token says
// about its PIN tries is printed as a note; its final try is not spent unless --pin-final-try says
// so, since a script repeating a stale PIN file would otherwise lock the token.
class FilePassphrases : public PassphraseSource {
public:
    std::optional<QByteArray> signing;
    std::optional<QByteArray> transport;
    bool allowFinalTry = false;     // --pin-final-try
    QTextStream* notices = nullptr; // where the token's tries warnings go (stderr)
    std::optional<QByteArray> passphrase(const PassphrasePrompt& prompt) override;
};

// --pin-final-try: the option every command that reads a PIN file offers.
void addPinFinalTryOption(CommandLine& cmd);

// --history-db LOCATION (alias --db): the same option on every command that touches history.
void addHistoryOption(CommandLine& cmd);

// How long dcrctl waits, before it exits, for the desktop keychain to take the secrets its
// command wrote to a shared history (or delete those it forgot).
inline constexpr int KeychainFlushMs = 10000;

// Ends a dcrctl command's session: first lets the desktop keychain answer the secrets the command
// handed it (at most KeychainFlushMs; this is the command's last step, nothing else is under way,
// so running the event loop here is safe), warning on stderr when it did not, then closes it.
struct SessionEnd {
    CliIo* io = nullptr;
    void operator()(Session* session) const;
};
using CliSession = std::unique_ptr<Session, SessionEnd>;

// The shared session for one dcrctl command: the console's paths (so both see the same history,
// profiles and sandbox kit), DCR_HISTORY_DB or --history-db for the history. Notices go to
// stderr. The passphrase source must outlive the session. A command that records nothing and
// reads nothing from the history (submit --no-history) asks for HistoryUse::None.
enum class HistoryUse { Open, None };
CliSession openSession(const CommandLine& cmd, CliIo& io, PassphraseSource* passphrases = nullptr,
                       HistoryUse history = HistoryUse::Open);

} // namespace dcr::cli
