// A PKCS#11 module for tests that behaves like a token that counts wrong PINs and locks, which
// SoftHSM2 never does. It forwards every call to SoftHSM2, except that for the tokens named in
// $DCR_TEST_PIN_TRIES ("label=left/max;other=left/max") it keeps a try counter as a smart card or
// HSM does (PKCS#11 v2.40 section 5.7.3, C_GetTokenInfo flags):
//   - a wrong user PIN (SoftHSM2's CKR_PIN_INCORRECT) uses up one try; a right one restores all;
//   - with no tries left C_Login answers CKR_PIN_LOCKED without asking SoftHSM2;
//   - C_GetTokenInfo reports CKF_USER_PIN_COUNT_LOW after a wrong PIN, CKF_USER_PIN_FINAL_TRY with
//     one try left and CKF_USER_PIN_LOCKED with none.
// Every C_Login is appended to the file $DCR_TEST_PKCS11_LOG ("C_Login <label> <rv>"), so a test
// can count logins. It signs nothing itself.
#include <dlfcn.h>

#include <p11-kit/pkcs11.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <mutex>
#include <string>

namespace {

struct Tries {
    int left = 0;
    int max = 0;
};

CK_FUNCTION_LIST counterFunctions;
CK_FUNCTION_LIST_PTR real = nullptr;
std::mutex stateMutex;
std::map<std::string, Tries> counted; // by token label, from the environment when first seen
std::map<std::string, bool> seen;

std::string labelOf(const CK_TOKEN_INFO& info) {
    std::string label(reinterpret_cast<const char*>(info.label), sizeof info.label);
    return label.substr(0, label.find_last_not_of(' ') + 1);
}

// The counter of a token named in $DCR_TEST_PIN_TRIES, or nullptr. Call with stateMutex held.
Tries* triesFor(const std::string& label) {
    if (!seen[label]) {
        seen[label] = true;
        const char* env = std::getenv("DCR_TEST_PIN_TRIES");
        const std::string spec = env ? env : "";
        const std::string key = label + "=";
        for (size_t at = 0; at < spec.size();) {
            const size_t end = std::min(spec.find(';', at), spec.size());
            const std::string item = spec.substr(at, end - at);
            if (item.rfind(key, 0) == 0) {
                Tries t;
                if (std::sscanf(item.c_str() + key.size(), "%d/%d", &t.left, &t.max) == 2)
                    counted[label] = t;
            }
            at = end + 1;
        }
    }
    auto it = counted.find(label);
    return it == counted.end() ? nullptr : &it->second;
}

void logLogin(const std::string& label, CK_RV rv) {
    const char* path = std::getenv("DCR_TEST_PKCS11_LOG");
    if (!path || !*path)
        return;
    if (FILE* f = std::fopen(path, "a")) {
        std::fprintf(f, "C_Login %s 0x%lx\n", label.c_str(), static_cast<unsigned long>(rv));
        std::fclose(f);
    }
}

// The test process may already have SoftHSM2 initialised through another engine; this module
// shares that instance instead of failing, and leaves finalising to its first user.
CK_RV sharedInitialize(CK_VOID_PTR args) {
    const CK_RV rv = real->C_Initialize(args);
    return rv == CKR_CRYPTOKI_ALREADY_INITIALIZED ? CKR_OK : rv;
}

CK_RV sharedFinalize(CK_VOID_PTR) {
    return CKR_OK;
}

CK_RV countedTokenInfo(CK_SLOT_ID slot, CK_TOKEN_INFO_PTR info) {
    const CK_RV rv = real->C_GetTokenInfo(slot, info);
    if (rv != CKR_OK)
        return rv;
    std::lock_guard lock(stateMutex);
    if (const Tries* t = triesFor(labelOf(*info))) {
        info->flags &= ~(CKF_USER_PIN_COUNT_LOW | CKF_USER_PIN_FINAL_TRY | CKF_USER_PIN_LOCKED);
        if (t->left < t->max)
            info->flags |= CKF_USER_PIN_COUNT_LOW;
        if (t->left == 1)
            info->flags |= CKF_USER_PIN_FINAL_TRY;
        if (t->left <= 0)
            info->flags |= CKF_USER_PIN_LOCKED;
    }
    return CKR_OK;
}

CK_RV countedLogin(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR_PTR pin,
                   CK_ULONG length) {
    CK_SESSION_INFO sessionInfo{};
    CK_TOKEN_INFO tokenInfo{};
    std::string label;
    if (real->C_GetSessionInfo(session, &sessionInfo) == CKR_OK &&
        real->C_GetTokenInfo(sessionInfo.slotID, &tokenInfo) == CKR_OK)
        label = labelOf(tokenInfo);
    std::unique_lock lock(stateMutex);
    Tries* t = user == CKU_USER ? triesFor(label) : nullptr;
    if (t && t->left <= 0) {
        logLogin(label, CKR_PIN_LOCKED);
        return CKR_PIN_LOCKED;
    }
    const CK_RV rv = real->C_Login(session, user, pin, length);
    if (t && rv == CKR_PIN_INCORRECT)
        --t->left;
    else if (t && (rv == CKR_OK || rv == CKR_USER_ALREADY_LOGGED_IN))
        t->left = t->max;
    logLogin(label, rv);
    return rv;
}

} // namespace

extern "C" __attribute__((visibility("default"))) CK_RV
C_GetFunctionList(CK_FUNCTION_LIST_PTR_PTR list) {
    static void* softhsm = dlopen(DCR_SOFTHSM_MODULE, RTLD_NOW | RTLD_LOCAL);
    if (!softhsm || !list)
        return CKR_GENERAL_ERROR;
    auto getReal = reinterpret_cast<CK_C_GetFunctionList>(dlsym(softhsm, "C_GetFunctionList"));
    if (!getReal || getReal(&real) != CKR_OK || !real)
        return CKR_GENERAL_ERROR;
    counterFunctions = *real;
    counterFunctions.C_GetFunctionList = C_GetFunctionList;
    counterFunctions.C_Initialize = sharedInitialize;
    counterFunctions.C_Finalize = sharedFinalize;
    counterFunctions.C_GetTokenInfo = countedTokenInfo;
    counterFunctions.C_Login = countedLogin;
    *list = &counterFunctions;
    return CKR_OK;
}
