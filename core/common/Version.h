#pragma once

#include <QString>

namespace dcr {

QString productVersion();
// The OpenSSL library actually loaded at run time (e.g. "OpenSSL 3.0.x ...").
QString cryptoLibraryVersion();

} // namespace dcr
