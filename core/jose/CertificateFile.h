#pragma once

#include "Certificate.h"
#include "common/Result.h"

#include <QByteArray>
#include <QString>

namespace dcr {

// The certificate a file holds, for the front ends that compare a subject DN with one (dcrctl dn,
// the console's "Compare with certificate…" and the Keys dialog's DN panel): PEM, DER or PKCS#12
// (without a passphrase); of a chain, the leaf. A file holding only a key is refused by name, so
// the user knows which file to give instead.
Result<Certificate> certificateFromBytes(const QByteArray& bytes, const QString& source);
// The same from a local file (not a FIFO or device, at most keyloader::MaxKeyFileSize).
Result<Certificate> certificateFromFile(const QString& path);

} // namespace dcr
