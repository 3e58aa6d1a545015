#include "KeyArguments.h"

#include "jose/Pkcs11Uri.h"
#include "jose/TokenKeys.h"

namespace dcr::cli {

Result<std::optional<VerificationKey>> verificationKeyFromOptions(const CommandLine& cmd, CliIo& io,
                                                                  const QStringList& options,
                                                                  bool required) {
    QStringList set;
    for (const QString& o : options)
        if (cmd.isSet(o))
            set << o;
    if (set.size() > 1)
        return Error{ErrorKind::InputUnreadable,
                     QStringLiteral("give only one of --%1").arg(set.join(QStringLiteral(", --")))};
    if (set.isEmpty()) {
        if (required)
            return Error{ErrorKind::InputUnreadable,
                         QStringLiteral("one of --%1 is required")
                             .arg(options.join(QStringLiteral(", --")))};
        return std::optional<VerificationKey>();
    }
    const QString option = set.first();
    if (option.endsWith(QStringLiteral("secret-file"))) {
        auto secret = readSecretFile(cmd.value(option), io);
        if (!secret)
            return Error{secret.error().kind,
                         QStringLiteral("--%1: %2").arg(option, secret.error().message)};
        return std::optional<VerificationKey>(VerificationKey::fromSecret(*secret));
    }
    if (Pkcs11Uri::looksLike(cmd.value(option))) {
        // A key or certificate in a token: its public half verifies, no PIN needed.
        auto material = tokenkeys::loadPublic(cmd.value(option), {});
        if (!material)
            return Error{material.error().kind,
                         QStringLiteral("--%1 %2").arg(option, material.error().toString())};
        return std::optional<VerificationKey>(VerificationKey::fromKey(material->publicKey));
    }
    auto bytes = readInput(cmd.value(option), io);
    if (!bytes)
        return Error{bytes.error().kind,
                     QStringLiteral("--%1: %2").arg(option, bytes.error().message)};
    auto key = VerificationKey::fromFile(*bytes);
    if (!key)
        return Error{
            key.error().kind,
            QStringLiteral("--%1 %2: %3").arg(option, cmd.value(option), key.error().toString())};
    return std::optional<VerificationKey>(*key);
}

} // namespace dcr::cli
