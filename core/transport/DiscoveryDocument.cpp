#include "DiscoveryDocument.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct DiscoveryDocumentTr {
    Q_DECLARE_TR_FUNCTIONS(DiscoveryDocument)
};

} // namespace

Result<DiscoveryDocument> DiscoveryDocument::parse(const QByteArray& json) {
    auto object = parseJsonObject(json, DiscoveryDocumentTr::tr("the discovery document"));
    if (!object)
        return object.error();
    DiscoveryDocument doc;
    doc.issuer = QUrl(object->value(QStringLiteral("issuer")).toString());
    doc.registrationEndpoint =
        QUrl(object->value(QStringLiteral("registration_endpoint")).toString());
    if (!doc.registrationEndpoint.isValid() || doc.registrationEndpoint.isEmpty())
        return Error{
            ErrorKind::JsonInvalid,
            DiscoveryDocumentTr::tr("the discovery document has no registration_endpoint; this "
                                    "ASPSP may not support DCR")};
    const QJsonObject aliases = object->value(QStringLiteral("mtls_endpoint_aliases")).toObject();
    for (auto it = aliases.begin(); it != aliases.end(); ++it)
        if (const QUrl alias(it.value().toString());
            it.value().isString() && alias.isValid() && !alias.host().isEmpty())
            doc.mtlsEndpointAliases << alias;
    for (auto it = object->begin(); it != object->end(); ++it) {
        if (!it.key().endsWith(QStringLiteral("_supported")) || !it.value().isArray())
            continue;
        QStringList values;
        for (const auto& v : it.value().toArray())
            if (v.isString())
                values << v.toString();
        doc.supported.insert(it.key(), values);
    }
    return doc;
}

} // namespace dcr
