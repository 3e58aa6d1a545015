// The RFC 4514 distinguished-name parser over arbitrary text, and the comparison and rendering of
// whatever it accepts (subject DNs arrive in requests from anyone).
#include "jose/DistinguishedName.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    const QString text =
        QString::fromUtf8(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    auto dn = dcr::DistinguishedName::parse(text);
    if (!dn)
        return 0;
    const QString rendered = dn->toRfc4514();
    auto again = dcr::DistinguishedName::parse(rendered);
    if (again)
        (void)again->sameAs(*dn);
    (void)dn->sameAs(*dn);
    return 0;
}
