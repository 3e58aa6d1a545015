#include "Pkcs11Inventory.h"

#include "Pkcs11Module.h"

namespace dcr {

namespace {

using pkcs11::fixedText;

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
    auto functions = pkcs11::openModule(modulePath);
    if (!functions)
        return functions.error();
    CK_FUNCTION_LIST_PTR f = *functions;
    auto slotIds = pkcs11::slotsWithToken(f, modulePath);
    if (!slotIds)
        return slotIds.error();
    QList<TokenObject> out;
    for (CK_SLOT_ID slot : *slotIds)
        listSlot(f, slot, filter, out);
    return out;
}

} // namespace dcr
