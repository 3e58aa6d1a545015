#pragma once

#include "KeyMaterial.h"
#include "Pkcs11Inventory.h"
#include "common/Result.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>

namespace dcr {

// One key or certificate of a token, with what keyReport shows for files.
struct TokenEntry {
    TokenObject object;
    KeyMaterial material; // the public key, or the certificate (and its public key)
};

// What the tokens matching a pkcs11: URI hold (nothing needs a PIN): for each public key and
// certificate its URI, the URI of the private key a profile would name, the public JWK and its
// RFC 7638 thumbprint. dcrctl keys prints it; the Keys dialog shows it.
Result<QList<TokenEntry>> inspectToken(const QString& uri, const QString& configuredModule);
QJsonObject tokenReportJson(const QList<TokenEntry>& entries);
QString tokenReportText(const QList<TokenEntry>& entries, const QDateTime& now);

} // namespace dcr
