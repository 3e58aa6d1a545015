#pragma once

// Console reporter that, after the usual table, prints every ".../ours" benchmark beside its
// ".../baseline" from the same run as a ratio (ours / baseline of mean real time per iteration).

#include "common/HeapRetention.h"

#include <QCoreApplication>

#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

namespace dcr::bench {

class RatioReporter : public benchmark::ConsoleReporter {
public:
    void ReportRuns(const std::vector<Run>& runs) override {
        ConsoleReporter::ReportRuns(runs);
        for (const Run& run : runs) {
            if (run.run_type != Run::RT_Iteration || run.iterations == 0)
                continue;
            const std::string name = run.benchmark_name();
            m_times[name] = run.GetAdjustedRealTime();
            m_units[name] = benchmark::GetTimeUnitString(run.time_unit);
        }
    }

    void Finalize() override {
        ConsoleReporter::Finalize();
        std::printf("\n%-44s %14s %14s %8s\n", "measurement", "ours", "baseline", "ratio");
        for (const auto& [name, ours] : m_times) {
            const auto slash = name.rfind("/ours");
            if (slash == std::string::npos)
                continue;
            const std::string stem = name.substr(0, slash);
            const std::string rest = name.substr(slash + 5);
            const auto base = m_times.find(stem + "/baseline" + rest);
            if (base == m_times.end())
                continue;
            std::printf("%-44s %11.2f %-2s %11.2f %-2s %7.2fx\n", (stem + rest).c_str(), ours,
                        m_units[name].c_str(), base->second, m_units[base->first].c_str(),
                        ours / base->second);
        }
        std::fflush(stdout);
    }

private:
    std::map<std::string, double> m_times;
    std::map<std::string, std::string> m_units;
};

} // namespace dcr::bench

// A QCoreApplication lives for the whole run: the history store and the test PostgreSQL server
// use Qt objects that need one, and fixtures that a benchmark file registers with qAddPostRoutine
// are torn down while it still exists (a function-local static would be destroyed after it, and
// hung there). The ratio table is added only to the console format: with --benchmark_format=json
// or csv the library's own reporter writes clean output.
#define DCR_BENCHMARK_MAIN()                                                                       \
    int main(int argc, char** argv) {                                                              \
        dcr::retainFreedHeapMemory(); /* as the programs measured do */                            \
        QCoreApplication app(argc, argv);                                                          \
        bool console = true;                                                                       \
        for (int i = 1; i < argc; ++i)                                                             \
            if (std::string(argv[i]).rfind("--benchmark_format=", 0) == 0 &&                       \
                std::string(argv[i]) != "--benchmark_format=console")                              \
                console = false;                                                                   \
        benchmark::Initialize(&argc, argv);                                                        \
        if (benchmark::ReportUnrecognizedArguments(argc, argv))                                    \
            return 1;                                                                              \
        dcr::bench::RatioReporter reporter;                                                        \
        if (console)                                                                               \
            benchmark::RunSpecifiedBenchmarks(&reporter);                                          \
        else                                                                                       \
            benchmark::RunSpecifiedBenchmarks();                                                   \
        benchmark::Shutdown();                                                                     \
        return 0;                                                                                  \
    }
