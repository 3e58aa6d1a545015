#include "HeapRetention.h"

#if defined(__GLIBC__)
#include <malloc.h>
#endif

namespace dcr {

bool retainFreedHeapMemory() {
#if defined(__GLIBC__)
    // Setting the trim threshold turns off glibc's adaptive mmap threshold, so the mmap threshold
    // is set too: otherwise every block over 128 KiB would be mapped and unmapped each time.
    return mallopt(M_TOP_PAD, HeapTopPadBytes) == 1 &&
           mallopt(M_TRIM_THRESHOLD, HeapTrimThresholdBytes) == 1 &&
           mallopt(M_MMAP_THRESHOLD, HeapMmapThresholdBytes) == 1;
#else
    return false;
#endif
}

} // namespace dcr
