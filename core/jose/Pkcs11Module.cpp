#include "Pkcs11Module.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QList>

#include <dlfcn.h>

#include <mutex>

namespace dcr::pkcs11 {

namespace {

// Messages the user reads, in the language of the running program.
struct Pkcs11ModuleTr {
    Q_DECLARE_TR_FUNCTIONS(Pkcs11Module)
};

} // namespace

QString fixedText(const unsigned char* text, size_t size) {
    // PKCS#11 pads fixed-size text fields with blanks.
    return QString::fromUtf8(reinterpret_cast<const char*>(text), static_cast<qsizetype>(size))
        .trimmed();
}

QString ckrHex(CK_RV rv) {
    return QStringLiteral("CKR 0x%1").arg(static_cast<qulonglong>(rv), 0, 16);
}

Result<CK_FUNCTION_LIST_PTR> openModule(const QString& modulePath) {
    static std::mutex mutex;
    std::lock_guard lock(mutex);
    if (!QFileInfo(modulePath).isFile())
        return Error{ErrorKind::TokenModuleMissing,
                     Pkcs11ModuleTr::tr("PKCS#11 module %1 does not exist; install it or point "
                                        "DCR_PKCS11_MODULE (or the profile's PKCS#11 module) at it")
                         .arg(modulePath)};
    // Never dlclose'd: OpenSSL's pkcs11 engine may load the same module.
    void* handle = dlopen(modulePath.toLocal8Bit().constData(), RTLD_NOW | RTLD_LOCAL);
    auto getList = handle
                       ? reinterpret_cast<CK_C_GetFunctionList>(dlsym(handle, "C_GetFunctionList"))
                       : nullptr;
    CK_FUNCTION_LIST_PTR functions = nullptr;
    if (!getList || getList(&functions) != CKR_OK || !functions)
        return Error{ErrorKind::TokenModuleMissing,
                     Pkcs11ModuleTr::tr("%1 is not a PKCS#11 module: %2")
                         .arg(modulePath,
                              QString::fromLocal8Bit(handle ? "no C_GetFunctionList" : dlerror()))};
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    const CK_RV rv = functions->C_Initialize(&args);
    // Already initialised (by the engine, or an earlier listing) is fine: the module is shared and
    // deliberately never finalised here.
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        return Error{ErrorKind::TokenModuleMissing,
                     Pkcs11ModuleTr::tr("PKCS#11 module %1 failed to initialise (%2)")
                         .arg(modulePath, ckrHex(rv))};
    return functions;
}

Result<QList<CK_SLOT_ID>> slotsWithToken(CK_FUNCTION_LIST_PTR f, const QString& modulePath) {
    CK_ULONG count = 0;
    if (const CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK)
        return Error{ErrorKind::TokenObjectNotFound,
                     Pkcs11ModuleTr::tr("PKCS#11 module %1 cannot list its slots (%2)")
                         .arg(modulePath, ckrHex(rv))};
    QList<CK_SLOT_ID> slotIds(static_cast<qsizetype>(count));
    if (count > 0 && f->C_GetSlotList(CK_TRUE, slotIds.data(), &count) != CKR_OK)
        return Error{ErrorKind::TokenObjectNotFound,
                     Pkcs11ModuleTr::tr("PKCS#11 module %1 cannot list its slots").arg(modulePath)};
    slotIds.resize(static_cast<qsizetype>(count));
    return slotIds;
}

} // namespace dcr::pkcs11
