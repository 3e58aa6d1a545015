// README.md is the newcomer's page (issue #23): short, and every link it gives into docs/ leads to
// a file that exists and, where it names a section, to a heading of that file. The pages under
// docs/ are held to the same for their own relative links (images included), since they moved
// out of README and their links were rewritten.
#include "TestSupport.h"

#include <QDir>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

namespace {

QString sourceDir() {
    return QDir::cleanPath(QStringLiteral(DCR_TEST_DATA_DIR "/../.."));
}

// GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens.
QString anchorOf(const QString& heading) {
    QString slug = heading.trimmed().toLower();
    slug.remove(QRegularExpression(QStringLiteral("[^\\w\\- ]"),
                                   QRegularExpression::UseUnicodePropertiesOption));
    slug.replace(u' ', u'-');
    return slug;
}

// The anchors of a Markdown file's headings, outside fenced code blocks.
QSet<QString> anchorsOf(const QString& path) {
    QSet<QString> anchors;
    bool fenced = false;
    static const QRegularExpression heading(QStringLiteral("^#{1,6} (.*)$"));
    for (const QString& line : QString::fromUtf8(dcr::test::readFile(path)).split(u'\n')) {
        if (line.startsWith(QStringLiteral("```")))
            fenced = !fenced;
        else if (const auto m = heading.match(line); !fenced && m.hasMatch())
            anchors.insert(anchorOf(m.captured(1)));
    }
    return anchors;
}

// Every relative link target of a Markdown page: "[text](target)" and "![alt](target)".
QStringList relativeLinks(const QString& text) {
    static const QRegularExpression link(QStringLiteral("\\]\\(([^)\\s]+)\\)"));
    QStringList targets;
    for (auto it = link.globalMatch(text); it.hasNext();) {
        const QString target = it.next().captured(1);
        if (!target.contains(QStringLiteral("://")) && !target.startsWith(u'#'))
            targets << target;
    }
    return targets;
}

// Empty when the link from the page `from` resolves, else what is wrong.
QString problemWith(const QString& from, const QString& target) {
    const QString file = target.section(u'#', 0, 0);
    const QString anchor = target.section(u'#', 1);
    const QString path = QFileInfo(from).dir().filePath(file);
    if (!QFileInfo(path).isFile())
        return QStringLiteral("%1 links to %2, which does not exist").arg(from, target);
    if (!anchor.isEmpty() && !anchorsOf(path).contains(anchor))
        return QStringLiteral("%1 links to %2, but %3 has no such heading").arg(from, target, file);
    return {};
}

} // namespace

class TestReadme : public QObject {
    Q_OBJECT

private slots:
    void readmeIsShort() {
        const QString readme = dcr::test::readDoc(QStringLiteral("README.md"));
        const auto lines = readme.count(u'\n');
        QVERIFY2(lines <= 160, qPrintable(QStringLiteral("README.md has %1 lines; keep it to 160 "
                                                         "and move the rest into docs/")
                                              .arg(lines)));
    }

    void readmeLinksIntoDocsResolve() {
        const QString from = sourceDir() + QStringLiteral("/README.md");
        const QStringList links = relativeLinks(dcr::test::readDoc(QStringLiteral("README.md")));
        int intoDocs = 0;
        for (const QString& target : links) {
            if (target.startsWith(QStringLiteral("docs/")))
                ++intoDocs;
            const QString problem = problemWith(from, target);
            QVERIFY2(problem.isEmpty(), qPrintable(problem));
        }
        // One per guide at least: the user guide, the reference, the admin and developer guides.
        for (const char* guide :
             {"user-guide.md", "reference.md", "admin-guide.md", "developer-guide.md"})
            QVERIFY2(links.contains(QStringLiteral("docs/") + QLatin1String(guide)),
                     qPrintable(QStringLiteral("README.md does not link to docs/") +
                                QLatin1String(guide)));
        QVERIFY(intoDocs >= 4);
    }

    void docsLinksResolve() {
        const QDir docs(sourceDir() + QStringLiteral("/docs"));
        const QStringList pages = docs.entryList({QStringLiteral("*.md")}, QDir::Files);
        QVERIFY(!pages.isEmpty());
        for (const QString& page : pages) {
            const QString from = docs.filePath(page);
            for (const QString& target :
                 relativeLinks(QString::fromUtf8(dcr::test::readFile(from)))) {
                const QString problem = problemWith(from, target);
                QVERIFY2(problem.isEmpty(), qPrintable(problem));
            }
        }
    }

    void anchorsAreGitHubs() {
        QCOMPARE(anchorOf(QStringLiteral("dcr-sandbox: a local ASPSP")),
                 QStringLiteral("dcr-sandbox-a-local-aspsp"));
        QCOMPARE(anchorOf(QStringLiteral("Quick start (fresh Debian 12, as root)")),
                 QStringLiteral("quick-start-fresh-debian-12-as-root"));
    }
};

QTEST_GUILESS_MAIN(TestReadme)
#include "tst_readme.moc"
