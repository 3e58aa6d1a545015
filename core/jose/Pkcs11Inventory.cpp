#include "Pkcs11Inventory.h"

#include <QFileInfo>

#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <mutex>

namespace dcr {

namespace {

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
                     QStringLiteral("PKCS#11 module %1 does not exist; install it or point "
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
                     QStringLiteral("%1 is not a PKCS#11 module: %2")
                         .arg(modulePath,
                              QString::fromLocal8Bit(handle ? "no C_GetFunctionList" : dlerror()))};
    CK_C_INITIALIZE_ARGS args{};
    args.flags = CKF_OS_LOCKING_OK;
    const CK_RV rv = functions->C_Initialize(&args);
    // Already initialised (by the engine, or an earlier listing) is fine: the module is shared and
    // deliberately never finalised here.
    if (rv != CKR_OK && rv != CKR_CRYPTOKI_ALREADY_INITIALIZED)
        return Error{ErrorKind::TokenModuleMissing,
                     QStringLiteral("PKCS#11 module %1 failed to initialise (%2)")
                         .arg(modulePath, ckrHex(rv))};
    return functions;
}

QByteArray attribute(CK_FUNCTION_LIST_PTR f, CK_SESSION_HANDLE session, CK_OBJECT_HANDLE object,
                     CK_ATTRIBUTE_TYPE type) {
    CK_ATTRIBUTE attr{type, nullptr, 0};
    if (f->C_GetAttributeValue(session, object, &attr, 1) != CKR_OK ||
        attr.ulValueLen == CK_UNAVAILABLE_INFORMATION)
        return {};
    QByteArray value(static_cast<qsizetype>(attr.ulValueLen), '\0');
    attr.pValue = value.data();
    if (f->C_GetAttributeValue(session, object, &attr, 1) != CKR_OK)
        return {};
    return value;
}

QString typeName(CK_OBJECT_CLASS cls) {
    switch (cls) {
    case CKO_PUBLIC_KEY:
        return QStringLiteral("public");
    case CKO_PRIVATE_KEY:
        return QStringLiteral("private");
    case CKO_CERTIFICATE:
        return QStringLiteral("cert");
    default:
        return {};
    }
}

QString objectUri(const QString& token, const QString& label, const QByteArray& id,
                  const QString& type) {
    QString uri = QStringLiteral("pkcs11:token=") + pkcs11PercentEncode(token.toUtf8());
    if (!id.isEmpty())
        uri += QStringLiteral(";id=") + pkcs11PercentEncode(id);
    if (!label.isEmpty())
        uri += QStringLiteral(";object=") + pkcs11PercentEncode(label.toUtf8());
    return uri + QStringLiteral(";type=") + type;
}

bool matches(const Pkcs11Uri& filter, const QString& name, const QByteArray& value) {
    return !filter.hasPath(name) || filter.pathValue(name) == value;
}

void listSlot(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot, const Pkcs11Uri& filter,
              QList<TokenObject>& out) {
    CK_TOKEN_INFO info{};
    if (f->C_GetTokenInfo(slot, &info) != CKR_OK)
        return;
    const QString token = fixedText(info.label, sizeof info.label);
    if (!matches(filter, QStringLiteral("token"), token.toUtf8()) ||
        !matches(filter, QStringLiteral("serial"),
                 fixedText(info.serialNumber, sizeof info.serialNumber).toUtf8()))
        return;
    CK_SESSION_HANDLE session = 0;
    if (f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session) != CKR_OK)
        return;
    if (f->C_FindObjectsInit(session, nullptr, 0) == CKR_OK) {
        CK_OBJECT_HANDLE objects[64];
        CK_ULONG count = 0;
        while (f->C_FindObjects(session, objects, 64, &count) == CKR_OK && count > 0) {
            for (CK_ULONG i = 0; i < count; ++i) {
                const QByteArray cls = attribute(f, session, objects[i], CKA_CLASS);
                if (cls.size() != sizeof(CK_OBJECT_CLASS))
                    continue;
                CK_OBJECT_CLASS objectClass = 0;
                memcpy(&objectClass, cls.constData(), sizeof objectClass);
                TokenObject o;
                o.token = token;
                o.type = typeName(objectClass);
                if (o.type.isEmpty())
                    continue;
                o.label = QString::fromUtf8(attribute(f, session, objects[i], CKA_LABEL));
                o.id = attribute(f, session, objects[i], CKA_ID);
                if (!matches(filter, QStringLiteral("object"), o.label.toUtf8()) ||
                    !matches(filter, QStringLiteral("id"), o.id) ||
                    !matches(filter, QStringLiteral("type"), o.type.toUtf8()))
                    continue;
                if (objectClass == CKO_CERTIFICATE)
                    o.certificate = attribute(f, session, objects[i], CKA_VALUE);
                o.uri = objectUri(token, o.label, o.id, o.type);
                out << o;
            }
        }
        f->C_FindObjectsFinal(session);
    }
    f->C_CloseSession(session);
}

} // namespace

QString TokenObject::privateKeyUri() const {
    return objectUri(token, label, id, QStringLiteral("private"));
}

Result<QList<TokenObject>> listTokenObjects(const QString& modulePath, const Pkcs11Uri& filter) {
    auto functions = openModule(modulePath);
    if (!functions)
        return functions.error();
    CK_FUNCTION_LIST_PTR f = *functions;
    CK_ULONG count = 0;
    if (const CK_RV rv = f->C_GetSlotList(CK_TRUE, nullptr, &count); rv != CKR_OK)
        return Error{ErrorKind::TokenObjectNotFound,
                     QStringLiteral("PKCS#11 module %1 cannot list its slots (%2)")
                         .arg(modulePath, ckrHex(rv))};
    QList<CK_SLOT_ID> slotIds(static_cast<qsizetype>(count));
    if (count > 0 && f->C_GetSlotList(CK_TRUE, slotIds.data(), &count) != CKR_OK)
        return Error{ErrorKind::TokenObjectNotFound,
                     QStringLiteral("PKCS#11 module %1 cannot list its slots").arg(modulePath)};
    slotIds.resize(static_cast<qsizetype>(count));
    QList<TokenObject> out;
    for (CK_SLOT_ID slot : slotIds)
        listSlot(f, slot, filter, out);
    return out;
}

} // namespace dcr
