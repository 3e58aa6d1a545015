// A PKCS#11 module for tests that behaves like a token whose user PIN is locked: it forwards every
// call to SoftHSM2 except C_Login, which answers CKR_PIN_LOCKED as a real token does after too many
// wrong PINs. SoftHSM2 itself never locks a PIN, so without this the locked-token error could not
// be produced. It signs nothing.
#include <dlfcn.h>

#include <p11-kit/pkcs11.h>

namespace {

CK_FUNCTION_LIST lockedFunctions;
CK_C_Initialize realInitialize = nullptr;

// The test process may already have SoftHSM2 initialised through another engine; this module
// shares that instance instead of failing, and leaves finalising to its first user.
CK_RV sharedInitialize(CK_VOID_PTR args) {
    const CK_RV rv = realInitialize(args);
    return rv == CKR_CRYPTOKI_ALREADY_INITIALIZED ? CKR_OK : rv;
}

CK_RV sharedFinalize(CK_VOID_PTR) {
    return CKR_OK;
}

CK_RV lockedLogin(CK_SESSION_HANDLE, CK_USER_TYPE, CK_UTF8CHAR_PTR, CK_ULONG) {
    return CKR_PIN_LOCKED;
}

} // namespace

extern "C" __attribute__((visibility("default"))) CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
    static void* softhsm = dlopen(DCR_SOFTHSM_MODULE, RTLD_NOW | RTLD_LOCAL);
    if (!softhsm || !list)
        return CKR_GENERAL_ERROR;
    auto real = reinterpret_cast<CK_C_GetFunctionList>(dlsym(softhsm, "C_GetFunctionList"));
    CK_FUNCTION_LIST_PTR realList = nullptr;
    if (!real || real(&realList) != CKR_OK || !realList)
        return CKR_GENERAL_ERROR;
    lockedFunctions = *realList;
    lockedFunctions.C_GetFunctionList = C_GetFunctionList;
    lockedFunctions.C_Login = lockedLogin;
    realInitialize = realList->C_Initialize;
    lockedFunctions.C_Initialize = sharedInitialize;
    lockedFunctions.C_Finalize = sharedFinalize;
    *list = &lockedFunctions;
    return CKR_OK;
}
