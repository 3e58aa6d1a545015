// The helpers every reader and writer of the programs goes through (issue #21): readLocalFile
// (#21.9), the owner-only writers (#21.3) and the control-character escaping (#21.14).
#include "common/AtomicFile.h"
#include "common/ControlCharacters.h"
#include "common/LocalFile.h"
#include "common/PrivateFiles.h"
#include "transport/Profile.h"

#include <QFile>
#include <QFileInfo>
#include <QSettings>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/types.h>

using namespace dcr;

namespace {

// The permission bits of a path, as ls shows them in octal.
int modeOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

// Sets the process umask for one test and puts it back.
class UmaskScope {
public:
    explicit UmaskScope(mode_t mask)
        : m_old(::umask(mask)) {}
    ~UmaskScope() { ::umask(m_old); }

private:
    mode_t m_old;
};

} // namespace

class TestFileHygiene : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString p(const QString& name) const { return m_dir.filePath(name); }

private slots:
    // #21.9: a FIFO as an input blocked the read forever. It is refused before it is opened
    // (no writer is ever attached here: an open() of it would wait for ever), and so is a
    // directory or a character device.
    void nonRegularFilesAreRefusedBeforeOpening_21_9() {
        const QString fifo = p(QStringLiteral("plan.fifo"));
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        auto read = readLocalFile(fifo);
        QVERIFY(!read);
        QVERIFY2(read.error().message.contains(QStringLiteral("is not a regular file (a FIFO)")),
                 qPrintable(read.error().message));
        QVERIFY(read.error().message.contains(fifo));
        auto dir = readLocalFile(m_dir.path());
        QVERIFY(!dir);
        QVERIFY(dir.error().message.contains(QStringLiteral("(a directory)")));
        auto device = readLocalFile(QStringLiteral("/dev/zero"));
        QVERIFY(!device);
        QVERIFY(device.error().message.contains(QStringLiteral("(a character device)")));
        auto missing = readLocalFile(p(QStringLiteral("gone.json")));
        QVERIFY(!missing);
        QVERIFY(missing.error().message.contains(QStringLiteral("no such file")));
    }

    // #21.9: a 6.7 MB plan was cut at 4 MiB and then failed as "unterminated string at offset
    // 4194305". A file over the limit is refused whole, naming its size and the limit; one of
    // exactly the limit is read whole.
    void oversizeFilesNameSizeAndLimit_21_9() {
        const qsizetype limit = 4 * 1024 * 1024;
        const QString big = p(QStringLiteral("big.json"));
        {
            QFile f(big);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(QByteArray(6700000, 'x'));
        }
        auto read = readLocalFile(big, limit);
        QVERIFY(!read);
        QCOMPARE(read.error().kind, ErrorKind::InputTooLarge);
        QVERIFY2(read.error().message.contains(
                     QStringLiteral("is 6700000 bytes, larger than the 4 MiB limit")),
                 qPrintable(read.error().message));
        QVERIFY(QFile::resize(big, limit));
        auto exact = readLocalFile(big, limit);
        QVERIFY(exact);
        QCOMPARE(exact->size(), limit);
        QCOMPARE(byteLimitText(64 * 1024), QStringLiteral("64 KiB"));
        QCOMPARE(byteLimitText(1000), QStringLiteral("1000 bytes"));
    }

    // #21.3: under umask 022 QSaveFile wrote reports 0644. writeFileAtomically writes 0600, also
    // when it replaces a 0644 file; makePrivateFolder creates each missing folder 0700 and
    // leaves existing ones alone; makePrivateFile restricts a file another library writes.
    void writersAreOwnerOnlyWhateverTheUmask_21_3() {
        UmaskScope umask(022);
        const QString report = p(QStringLiteral("report.html"));
        QVERIFY(writeFileAtomically(report, "<html></html>").ok());
        QCOMPARE(modeOf(report), 0600);
        QVERIFY(QFile::setPermissions(report, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                                  QFileDevice::ReadGroup | QFileDevice::ReadOther));
        QCOMPARE(modeOf(report), 0644); // the check can fail: the mode is really read
        QVERIFY(writeFileAtomically(report, "<html>again</html>").ok());
        QCOMPARE(modeOf(report), 0600);

        const QString nested = p(QStringLiteral("a/b/c"));
        QVERIFY(makePrivateFolder(nested).ok());
        for (const char* dir : {"a", "a/b", "a/b/c"})
            QCOMPARE(modeOf(p(QString::fromLatin1(dir))), 0700);
        QCOMPARE(modeOf(m_dir.path()), 0700);    // QTemporaryDir's own, untouched
        QVERIFY(makePrivateFolder(nested).ok()); // existing: fine

        const QString settings = p(QStringLiteral("settings.ini"));
        {
            QFile f(settings);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("[General]\n");
        }
        QCOMPARE(modeOf(settings), 0644);
        QVERIFY(makePrivateFile(settings).ok());
        QCOMPARE(modeOf(settings), 0600);
        QCOMPARE(QFile(settings).size(), 10); // content kept
        QVERIFY(makePrivateFile(p(QStringLiteral("new.ini"))).ok());
        QCOMPARE(modeOf(p(QStringLiteral("new.ini"))), 0600);
    }

    // #21.14: the characters a terminal interprets are shown, not passed: C0 (but \n and \t),
    // DEL, C1 and the bidi controls; everything else, other scripts and emoji included, is
    // unchanged.
    void controlCharactersAreShownEscaped_21_14() {
        const QString hostile = QStringLiteral("\x1b[2J\x1b]0;pwned\x07 ok\r\n\tnext") +
                                QChar(0x7f) + QChar(0x9b) + QChar(0x202e) + QChar(0x2066) +
                                QStringLiteral("é 日本 ") + QString::fromUcs4(U"\U0001F600");
        const QString shown = escapeControlCharacters(hostile);
        QCOMPARE(shown, QStringLiteral("\\x1b[2J\\x1b]0;pwned\\x07 ok\\x0d\n\tnext\\u007f\\u009b"
                                       "\\u202e\\u2066é 日本 ") +
                            QString::fromUcs4(U"\U0001F600"));
        QCOMPARE(escapeControlCharacters(QStringLiteral("a\nb\tc"), false),
                 QStringLiteral("a\\x0ab\\x09c"));
    }

    // #21.14: the profile store itself refuses such a name (the console's Profiles dialog and
    // dcrctl profile add both save through it); nothing is written.
    void profileStoreRefusesControlCharacters_21_14() {
        QSettings settings(p(QStringLiteral("profiles.ini")), QSettings::IniFormat);
        ProfileStore store(settings);
        Profile bad;
        bad.name = QStringLiteral("line\nbreak");
        const Status refused = store.save(bad);
        QVERIFY(!refused);
        QVERIFY2(refused.error().message.contains(QStringLiteral("the profile name")),
                 qPrintable(refused.error().message));
        QVERIFY(store.all().isEmpty());
        Profile good;
        good.name = QStringLiteral("Bank (sandbox)");
        QVERIFY(store.save(good).ok());
        QCOMPARE(store.all().size(), 1);
    }

    // #21.14: a name with a control character is refused, saying which and where.
    void namesWithControlCharactersAreRefused_21_14() {
        QVERIFY(checkPrintableName(QStringLiteral("Bank of Example (test)"), QStringLiteral("x")));
        QVERIFY(checkPrintableName(QStringLiteral("Banco Exemplo São Paulo"), QStringLiteral("x")));
        const auto lf =
            checkPrintableName(QStringLiteral("bank\nname"), QStringLiteral("the name"));
        QVERIFY(!lf);
        QVERIFY2(lf.error().message.contains(QStringLiteral("(\\x0a) at position 5")),
                 qPrintable(lf.error().message));
        QVERIFY(!lf.error().message.contains(u'\n'));
        QVERIFY(!checkPrintableName(QStringLiteral("a\x1b[31m"), QStringLiteral("the name")));
        QVERIFY(!checkPrintableName(QStringLiteral("evil") + QChar(0x202e), QStringLiteral("x")));
    }
};

QTEST_GUILESS_MAIN(TestFileHygiene)
#include "tst_file_hygiene.moc"
