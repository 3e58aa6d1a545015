// Sign and verify for PS256, RS256 and ES256 through the JOSE core ("ours") beside the same
// operation written directly against OpenSSL's EVP API ("baseline").
#include "RatioReporter.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"

#include <openssl/evp.h>
#include <openssl/rsa.h>

using namespace dcr;

namespace {

const QByteArray kPayload =
    "{\"iss\":\"beKuxC1RniVsTeLYwfpgNP\",\"aud\":\"bank\",\"scope\":\"openid accounts "
    "payments\",\"redirect_uris\":[\"https://tpp.example.com/cb\"]}";

const Key& rsaKey() {
    static const Key key = *Key::generateRsa(2048);
    return key;
}
const Key& ecKey() {
    static const Key key = *Key::generateEcP256();
    return key;
}
const Key& keyFor(JwsAlgorithm alg) {
    return alg == JwsAlgorithm::ES256 ? ecKey() : rsaKey();
}

// Direct EVP: digest-sign the same signing input (DER output for ECDSA, as OpenSSL gives it).
QByteArray evpSign(JwsAlgorithm alg, EVP_PKEY* pkey, const QByteArray& input) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestSignInit(ctx, &pctx, EVP_sha256(), nullptr, pkey);
    if (alg == JwsAlgorithm::PS256) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
    }
    size_t len = 0;
    EVP_DigestSign(ctx, nullptr, &len, reinterpret_cast<const unsigned char*>(input.constData()),
                   input.size());
    QByteArray sig(static_cast<qsizetype>(len), '\0');
    EVP_DigestSign(ctx, reinterpret_cast<unsigned char*>(sig.data()), &len,
                   reinterpret_cast<const unsigned char*>(input.constData()), input.size());
    EVP_MD_CTX_free(ctx);
    sig.resize(static_cast<qsizetype>(len));
    return sig;
}

bool evpVerify(JwsAlgorithm alg, EVP_PKEY* pkey, const QByteArray& input, const QByteArray& sig) {
    EVP_MD_CTX* ctx = EVP_MD_CTX_new();
    EVP_PKEY_CTX* pctx = nullptr;
    EVP_DigestVerifyInit(ctx, &pctx, EVP_sha256(), nullptr, pkey);
    if (alg == JwsAlgorithm::PS256) {
        EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
        EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, 32);
    }
    const bool ok =
        EVP_DigestVerify(ctx, reinterpret_cast<const unsigned char*>(sig.constData()), sig.size(),
                         reinterpret_cast<const unsigned char*>(input.constData()),
                         input.size()) == 1;
    EVP_MD_CTX_free(ctx);
    return ok;
}

void signOurs(benchmark::State& state, JwsAlgorithm alg) {
    const Key& key = keyFor(alg);
    for (auto _ : state)
        benchmark::DoNotOptimize(
            JwsSigner::sign(kPayload, key, {alg, QStringLiteral("kid-1"), {}}));
}

void signBaseline(benchmark::State& state, JwsAlgorithm alg) {
    // The baseline also builds the header and base64url segments, so both sides do the same job.
    const Key& key = keyFor(alg);
    for (auto _ : state) {
        const QByteArray input = base64url::encode("{\"alg\":\"" + algorithmName(alg).toLatin1() +
                                                   "\",\"kid\":\"kid-1\"}") +
                                 '.' + base64url::encode(kPayload);
        benchmark::DoNotOptimize(input + '.' + base64url::encode(evpSign(alg, key.raw(), input)));
    }
}

void verifyOurs(benchmark::State& state, JwsAlgorithm alg) {
    const Key& key = keyFor(alg);
    const QByteArray token = *JwsSigner::sign(kPayload, key, {alg, QStringLiteral("kid-1"), {}});
    const Key pub = key.publicKey();
    for (auto _ : state) {
        auto jws = Jws::parse(token);
        benchmark::DoNotOptimize(JwsVerifier::verifyWithKey(*jws, pub, {alg}).ok());
    }
}

void verifyBaseline(benchmark::State& state, JwsAlgorithm alg) {
    const Key& key = keyFor(alg);
    const QByteArray input =
        base64url::encode("{\"alg\":\"x\"}") + '.' + base64url::encode(kPayload);
    const QByteArray der = evpSign(alg, key.raw(), input);
    const Key pub = key.publicKey();
    for (auto _ : state)
        benchmark::DoNotOptimize(evpVerify(alg, pub.raw(), input, der));
}

} // namespace

BENCHMARK_CAPTURE(signOurs, PS256, JwsAlgorithm::PS256)->Name("sign/PS256/ours");
BENCHMARK_CAPTURE(signBaseline, PS256, JwsAlgorithm::PS256)->Name("sign/PS256/baseline");
BENCHMARK_CAPTURE(signOurs, RS256, JwsAlgorithm::RS256)->Name("sign/RS256/ours");
BENCHMARK_CAPTURE(signBaseline, RS256, JwsAlgorithm::RS256)->Name("sign/RS256/baseline");
BENCHMARK_CAPTURE(signOurs, ES256, JwsAlgorithm::ES256)->Name("sign/ES256/ours");
BENCHMARK_CAPTURE(signBaseline, ES256, JwsAlgorithm::ES256)->Name("sign/ES256/baseline");
BENCHMARK_CAPTURE(verifyOurs, PS256, JwsAlgorithm::PS256)->Name("verify/PS256/ours");
BENCHMARK_CAPTURE(verifyBaseline, PS256, JwsAlgorithm::PS256)->Name("verify/PS256/baseline");
BENCHMARK_CAPTURE(verifyOurs, RS256, JwsAlgorithm::RS256)->Name("verify/RS256/ours");
BENCHMARK_CAPTURE(verifyBaseline, RS256, JwsAlgorithm::RS256)->Name("verify/RS256/baseline");
BENCHMARK_CAPTURE(verifyOurs, ES256, JwsAlgorithm::ES256)->Name("verify/ES256/ours");
BENCHMARK_CAPTURE(verifyBaseline, ES256, JwsAlgorithm::ES256)->Name("verify/ES256/baseline");

DCR_BENCHMARK_MAIN()
