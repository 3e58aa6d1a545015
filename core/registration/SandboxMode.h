#pragma once

#include <QString>

#include <optional>

namespace dcr {

// Which contract the embedded sandbox (core/sandbox) speaks: the seed API, UK OBIE DCR 3.3, Open
// Finance Brasil DCR/DCM (an RFC 7591 JSON body, RFC 7592 lifecycle) or Australia's CDR (a signed
// JWT body, lifecycle with a cdr:registration access token). It lives beside SpecVersion, below
// both the sandbox and the transport, so that a Profile (core/transport) holds it as a value
// without linking the sandbox library.
enum class SandboxMode { Seed, Obie, Ofb, Cdr };

// "seed", "obie", "ofb", "cdr".
inline QString sandboxModeName(SandboxMode mode) {
    switch (mode) {
    case SandboxMode::Seed:
        return QStringLiteral("seed");
    case SandboxMode::Obie:
        return QStringLiteral("obie");
    case SandboxMode::Ofb:
        return QStringLiteral("ofb");
    case SandboxMode::Cdr:
        return QStringLiteral("cdr");
    }
    return QStringLiteral("seed");
}

inline std::optional<SandboxMode> sandboxModeFromName(const QString& name) {
    for (SandboxMode mode :
         {SandboxMode::Seed, SandboxMode::Obie, SandboxMode::Ofb, SandboxMode::Cdr})
        if (name == sandboxModeName(mode))
            return mode;
    return std::nullopt;
}

// The modes that answer RFC 7591 (201 with a client_id) rather than the seed's 200 message.
inline bool issuesClients(SandboxMode mode) {
    return mode != SandboxMode::Seed;
}

} // namespace dcr
