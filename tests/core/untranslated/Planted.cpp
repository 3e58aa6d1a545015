// Fixture for tst_translatable_messages: every message here that a user would read is built from
// a bare literal, the mistake the test's scanner must name (file and line). Never compiled.
#include "common/Result.h"
#include "common/Utf8.h"

namespace dcr {

Status one() {
    return Error{ErrorKind::InputEmpty, QStringLiteral("the input is empty")}; // line 9
}

Status wrapped() {
    return Error{ErrorKind::KeyMalformed,
                 QStringLiteral("a message clang-format put on the next line")}; // line 14
}

Status brokenOpen() {
    return Error{
        ErrorKind::JwsMalformed,
        QStringLiteral(
            "an opening parenthesis alone on its line")}; // line 21
}

Result<int> viaResult() {
    return {ErrorKind::NetworkOther, s("a UTF-8 literal — still bare")}; // line 25
}

Status fromUtf8() {
    return Status(ErrorKind::StorageCorrupt, QString::fromUtf8("a literal converted by hand"));
}

QStringList warn() {
    QStringList warnings;
    warnings << QStringLiteral("a warning the user reads"); // line 34
    return warnings;
}

Status rewrapped(const Error& inner) {
    return Error{inner.kind, QStringLiteral("%1 happened while reading").arg(inner.message)};
}

} // namespace dcr
