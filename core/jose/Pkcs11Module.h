#pragma once

#include "common/Result.h"

#include <QString>

#include <p11-kit/pkcs11.h>

namespace dcr::pkcs11 {

// A PKCS#11 module's function list, for reading what a token shows without logging in (its
// objects, its PIN state). The module is dlopen'ed once and initialised; it is never finalised
// or unloaded, as OpenSSL's pkcs11 engine shares the same instance in this process (and with it
// the token's login state).
Result<CK_FUNCTION_LIST_PTR> openModule(const QString& modulePath);

// A fixed-size, blank-padded PKCS#11 text field (token label, serial, ...) as text.
QString fixedText(const unsigned char* text, size_t size);

// "CKR 0xa0": a return value for messages.
QString ckrHex(CK_RV rv);

// The slots that hold a token (C_GetSlotList with tokenPresent).
Result<QList<CK_SLOT_ID>> slotsWithToken(CK_FUNCTION_LIST_PTR f, const QString& modulePath);

} // namespace dcr::pkcs11
