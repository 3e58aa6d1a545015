#include "CertificateFile.h"

#include "KeyMaterial.h"
#include "common/LocalFile.h"

#include <QCoreApplication>

namespace dcr {

namespace {

struct CertificateFileTr {
    Q_DECLARE_TR_FUNCTIONS(CertificateFile)
};

} // namespace

Result<Certificate> certificateFromBytes(const QByteArray& bytes, const QString& source) {
    auto material = keyloader::load(bytes);
    if (!material)
        return material.error();
    if (material->certificates.isEmpty())
        return Error{ErrorKind::KeyWrongFileType,
                     CertificateFileTr::tr(
                         "%1 holds no certificate (a key only?); give the PEM, DER or PKCS#12 "
                         "certificate whose subject DN you mean")
                         .arg(source)};
    return material->leaf();
}

Result<Certificate> certificateFromFile(const QString& path) {
    auto bytes = readLocalFile(path, keyloader::MaxKeyFileSize);
    if (!bytes)
        return bytes.error();
    return certificateFromBytes(*bytes, path);
}

} // namespace dcr
