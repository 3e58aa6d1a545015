// Decode + preflight of a typical request (the sandbox's demo request with its SSA) beside the
// least any tool must do with it: parse the JWS and its JSON payload.
#include "RatioReporter.h"
#include "registration/RequestInspection.h"
#include "sandbox/SandboxKit.h"

#include <QJsonDocument>
#include <QTemporaryDir>

using namespace dcr;

namespace {

const QByteArray& demoToken() {
    static const QByteArray token = [] {
        QTemporaryDir dir;
        const SandboxKit kit = *SandboxKit::create(dir.path());
        return *kit.demoRequest(QDateTime::currentDateTimeUtc())
                    .sign(kit.tppSigningKey(), {JwsAlgorithm::PS256, kit.tppSigningKid(), {}});
    }();
    return token;
}

void inspectOurs(benchmark::State& state) {
    const Preflight preflight;
    const QByteArray& token = demoToken(); // making the demo kit (RSA keys) is set-up
    for (auto _ : state)
        benchmark::DoNotOptimize(inspectRequest(token, false, {}, preflight));
}

void parseBaseline(benchmark::State& state) {
    const QByteArray& token = demoToken();
    for (auto _ : state) {
        const QList<QByteArray> parts = token.split('.');
        benchmark::DoNotOptimize(QJsonDocument::fromJson(
            QByteArray::fromBase64(parts[0], QByteArray::Base64UrlEncoding)));
        benchmark::DoNotOptimize(QJsonDocument::fromJson(
            QByteArray::fromBase64(parts[1], QByteArray::Base64UrlEncoding)));
    }
}

} // namespace

BENCHMARK(inspectOurs)->Name("decode+preflight/ours");
BENCHMARK(parseBaseline)->Name("decode+preflight/baseline");

DCR_BENCHMARK_MAIN()
