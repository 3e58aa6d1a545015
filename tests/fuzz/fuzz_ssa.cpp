// SSA decoding and the preflight rules over arbitrary claims (the first byte picks the mode).
#include "registration/RequestInspection.h"
#include "registration/SoftwareStatement.h"

#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size == 0)
        return 0;
    const QByteArray bytes(reinterpret_cast<const char*>(data + 1),
                           static_cast<qsizetype>(size - 1));
    if (data[0] & 1) {
        auto ssa = dcr::SoftwareStatement::decode(bytes);
        if (ssa) {
            (void)ssa->competentAuthorityClaims();
            (void)ssa->orgContacts();
            (void)ssa->roles();
            (void)ssa->version();
            (void)ssa->issuedAt();
            (void)ssa->unknownClaims();
        }
    } else {
        const dcr::Preflight preflight(
            [] { return QDateTime::fromSecsSinceEpoch(1900000000, Qt::UTC); });
        (void)dcr::inspectRequest(bytes, (data[0] & 2) != 0, {}, preflight);
    }
    return 0;
}
