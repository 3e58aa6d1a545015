// #22.13: how the console says an age ("6 years ago", not "189891843 s ago") and the file names
// its export dialogs propose; both at their boundaries.
#include "common/HumanAge.h"
#include "common/SuggestedFileName.h"

#include <QTest>

using namespace dcr;

class TestHumanAge : public QObject {
    Q_OBJECT

private slots:
    void durationAtEachBoundary_data() {
        QTest::addColumn<qint64>("seconds");
        QTest::addColumn<QString>("said");
        const qint64 hour = 3600, day = 86400;
        const std::pair<qint64, const char*> rows[] = {
            {0, "0 seconds"},           {1, "1 second"},
            {2, "2 seconds"},           {59, "59 seconds"},
            {60, "1 minute"},           {119, "1 minute"},
            {120, "2 minutes"},         {hour - 1, "59 minutes"},
            {hour, "1 hour"},           {2 * hour - 1, "1 hour"},
            {day - 1, "23 hours"},      {day, "1 day"},
            {29 * day, "29 days"},      {30 * day - 1, "29 days"},
            {30 * day, "1 month"},      {60 * day, "2 months"},
            {364 * day, "12 months"},   {365 * day - 1, "12 months"},
            {365 * day, "1 year"},      {2 * 365 * day - 1, "1 year"},
            {2 * 365 * day, "2 years"}, {189891843, "6 years"}, // the seed request's exp, 2026-12
            {-90, "1 minute"},                                  // a length either way
        };
        for (const auto& [seconds, said] : rows)
            QTest::addRow("%lld", static_cast<long long>(seconds))
                << seconds << QString::fromUtf8(said);
    }
    void durationAtEachBoundary() {
        QFETCH(qint64, seconds);
        QFETCH(QString, said);
        QCOMPARE(humanDuration(seconds), said);
    }

    void agePastFutureAndNow() {
        QCOMPARE(humanAge(189891843), QStringLiteral("6 years ago"));
        QCOMPARE(humanAge(1), QStringLiteral("1 second ago"));
        QCOMPARE(humanAge(-180), QStringLiteral("in 3 minutes"));
        QCOMPARE(humanAge(0), QStringLiteral("now"));
        // Never rounded up: 1 year and 364 days is still "1 year ago".
        QCOMPARE(humanAge(2 * 365 * 86400 - 1), QStringLiteral("1 year ago"));
    }

    void suggestedNames() {
        QCOMPARE(suggestedFileName({QStringLiteral("Local sandbox (OBIE 3.3)"),
                                    QStringLiteral("3f2a9c1d"), fileNameDate(QDate(2026, 12, 2))},
                                   QStringLiteral("html")),
                 QStringLiteral("Local-sandbox-OBIE-3.3-3f2a9c1d-2026-12-02.html"));
        // Nothing of a path or the shell survives; empty parts are left out.
        QCOMPARE(suggestedFileName(
                     {QStringLiteral("../../etc/passwd"), QString(), QStringLiteral("a;b|c$(d)")},
                     QStringLiteral("xml")),
                 QStringLiteral("etc-passwd-a-b-c-d.xml"));
        QCOMPARE(suggestedFileName({QStringLiteral(".hidden")}, QStringLiteral("json")),
                 QStringLiteral("hidden.json"));
        QCOMPARE(suggestedFileName({QStringLiteral("Bänk ÄG")}, QStringLiteral("json")),
                 QStringLiteral("B-nk-G.json"));
        QCOMPARE(suggestedFileName({}, QStringLiteral("json")), QStringLiteral("export.json"));
        // Each part is cut at 64 characters, so the name stays a name a file system takes.
        const QString longName = suggestedFileName(
            {QString(300, u'a'), QString(300, u'b'), QStringLiteral("2026-12-02")},
            QStringLiteral("html"));
        QCOMPARE(longName,
                 QString(64, u'a') + u'-' + QString(64, u'b') + QStringLiteral("-2026-12-02.html"));
        QVERIFY(longName.toUtf8().size() < 255);
    }
};

QTEST_GUILESS_MAIN(TestHumanAge)
#include "tst_human_age.moc"
