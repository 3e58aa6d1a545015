#pragma once

namespace dcr {

// Keeps freed heap memory in the process for reuse instead of handing it back to the kernel after
// every burst of frees. Each program calls it first thing in main() (the console, dcrctl,
// dcr-sandbox and the benchmarks that stand in for them).
//
// Why (#26): a history page is ~50 records of ~27 strings each; freeing a page left more than
// glibc's default 128 KiB at the top of the heap, so malloc gave it back (brk, a TLB flush on
// every CPU) and the next page faulted it in again: 70-80 % of a page's time, 3-6x the same SQL
// read raw. With 1 MiB of top padding, an 8 MiB trim threshold and large blocks (< 4 MiB) kept on
// the heap the page costs 1.1-1.2x the raw SQL (bench_history, 2-core VM). The price is at most
// a few MiB of memory the process keeps after a peak.
// Returns false where the C library offers no such settings (not glibc).
bool retainFreedHeapMemory();

// The values it sets, for its test.
inline constexpr int HeapTopPadBytes = 1 << 20;
inline constexpr int HeapTrimThresholdBytes = 8 << 20;
inline constexpr int HeapMmapThresholdBytes = 4 << 20;

} // namespace dcr
