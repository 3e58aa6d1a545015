#pragma once

#include <QString>

#include <optional>

namespace dcr {

// Which contract the embedded sandbox (core/sandbox) speaks: the seed API or UK OBIE DCR 3.3. It
// lives beside SpecVersion, below both the sandbox and the transport, so that a Profile
// (core/transport) holds it as a value without linking the sandbox library.
enum class SandboxMode { Seed, Obie };

// "seed", "obie".
inline QString sandboxModeName(SandboxMode mode) {
    return mode == SandboxMode::Seed ? QStringLiteral("seed") : QStringLiteral("obie");
}

inline std::optional<SandboxMode> sandboxModeFromName(const QString& name) {
    if (name == QStringLiteral("seed"))
        return SandboxMode::Seed;
    if (name == QStringLiteral("obie"))
        return SandboxMode::Obie;
    return std::nullopt;
}

} // namespace dcr
