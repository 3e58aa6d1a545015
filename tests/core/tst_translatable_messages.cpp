// Issue #23: the messages core/ shows its user go through Qt's translation (tr() or
// QCoreApplication::translate). This scans the floors' sources for the one way a message slips
// past it: an Error (or Result, Status) or a warning built from a bare string literal. It is a
// text scan, not a parser: it sees the literal that follows an ErrorKind or a `warnings <<`, so a
// message built elsewhere and passed in is not seen (lupdate would find those, but Debian ships
// it separately, in qt6-l10n-tools, so the build cannot count on it).
#include "common/ControlCharacters.h"
#include "jose/Jws.h"
#include "registration/ClaimSpec.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QRegularExpression>
#include <QSet>
#include <QTest>
#include <QTranslator>

using namespace dcr;

namespace {

// What makes a QString of a literal without translating it.
const QString kBareLiteral = QString::fromLatin1(
    R"re((?:(?:QStringLiteral|QString::fromUtf8|QString::fromLatin1|QLatin1String|QString|s)\s*\(\s*)?"((?:[^"\\]|\\.)*)")re");

// The places a user message is given: right after the kind of an Error (named, or taken from
// another Error), or into a warnings list.
const QRegularExpression kMessagePositions[] = {
    QRegularExpression(QString::fromLatin1(R"(ErrorKind::\w+\s*,\s*)") + kBareLiteral),
    QRegularExpression(QString::fromLatin1(R"(\bError\s*\{\s*[\w.:>()-]+\s*,\s*)") + kBareLiteral),
    QRegularExpression(QString::fromLatin1(R"([wW]arnings\s*(?:<<|\.append\(|\.push_back\()\s*)") +
                       kBareLiteral),
};

// "%1: %2" joins parts that were translated already; only a literal with words is a message.
bool hasWords(QString literal) {
    literal.remove(QRegularExpression(QString::fromLatin1(R"(%\d+)")));
    return literal.contains(QRegularExpression(QStringLiteral("[A-Za-z]")));
}

// Every bare message in one file, as "path:line: text" (the line of the literal).
QStringList bareMessagesIn(const QString& path, const QString& shownPath) {
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {shownPath + QStringLiteral(": cannot be read")};
    const QString text = QString::fromUtf8(file.readAll());
    QStringList found;
    QSet<qsizetype> seen; // a literal two positions match is named once
    for (const QRegularExpression& position : kMessagePositions) {
        for (auto it = position.globalMatch(text); it.hasNext();) {
            const QRegularExpressionMatch match = it.next();
            if (!hasWords(match.captured(1)) || seen.contains(match.capturedStart(1)))
                continue;
            seen.insert(match.capturedStart(1));
            const int line = text.left(match.capturedStart(1)).count(u'\n') + 1;
            found
                << QStringLiteral("%1:%2: \"%3\"").arg(shownPath).arg(line).arg(match.captured(1));
        }
    }
    return found;
}

// Every bare message under a directory, paths shown relative to `base`.
QStringList bareMessagesUnder(const QString& dir, const QDir& base) {
    QStringList found;
    QDirIterator it(dir, {QStringLiteral("*.cpp"), QStringLiteral("*.h")}, QDir::Files,
                    QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        found << bareMessagesIn(path, base.relativeFilePath(path));
    }
    found.sort();
    return found;
}

// The line numbers only, for comparing with what a fixture plants.
QStringList locations(const QStringList& found) {
    QStringList out;
    for (const QString& entry : found)
        out << entry.section(u':', 0, 1);
    return out;
}

// A translator for one context that marks every text it is asked for, as a .qm file would
// translate it (lrelease is not needed to build the tests).
class MarkingTranslator : public QTranslator {
public:
    explicit MarkingTranslator(QByteArray context)
        : m_context(std::move(context)) {}
    bool isEmpty() const override { return false; }
    QString translate(const char* context, const char* sourceText, const char*,
                      int) const override {
        if (m_context != context)
            return {};
        return QStringLiteral("[xx] ") + QString::fromUtf8(sourceText);
    }

private:
    QByteArray m_context;
};

} // namespace

class TranslatableMessagesTest : public QObject {
    Q_OBJECT

private slots:
    // The check catches what it is for: every planted bare message, named by file and line, and
    // none of the allowed forms (tr, translate, a format without words, JSON keys).
    void namesEveryPlantedBareMessage() {
        const QDir fixtures(QStringLiteral(DCR_UNTRANSLATED_FIXTURES));
        const QStringList found = bareMessagesUnder(fixtures.path(), fixtures);
        const QStringList expected = {
            QStringLiteral("Planted.cpp:14"), QStringLiteral("Planted.cpp:21"),
            QStringLiteral("Planted.cpp:25"), QStringLiteral("Planted.cpp:29"),
            QStringLiteral("Planted.cpp:34"), QStringLiteral("Planted.cpp:39"),
            QStringLiteral("Planted.cpp:9"),
        };
        QCOMPARE(locations(found), expected);
        QVERIFY2(found.first().contains(QStringLiteral("a message clang-format put on")),
                 qPrintable(found.first()));
    }

    // A translation installed while the program runs reaches the messages through their contexts,
    // one per class or file; with none installed the English text is what it always was.
    void installedTranslatorReachesMessages() {
        const ClaimSpec* iss = findClaimSpec(QStringLiteral("iss"));
        QVERIFY(iss);
        const QString english = iss->description();
        QVERIFY(english.startsWith(QStringLiteral("Identifier for the TPP")));
        {
            MarkingTranslator claims("ClaimSpec");
            QVERIFY(QCoreApplication::installTranslator(&claims));
            // The table was built before: the description is translated when asked for.
            QCOMPARE(iss->description(), QStringLiteral("[xx] ") + english);
            QVERIFY(QCoreApplication::removeTranslator(&claims));
        }
        QCOMPARE(iss->description(), english);

        MarkingTranslator jws("Jws");
        QVERIFY(QCoreApplication::installTranslator(&jws));
        const auto empty = Jws::parse(QByteArray());
        QVERIFY(!empty.ok());
        QCOMPARE(empty.error().message, QStringLiteral("[xx] no token: the input is empty"));
        // Another file's context is not this translator's.
        const Status control = checkPrintableName(QStringLiteral("a\tb"), QStringLiteral("name"));
        QVERIFY(!control.ok());
        QVERIFY2(control.error().message.startsWith(QStringLiteral("name \"a")),
                 qPrintable(control.error().message));
        QVERIFY(QCoreApplication::removeTranslator(&jws));
        QCOMPARE(Jws::parse(QByteArray()).error().message,
                 QStringLiteral("no token: the input is empty"));
    }

    // The floors whose messages are translatable stay so.
    void coreMessagesAreTranslatable_data() {
        QTest::addColumn<QString>("floor");
        for (const char* floor :
             {"common", "jose", "transport", "sandbox", "registration", "history", "session"})
            QTest::newRow(floor) << QString::fromLatin1(floor);
    }
    void coreMessagesAreTranslatable() {
        QFETCH(QString, floor);
        const QDir core(QStringLiteral(DCR_CORE_DIR));
        QVERIFY2(core.exists(floor), qPrintable(core.filePath(floor)));
        const QStringList found = bareMessagesUnder(core.filePath(floor), core);
        for (const QString& entry : found) // each on its own line: a long failure message is cut
            qWarning().noquote() << "not given to tr():" << entry;
        QVERIFY2(
            found.isEmpty(),
            qPrintable(QStringLiteral("%1 message(s) in core/%2 are bare literals (listed above)")
                           .arg(found.size())
                           .arg(floor)));
    }
};

QTEST_GUILESS_MAIN(TranslatableMessagesTest)
#include "tst_translatable_messages.moc"
