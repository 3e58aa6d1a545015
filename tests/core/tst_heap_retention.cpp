// #26: a history page's frees must not hand the heap back to the kernel each time (that was
// 70-80 % of a page's time, see common/HeapRetention.h). Shown on glibc's main heap: the same
// allocations and frees shrink it under glibc's default settings and leave it after
// retainFreedHeapMemory().
#include "common/HeapRetention.h"

#include <QTest>

#include <cstdlib>
#include <vector>

#if defined(__GLIBC__)
#include <malloc.h>
#endif

using namespace dcr;

namespace {

#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
// Heap bytes still held after allocating about two MiB in page-sized records and freeing them.
struct HeapSizes {
    size_t peak = 0;
    size_t afterFree = 0;
};

HeapSizes allocateAndFree() {
    std::vector<void*> blocks;
    blocks.reserve(4096);
    for (int i = 0; i < 4096; ++i) {
        auto* block = static_cast<volatile char*>(std::malloc(512));
        block[0] = char(i); // touched, so the pages are really in use
        blocks.push_back(const_cast<char*>(block));
    }
    HeapSizes sizes;
    sizes.peak = mallinfo2().arena;
    for (void* block : blocks)
        std::free(block);
    sizes.afterFree = mallinfo2().arena;
    return sizes;
}
#endif

} // namespace

class TestHeapRetention : public QObject {
    Q_OBJECT

private slots:
    void freedMemoryStaysForTheNextPage() {
#if defined(__SANITIZE_ADDRESS__)
        QSKIP("AddressSanitizer replaces malloc, so glibc's heap settings do not apply");
#elif !defined(__GLIBC__)
        QVERIFY(!retainFreedHeapMemory());
#else
        // glibc's defaults: no top padding, 128 KiB trim and mmap thresholds.
        QVERIFY(mallopt(M_TOP_PAD, 0) == 1);
        QVERIFY(mallopt(M_TRIM_THRESHOLD, 128 * 1024) == 1);
        QVERIFY(mallopt(M_MMAP_THRESHOLD, 128 * 1024) == 1);
        const HeapSizes byDefault = allocateAndFree();
        QVERIFY2(byDefault.peak - byDefault.afterFree > 1024 * 1024,
                 qPrintable(QStringLiteral("default settings: %1 -> %2 bytes")
                                .arg(byDefault.peak)
                                .arg(byDefault.afterFree)));

        QVERIFY(retainFreedHeapMemory());
        const HeapSizes retained = allocateAndFree();
        QVERIFY2(retained.afterFree >= retained.peak,
                 qPrintable(QStringLiteral("retained: %1 -> %2 bytes")
                                .arg(retained.peak)
                                .arg(retained.afterFree)));
#endif
    }
};

QTEST_GUILESS_MAIN(TestHeapRetention)
#include "tst_heap_retention.moc"
