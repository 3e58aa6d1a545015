#pragma once

#include <QList>
#include <QSslCipher>
#include <QString>

#include <optional>

namespace dcr {

// Which TLS 1.2 cipher suites a profile may use.
//  - Fapi: profiles of a FAPI spec (UK OBIE DCR 3.x and the presets built on it: uk-obie,
//    open-finance-brasil). FAPI 1.0 Advanced (Part 2) §8.5: "For TLS versions below 1.3, only
//    the following 4 cipher suites shall be permitted: TLS_DHE_RSA_WITH_AES_128_GCM_SHA256,
//    TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_256_GCM_SHA384,
//    TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384". Only these are offered under TLS 1.2, and any other
//    suite ends the exchange before a byte of the request is sent. TLS 1.3 suites stay allowed.
//  - Standard: the seed API and generic RFC 7591 profiles. Any suite Qt/OpenSSL accepts, but one
//    without forward secrecy is warned about with the exchange.
enum class TlsPolicy { Standard, Fapi };

namespace tlspolicy {

// The four suites of FAPI 1.0 Advanced §8.5, as their IANA names.
const QStringList& fapiTls12Suites();
// "TLS_RSA_WITH_AES_128_CBC_SHA" for OpenSSL's "AES128-SHA"; the name itself when unknown.
QString standardName(const QSslCipher& cipher);
// "the TLS 1.2 suite AES128-SHA (TLS_RSA_WITH_AES_128_CBC_SHA)"
QString describe(const QSslCipher& cipher);
// TLS 1.3, or a TLS 1.2 suite with an ephemeral (EC)DH key exchange.
bool isForwardSecret(const QSslCipher& cipher);
// The suites to offer: empty (the default list) for Standard; TLS 1.3's and FAPI's four for Fapi.
QList<QSslCipher> offeredCiphers(TlsPolicy policy);
// Why the negotiated suite may not be used under the policy; nullopt when it may.
std::optional<QString> refusal(TlsPolicy policy, const QSslCipher& cipher);
// What to warn about when the negotiated suite is used; nullopt when nothing.
std::optional<QString> warning(TlsPolicy policy, const QSslCipher& cipher);

} // namespace tlspolicy

} // namespace dcr
