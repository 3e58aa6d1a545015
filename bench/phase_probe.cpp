// Preloaded (LD_PRELOAD) into a program that bench_submit runs, to split its wall time into
// phases without touching the program: this library's constructor runs once every library the
// program needs is loaded and relocated, its destructor when the program exits (after main and
// the atexit handlers). Each writes "PHASE <CLOCK_MONOTONIC µs> <name>" to standard error. It
// uses only libc, so curl and dcrctl are measured alike.
#include <cstdio>
#include <ctime>
#include <unistd.h>

namespace {

void mark(const char* name) {
    timespec now{};
    clock_gettime(CLOCK_MONOTONIC, &now);
    char line[96];
    const int n =
        std::snprintf(line, sizeof line, "PHASE %lld %s\n",
                      static_cast<long long>(now.tv_sec) * 1000000 + now.tv_nsec / 1000, name);
    if (n > 0 && ::write(STDERR_FILENO, line, static_cast<size_t>(n)) < 0)
        return; // nothing to do: the benchmark then reports the phases as missing
}

__attribute__((constructor)) void loaded() {
    mark("loaded");
}

__attribute__((destructor)) void exiting() {
    mark("exiting");
}

} // namespace
