#pragma once

// Compact PS256 JWSs signed by the openssl command-line tool (software nobody here wrote) with a
// chosen PSS salt length: what the signature interop rules are tested with.

#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Key.h"

#include <QTemporaryDir>

namespace dcr::test {

// header.payload signed by `openssl dgst -sha256 -sign` with PSS padding, MGF1-SHA256 and
// rsa_pss_saltlen:saltOption ("32", "digest", "max", "20", …). Empty on failure (with a warning).
inline QByteArray opensslPs256Jws(const Key& privateKey, const QByteArray& headerJson,
                                  const QByteArray& payload, const QString& saltOption) {
    QTemporaryDir dir;
    const QByteArray input = base64url::encode(headerJson) + '.' + base64url::encode(payload);
    writeFile(dir.filePath(QStringLiteral("key.pem")), privateKey.privatePkcs8Pem());
    writeFile(dir.filePath(QStringLiteral("input.txt")), input);
    const auto r = openssl({"dgst", "-sha256", "-sign", "key.pem", "-sigopt",
                            "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:" + saltOption,
                            "-sigopt", "rsa_mgf1_md:sha256", "-out", "sig.bin", "input.txt"},
                           {}, dir.path());
    if (r.exitCode != 0) {
        qWarning("openssl dgst: %s", r.err.constData());
        return {};
    }
    return input + '.' + base64url::encode(readFile(dir.filePath(QStringLiteral("sig.bin"))));
}

} // namespace dcr::test
