// Fixture for tst_translatable_messages: the forms the scanner must let pass. Never compiled.
#include "common/Result.h"

#include <QCoreApplication>

namespace dcr {

namespace {
QString tr(const char* text) {
    return QCoreApplication::translate("Allowed", text);
}
} // namespace

Status translated() {
    return Error{ErrorKind::InputEmpty, tr("the input is empty")};
}

Status translatedByContext() {
    return Error{ErrorKind::InputEmpty,
                 QCoreApplication::translate("Allowed", "the input is empty")};
}

Status onlyAFormat(const QString& where, const Error& inner) {
    // No words to translate: a pattern that joins translated parts.
    return Error{inner.kind, QStringLiteral("%1: %2").arg(where, inner.message)};
}

Status formatWithKind(const QString& where, const QString& why) {
    return Error{ErrorKind::KeyMalformed, QStringLiteral("%1: %2").arg(where, why)};
}

QStringList keysAreNotMessages() {
    QStringList warnings;
    warnings << tr("a warning the user reads");
    return {QStringLiteral("kid"), QStringLiteral("alg")}; // JSON keys: not user text
}

} // namespace dcr
