#include "OpenSsl.h"

#include <QStringList>

#include <openssl/err.h>

namespace dcr::ossl {

BioPtr memoryBio(const QByteArray& bytes) {
    return BioPtr(BIO_new_mem_buf(bytes.constData(), static_cast<int>(bytes.size())));
}

QByteArray bioContents(BIO* bio) {
    char* data = nullptr;
    const long size = BIO_get_mem_data(bio, &data);
    return QByteArray(data, size);
}

QString takeErrors() {
    QStringList parts;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        char buffer[256];
        ERR_error_string_n(code, buffer, sizeof buffer);
        parts << QString::fromLatin1(buffer);
    }
    return parts.join(QStringLiteral("; "));
}

int peekLastReason() {
    const unsigned long code = ERR_peek_last_error();
    return code == 0 ? 0 : ERR_GET_REASON(code);
}

void clearErrors() {
    ERR_clear_error();
}

QByteArray bignumBytes(const BIGNUM* bn, int padTo) {
    const int size = padTo > 0 ? padTo : BN_num_bytes(bn);
    QByteArray out(size, '\0');
    if (padTo > 0)
        BN_bn2binpad(bn, reinterpret_cast<unsigned char*>(out.data()), padTo);
    else
        BN_bn2bin(bn, reinterpret_cast<unsigned char*>(out.data()));
    return out;
}

} // namespace dcr::ossl
