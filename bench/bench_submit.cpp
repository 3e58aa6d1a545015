// dcrctl beside curl (#26), each a fresh process per iteration, wall time:
// - submit: the same signed request to the same mutual-TLS sandbox (a dcr-sandbox process in seed
//   mode), `dcrctl submit --no-history --token` beside `curl --cert --key --data-binary`;
// - start: `dcrctl --version` beside `curl --version`.
// - submit_phases: dcrctl, curl and bench_submit_floor (the same request with nothing but
//   QCoreApplication and QSslSocket: Qt's share) in rotation, one of each per iteration, each
//   split into phases by bench_phase_probe (preloaded): load (exec until every library is loaded
//   and relocated), work (static initialisers, main, atexit handlers) and exit (until the process
//   is reaped); medians per program and the ratios of the medians.
// Both programs get the same certificate, key and CA bundle; making the kit (RSA keys) and
// starting the sandbox are set-up, not measured.
#include "RatioReporter.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QDir>
#include <QTemporaryDir>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <ctime>
#include <vector>

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

QStringList oursArgs(const SubmitFixture& f) {
    return {QStringLiteral("submit"),   QStringLiteral("--no-history"),
            QStringLiteral("--url"),    f.url,
            QStringLiteral("--cert"),   f.kit("tpp-transport.pem"),
            QStringLiteral("--key"),    f.kit("tpp-transport-key.pem"),
            QStringLiteral("--cacert"), f.kit("ca.pem"),
            QStringLiteral("--token"),  f.tokenFile};
}

QStringList curlArgs(const SubmitFixture& f) {
    return {QStringLiteral("-s"),
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
}

void submitOurs(benchmark::State& state) {
    const QStringList args = oursArgs(fixture());
    runToEnd(state, QStringLiteral(DCRCTL_PATH), args); // first run: the home's settings
    for (auto _ : state)
        runToEnd(state, QStringLiteral(DCRCTL_PATH), args);
}

void submitBaseline(benchmark::State& state) {
    const QStringList args = curlArgs(fixture());
    for (auto _ : state)
        runToEnd(state, QStringLiteral("curl"), args);
}

double monotonicMs() {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

// One run's wall time and its phases (NaN when the probe's marks are missing).
struct PhasedRun {
    double total = NAN, load = NAN, work = NAN, exit = NAN;
};

PhasedRun runPhased(benchmark::State& state, const QString& program, const QStringList& args) {
    QProcess proc;
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const QString home = fixture().dir.filePath(QStringLiteral("home"));
    env.insert(QStringLiteral("XDG_CONFIG_HOME"), home + QStringLiteral("/config"));
    env.insert(QStringLiteral("XDG_DATA_HOME"), home + QStringLiteral("/data"));
    env.remove(QStringLiteral("DCR_HISTORY_DB"));
    env.insert(QStringLiteral("LD_PRELOAD"), QStringLiteral(PHASE_PROBE_PATH));
    proc.setProcessEnvironment(env);
    PhasedRun run;
    const double start = monotonicMs();
    proc.start(program, args);
    proc.closeWriteChannel();
    const bool finished = proc.waitForFinished(30000);
    run.total = monotonicMs() - start;
    const QByteArray err = proc.readAllStandardError();
    if (!finished || proc.exitStatus() != QProcess::NormalExit || proc.exitCode() != 0) {
        proc.kill();
        state.SkipWithError(
            qPrintable(program + QStringLiteral(" failed: ") + QString::fromUtf8(err.left(300))));
        return run;
    }
    double loaded = NAN, exiting = NAN;
    for (const QByteArray& line : err.split('\n')) {
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() == 3 && parts[0] == "PHASE")
            (parts[2] == "loaded" ? loaded : exiting) = parts[1].toDouble() / 1e3;
    }
    run.load = loaded - start;
    run.work = exiting - loaded;
    run.exit = start + run.total - exiting;
    return run;
}

double median(std::vector<double> values) {
    std::erase_if(values, [](double v) { return std::isnan(v); });
    if (values.empty())
        return NAN;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    return values.size() % 2 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}

void submitPhases(benchmark::State& state) {
    SubmitFixture& f = fixture();
    QStringList floorArgs{f.url, f.kit("tpp-transport.pem"), f.kit("tpp-transport-key.pem"),
                          f.kit("ca.pem"), f.tokenFile};
    const std::array<std::pair<QString, QStringList>, 3> programs{{
        {QStringLiteral(DCRCTL_PATH), oursArgs(f)},
        {QStringLiteral(FLOOR_PATH), floorArgs},
        {QStringLiteral("curl"), curlArgs(f)},
    }};
    const std::array<const char*, 3> names{"dcrctl", "qt_floor", "curl"};
    runToEnd(state, programs[0].first, programs[0].second);    // first run: the home's settings
    std::array<std::array<std::vector<double>, 4>, 3> samples; // [program][total, load, work, exit]
    size_t round = 0;
    for (auto _ : state) {
        // Rotating order, so no program always runs right after another one.
        for (size_t i = 0; i < programs.size(); ++i) {
            const size_t p = (round + i) % programs.size();
            const PhasedRun r = runPhased(state, programs[p].first, programs[p].second);
            for (auto [k, v] : {std::pair{0, r.total}, {1, r.load}, {2, r.work}, {3, r.exit}})
                samples[p][k].push_back(v);
        }
        ++round;
    }
    std::array<std::array<double, 4>, 3> med{};
    for (size_t p = 0; p < 3; ++p)
        for (size_t k = 0; k < 4; ++k)
            med[p][k] = median(samples[p][k]);
    std::printf("\nsubmit phases, medians of %zu interleaved runs each (ms):\n"
                "%-10s %8s %8s %8s %8s %8s\n",
                round, "program", "total", "load", "work", "exit", "vs curl");
    for (size_t p = 0; p < 3; ++p)
        std::printf("%-10s %8.2f %8.2f %8.2f %8.2f %7.2fx\n", names[p], med[p][0], med[p][1],
                    med[p][2], med[p][3], med[p][0] / med[2][0]);
    std::fflush(stdout);
    state.counters["dcrctl_ms"] = med[0][0];
    state.counters["qt_floor_ms"] = med[1][0];
    state.counters["curl_ms"] = med[2][0];
    state.counters["dcrctl_x"] = med[0][0] / med[2][0];
    state.counters["qt_floor_x"] = med[1][0] / med[2][0];
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
// 31 rounds: about 3 s of runs, enough for stable medians on a shared 2-core machine.
BENCHMARK(submitPhases)
    ->Name("submit_phases")
    ->Iterations(31)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);
BENCHMARK(startOurs)->Name("process_start/ours")->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(startBaseline)
    ->Name("process_start/baseline")
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

DCR_BENCHMARK_MAIN()
