#pragma once

#include "KeyMaterial.h"

#include <QJsonObject>
#include <QString>

namespace dcr {

// What a key or certificate file holds, for people: format, key type, public JWK with its
// RFC 7638 thumbprint as kid, each certificate's subject (both RFC 4514 renderings), issuer,
// validity, SANs, usage and fingerprint. dcrctl keys prints it; the Keys dialog shows it.
QJsonObject keyReportJson(const KeyMaterial& material);
QString keyReportText(const KeyMaterial& material, const QDateTime& now);

} // namespace dcr
