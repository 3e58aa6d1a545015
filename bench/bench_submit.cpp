// dcrctl beside curl (#26), each a fresh process per iteration, wall time:
// - submit: the same signed request to the same mutual-TLS sandbox (a dcr-sandbox process in seed
//   mode), `dcrctl submit --no-history --token` beside `curl --cert --key --data-binary`;
// - start: `dcrctl --version` beside `curl --version`.
// Both programs get the same certificate, key and CA bundle; making the kit (RSA keys) and
// starting the sandbox are set-up, not measured.
#include "RatioReporter.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QDir>
#include <QTemporaryDir>

using namespace dcr;

namespace {

struct SubmitFixture {
    QTemporaryDir dir;
    QProcess sandbox;
    QString url;
    QString tokenFile;

    SubmitFixture() {
        const QString kitDir = dir.filePath(QStringLiteral("kit"));
        auto kit = SandboxKit::create(kitDir);
        if (!kit)
            qFatal("sandbox kit: %s", qPrintable(kit.error().message));
        const auto token =
            kit->demoRequest(QDateTime::currentDateTimeUtc())
                .sign(kit->tppSigningKey(), {JwsAlgorithm::PS256, kit->tppSigningKid(), {}});
        tokenFile = dir.filePath(QStringLiteral("request.jwt"));
        QFile f(tokenFile);
        if (!token || !f.open(QIODevice::WriteOnly) || f.write(*token) != token->size())
            qFatal("cannot write the signed request");
        f.close();
        const quint16 port = test::startSandboxProcess(sandbox, QStringLiteral(SANDBOX_PATH),
                                                       kitDir, QStringLiteral("seed"));
        if (port == 0)
            qFatal("dcr-sandbox did not start");
        url = QStringLiteral("https://localhost:%1/api/open-banking/v3.1/tpp/register").arg(port);
    }
    ~SubmitFixture() {
        sandbox.kill();
        sandbox.waitForFinished();
    }
    QString kit(const char* file) const {
        return dir.filePath(QStringLiteral("kit/") + QLatin1String(file));
    }
};

std::unique_ptr<SubmitFixture> g_fixture;

SubmitFixture& fixture() {
    if (!g_fixture) {
        g_fixture = std::make_unique<SubmitFixture>();
        qAddPostRoutine([] { g_fixture.reset(); });
    }
    return *g_fixture;
}

// One run of a program to its end; a failure stops the benchmark with what the program said.
void runToEnd(benchmark::State& state, const QString& program, const QStringList& args) {
    const test::ProcessResult r =
        test::runWithHome(program, args, fixture().dir.filePath(QStringLiteral("home")), 30000);
    if (r.exitCode != 0)
        state.SkipWithError(
            qPrintable(program + QStringLiteral(" failed: ") + QString::fromUtf8(r.err.left(300))));
}

void submitOurs(benchmark::State& state) {
    SubmitFixture& f = fixture();
    const QStringList args{QStringLiteral("submit"),   QStringLiteral("--no-history"),
                           QStringLiteral("--url"),    f.url,
                           QStringLiteral("--cert"),   f.kit("tpp-transport.pem"),
                           QStringLiteral("--key"),    f.kit("tpp-transport-key.pem"),
                           QStringLiteral("--cacert"), f.kit("ca.pem"),
                           QStringLiteral("--token"),  f.tokenFile};
    runToEnd(state, QStringLiteral(DCRCTL_PATH), args); // first run: the home's settings
    for (auto _ : state)
        runToEnd(state, QStringLiteral(DCRCTL_PATH), args);
}

void submitBaseline(benchmark::State& state) {
    SubmitFixture& f = fixture();
    const QStringList args{QStringLiteral("-s"),
                           QStringLiteral("-f"),
                           QStringLiteral("-o"),
                           QStringLiteral("/dev/null"),
                           QStringLiteral("--noproxy"),
                           QStringLiteral("*"),
                           QStringLiteral("--cert"),
                           f.kit("tpp-transport.pem"),
                           QStringLiteral("--key"),
                           f.kit("tpp-transport-key.pem"),
                           QStringLiteral("--cacert"),
                           f.kit("ca.pem"),
                           QStringLiteral("-H"),
                           QStringLiteral("Content-Type: application/jwt"),
                           QStringLiteral("--data-binary"),
                           QStringLiteral("@") + f.tokenFile,
                           f.url};
    for (auto _ : state)
        runToEnd(state, QStringLiteral("curl"), args);
}

void startOurs(benchmark::State& state) {
    for (auto _ : state)
        runToEnd(state, QStringLiteral(DCRCTL_PATH), {QStringLiteral("--version")});
}

void startBaseline(benchmark::State& state) {
    for (auto _ : state)
        runToEnd(state, QStringLiteral("curl"), {QStringLiteral("--version")});
}

} // namespace

BENCHMARK(submitOurs)->Name("submit/ours")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(submitBaseline)->Name("submit/baseline")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(startOurs)->Name("process_start/ours")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(startBaseline)
    ->Name("process_start/baseline")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

DCR_BENCHMARK_MAIN()
