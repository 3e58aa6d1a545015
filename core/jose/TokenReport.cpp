#include "TokenReport.h"

#include "KeyReport.h"
#include "Pkcs11Engine.h"
#include "TokenKeys.h"

#include <QCoreApplication>
#include <QJsonArray>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct TokenReportTr {
    Q_DECLARE_TR_FUNCTIONS(TokenReport)
};

} // namespace

Result<QList<TokenEntry>> inspectToken(const QString& text, const QString& configuredModule) {
    auto uri = Pkcs11Uri::parse(text);
    if (!uri)
        return uri.error();
    const QString module = Pkcs11Engine::modulePathFor(*uri, configuredModule);
    auto objects = listTokenObjects(module, *uri);
    if (!objects)
        return Error{objects.error().kind,
                     QStringLiteral("%1: %2").arg(uri->displayString(), objects.error().message)};
    QList<TokenEntry> entries;
    for (const TokenObject& object : *objects) {
        TokenEntry entry{object, {}};
        entry.material.format = QStringLiteral("PKCS#11");
        if (object.type == QStringLiteral("cert")) {
            auto cert = Certificate::fromDer(object.certificate);
            if (!cert)
                continue; // not X.509 (e.g. a WTLS or attribute certificate): nothing to show
            entry.material.certificates << *cert;
            entry.material.publicKey = cert->publicKey();
        } else if (object.type == QStringLiteral("public")) {
            auto pub = tokenkeys::loadPublic(object.uri, module);
            if (!pub)
                entry.material.warnings << pub.error().message;
            else
                entry.material.publicKey = pub->publicKey;
        }
        entries << entry;
    }
    if (entries.isEmpty())
        return Error{
            ErrorKind::TokenObjectNotFound,
            TokenReportTr::tr("%1: no key or certificate in the tokens of module %2 matches "
                              "(private keys are only visible after login; their public "
                              "keys are listed)")
                .arg(uri->displayString(), module)};
    return entries;
}

QJsonObject tokenReportJson(const QList<TokenEntry>& entries) {
    QJsonArray objects;
    for (const TokenEntry& e : entries) {
        QJsonObject o = keyReportJson(e.material);
        o.insert(QStringLiteral("uri"), e.object.uri);
        o.insert(QStringLiteral("token"), e.object.token);
        o.insert(QStringLiteral("type"), e.object.type);
        o.insert(QStringLiteral("label"), e.object.label);
        o.insert(QStringLiteral("id"), QString::fromLatin1(e.object.id.toHex()));
        if (e.object.type != QStringLiteral("cert"))
            o.insert(QStringLiteral("private_key_uri"), e.object.privateKeyUri());
        objects.append(o);
    }
    return QJsonObject{{QStringLiteral("objects"), objects}};
}

QString tokenReportText(const QList<TokenEntry>& entries, const QDateTime& now) {
    QString out;
    for (const TokenEntry& e : entries) {
        out += QStringLiteral("%1: %2\n")
                   .arg(e.object.type == QStringLiteral("cert") ? QStringLiteral("Certificate")
                                                                : QStringLiteral("Key"),
                        e.object.uri);
        if (e.object.type != QStringLiteral("cert"))
            out += QStringLiteral("  Private key: %1  (use as --signing-key / --key)\n")
                       .arg(e.object.privateKeyUri());
        for (const QString& line : keyReportText(e.material, now).split(u'\n', Qt::SkipEmptyParts))
            if (!line.startsWith(QStringLiteral("Format:")))
                out += QStringLiteral("  ") + line + u'\n';
    }
    return out;
}

} // namespace dcr
