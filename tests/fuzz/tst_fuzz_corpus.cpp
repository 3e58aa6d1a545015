// Replays every committed fuzz corpus file through its fuzz target in the ordinary test builds, so
// that past findings (and the seed inputs) run under the asan preset in CI, not only when someone
// runs the fuzzers. Each target's LLVMFuzzerTestOneInput is renamed at compile time (CMake).
#include <QDir>
#include <QFile>
#include <QTest>

#include <cstdint>

extern "C" int dcrFuzzJws(const uint8_t* data, size_t size);
extern "C" int dcrFuzzJwks(const uint8_t* data, size_t size);
extern "C" int dcrFuzzSsa(const uint8_t* data, size_t size);
extern "C" int dcrFuzzResponse(const uint8_t* data, size_t size);
extern "C" int dcrFuzzKeys(const uint8_t* data, size_t size);
extern "C" int dcrFuzzToken(const uint8_t* data, size_t size);
extern "C" int dcrFuzzDn(const uint8_t* data, size_t size);
extern "C" int dcrFuzzMask(const uint8_t* data, size_t size);
extern "C" int dcrFuzzHttp(const uint8_t* data, size_t size);

using FuzzTarget = int (*)(const uint8_t*, size_t);
Q_DECLARE_METATYPE(FuzzTarget)

namespace {
struct Target {
    const char* name;
    FuzzTarget run;
};
const Target kTargets[] = {
    {"jws", dcrFuzzJws},           {"jwks", dcrFuzzJwks}, {"ssa", dcrFuzzSsa},
    {"response", dcrFuzzResponse}, {"keys", dcrFuzzKeys}, {"dn", dcrFuzzDn},
    {"token", dcrFuzzToken},       {"mask", dcrFuzzMask}, {"http", dcrFuzzHttp}};

QDir corpusDir(const char* target) {
    return QDir(QStringLiteral(DCR_FUZZ_CORPUS_DIR "/") + QLatin1String(target));
}
} // namespace

class TestFuzzCorpus : public QObject {
    Q_OBJECT
private slots:
    void everyTargetHasACorpus() {
        for (const Target& t : kTargets) {
            const QStringList files = corpusDir(t.name).entryList(QDir::Files);
            QVERIFY2(files.size() >= 3, t.name);
        }
    }

    void replay_data() {
        QTest::addColumn<FuzzTarget>("target");
        QTest::addColumn<QString>("path");
        for (const Target& t : kTargets) {
            const QDir dir = corpusDir(t.name);
            for (const QString& file : dir.entryList(QDir::Files, QDir::Name))
                QTest::addRow("%s/%s", t.name, qPrintable(file)) << t.run << dir.filePath(file);
        }
    }

    // A crash, sanitizer report or hang fails the test; a target returns 0 for every input.
    void replay() {
        QFETCH(FuzzTarget, target);
        QFETCH(QString, path);
        QFile file(path);
        QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.errorString()));
        const QByteArray bytes = file.readAll();
        QVERIFY(!bytes.isEmpty());
        QCOMPARE(target(reinterpret_cast<const uint8_t*>(bytes.constData()),
                        static_cast<size_t>(bytes.size())),
                 0);
    }
};

QTEST_APPLESS_MAIN(TestFuzzCorpus)
#include "tst_fuzz_corpus.moc"
