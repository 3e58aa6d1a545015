// #25.1 end to end: dcrctl test run plays the built-in plan against the embedded sandbox (the
// "Local sandbox" profile, strict) and a --lax dcr-sandbox (which accepts every negative scenario),
// then dcrctl test diff compares the two saved runs: GOOD -> LAX exits 1 listing the negatives as
// newly failing, LAX -> GOOD exits 0 listing them as newly passing, --json parses, --html writes a
// 0600 report without the runs' secrets, and an unknown run id exits 2 naming it.
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QDirIterator>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestDcrctlTestDiff : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QProcess m_lax;
    std::optional<SandboxKit> m_kit;
    QString m_good, m_bad; // run ids
    QJsonObject m_goodRun, m_laxRun;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString kit(const QString& n) const { return m_kit->path(n); }

    ProcessResult dcrctl(const QStringList& args) {
        return runWithHome(QStringLiteral(DCRCTL_PATH), args, m_dir.path());
    }

    QStringList target(quint16 port) {
        return {"--url",
                QStringLiteral("https://localhost:%1/api/open-banking/v3.1/tpp/register").arg(port),
                "--cert",
                kit("tpp-transport.pem"),
                "--key",
                kit("tpp-transport-key.pem"),
                "--cacert",
                kit("ca.pem"),
                "--signing-key",
                kit("tpp-signing-key.pem"),
                "--claims",
                p("claims.json")};
    }

    QJsonObject runPlan(const QStringList& targetArgs, int expectedExit) {
        auto r = dcrctl(QStringList{"test", "run", "--spec", "seed", "--json"} + targetArgs);
        if (r.exitCode != expectedExit)
            qWarning("dcrctl test run exited %d: %s", r.exitCode, (r.out + r.err).constData());
        return r.exitCode == expectedExit ? QJsonDocument::fromJson(r.out).object() : QJsonObject();
    }

    // The scenarios the lax sandbox lets through: they pass against the strict one.
    QStringList negatives() const {
        QStringList ids;
        for (const auto& v : m_laxRun["results"].toArray())
            if (v.toObject()["verdict"].toString() == QStringLiteral("failed"))
                ids << v.toObject()["id"].toString();
        return ids;
    }

private slots:
    void initTestCase() {
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        const quint16 laxPort = startSandboxProcess(m_lax, QStringLiteral(SANDBOX_PATH), p("kit"),
                                                    QStringLiteral("seed"), {"--lax"});
        QVERIFY(laxPort);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p("claims.json"), QJsonDocument(claims).toJson());
        // The embedded sandbox, started by dcrctl itself, with its own kit's demo request.
        m_goodRun = runPlan({"--profile", "Local sandbox"}, 0);
        m_laxRun = runPlan(target(laxPort), 1);
        m_good = m_goodRun["run_id"].toString();
        m_bad = m_laxRun["run_id"].toString();
        QVERIFY(!m_good.isEmpty() && !m_bad.isEmpty());
        QVERIFY(negatives().size() >= 10);
    }

    void cleanupTestCase() {
        m_lax.terminate();
        if (!m_lax.waitForFinished(3000))
            m_lax.kill();
    }

    void goodToLaxExitsOneListingNewFailures() {
        auto r = dcrctl({"test", "diff", m_good, m_bad});
        QVERIFY2(r.exitCode == 1, (r.out + r.err).constData());
        const QString out = QString::fromUtf8(r.out);
        const qsizetype newly =
            out.indexOf(QStringLiteral("NEWLY FAILING (%1)").arg(negatives().size()));
        QVERIFY2(newly >= 0, r.out.constData());
        // Every negative is listed under it (before the next block), passed before, failed now.
        const qsizetype next = out.indexOf(QRegularExpression(QStringLiteral("\n\n\\S")), newly);
        const QString block = out.mid(newly, next - newly);
        for (const QString& id : negatives()) {
            const QRegularExpression row(QStringLiteral("\\n  %1 +passed .* ->  failed ")
                                             .arg(QRegularExpression::escape(id)));
            QVERIFY2(block.contains(row), qPrintable(id + QStringLiteral("\n") + block));
        }
        QVERIFY2(out.contains(QStringLiteral("something fails now that did not before")),
                 r.out.constData());
        QVERIFY(!out.contains(QStringLiteral("NEWLY PASSING")));
    }

    void laxToGoodExitsZeroListingNewPasses() {
        auto r = dcrctl({"test", "diff", m_bad, m_good});
        QVERIFY2(r.exitCode == 0, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("NEWLY PASSING (" + QByteArray::number(negatives().size()) + ')'),
                 r.out.constData());
        QVERIFY(!r.out.contains("NEWLY FAILING"));
        for (const QString& id : negatives())
            QVERIFY2(r.out.contains(id.toUtf8()), qPrintable(id));
        QVERIFY(r.out.contains("nothing fails now that did not before"));
    }

    void jsonParsesWithBothSides() {
        auto r = dcrctl({"test", "diff", m_good, m_bad, "--json"});
        QCOMPARE(r.exitCode, 1);
        QJsonParseError error;
        const QJsonObject diff = QJsonDocument::fromJson(r.out, &error).object();
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QCOMPARE(diff["before"].toObject()["run_id"].toString(), m_good);
        QCOMPARE(diff["after"].toObject()["run_id"].toString(), m_bad);
        QCOMPARE(diff["new_failures"].toBool(), true);
        QCOMPARE(diff["counts"].toObject()["newly_failing"].toInt(), negatives().size());
        QStringList newlyFailing;
        for (const auto& v : diff["changes"].toArray()) {
            const QJsonObject c = v.toObject();
            if (c["change"].toString() != QStringLiteral("newly_failing"))
                continue;
            newlyFailing << c["id"].toString();
            QCOMPARE(c["before"].toObject()["verdict"].toString(), QStringLiteral("passed"));
            QCOMPARE(c["after"].toObject()["verdict"].toString(), QStringLiteral("failed"));
        }
        QCOMPARE(newlyFailing, negatives());
        // DCR-001 checked the embedded sandbox's discovery document; the lax run had no
        // --discovery, so it skipped it: nothing fails, but the answer is not the same.
        bool discovery = false;
        for (const auto& v : diff["changes"].toArray())
            if (v.toObject()["id"].toString() == QStringLiteral("DCR-001-discovery")) {
                discovery = true;
                QCOMPARE(v.toObject()["change"].toString(), QStringLiteral("changed_answer"));
                QCOMPARE(v.toObject()["before"].toObject()["verdict"].toString(),
                         QStringLiteral("passed"));
                QCOMPARE(v.toObject()["after"].toObject()["verdict"].toString(),
                         QStringLiteral("skipped"));
            }
        QVERIFY(discovery);
    }

    // A saved run's file (as a colleague would send it) is as good as its id.
    void savedRunFileWorksLikeItsId() {
        QString file;
        QDirIterator it(m_dir.path(), {QStringLiteral("*-%1.json").arg(m_bad)}, QDir::Files,
                        QDirIterator::Subdirectories);
        if (it.hasNext())
            file = it.next();
        QVERIFY2(!file.isEmpty(), "the lax run's saved file");
        const QString copy = p(QStringLiteral("sent-by-colleague.json"));
        QVERIFY(QFile::copy(file, copy));
        auto byId = dcrctl({"test", "diff", m_good, m_bad, "--json"});
        auto byFile = dcrctl({"test", "diff", m_good, copy, "--json"});
        QCOMPARE(byFile.exitCode, 1);
        QCOMPARE(QJsonDocument::fromJson(byFile.out).object()["counts"],
                 QJsonDocument::fromJson(byId.out).object()["counts"]);
    }

    // The report holds no secret: the runs' own files are masked when saved, and a run file that
    // is not (a newly failing scenario whose answer registered a client: client_secret and
    // registration_access_token in the clear, as an older or hand-made file could hold) is masked
    // again in every output of the diff.
    void htmlReportIsPrivateAndHoldsNoSecret() {
        const QString secret = QStringLiteral("planted-secret-9f3a1c77e2b54d0c");
        QString laxFile;
        QDirIterator it(m_dir.path(), {QStringLiteral("*-%1.json").arg(m_bad)}, QDir::Files,
                        QDirIterator::Subdirectories);
        if (it.hasNext())
            laxFile = it.next();
        QVERIFY(!laxFile.isEmpty());
        QJsonObject lax = QJsonDocument::fromJson(readFile(laxFile)).object();
        QJsonArray results = lax["results"].toArray();
        const QString planted = negatives().first();
        for (qsizetype i = 0; i < results.size(); ++i) {
            QJsonObject r = results.at(i).toObject();
            if (r["id"].toString() != planted)
                continue;
            r["status"] = 201;
            r["response_body"] =
                QString::fromUtf8(QJsonDocument(QJsonObject{{"client_id", "c-1"},
                                                            {"client_secret", secret},
                                                            {"registration_access_token", secret}})
                                      .toJson(QJsonDocument::Compact));
            results[i] = r;
        }
        lax["results"] = results;
        const QString unmasked = p(QStringLiteral("unmasked-run.json"));
        writeFile(unmasked, QJsonDocument(lax).toJson());
        QVERIFY(readFile(unmasked).contains(secret.toUtf8())); // the check can fail

        const QStringList orders[] = {{m_good, m_bad}, {m_bad, m_good}, {m_good, unmasked}};
        for (const QStringList& order : orders) {
            const QString file =
                p(QStringLiteral("diff-%1.html").arg(QFileInfo(order.last()).baseName()));
            auto r = dcrctl(QStringList{"test", "diff"} + order + QStringList{"--html", file});
            QVERIFY2(r.exitCode == (order.first() == m_good ? 1 : 0), r.err.constData());
            QVERIFY(QFileInfo::exists(file));
            QCOMPARE(QFileInfo(file).permissions() & 0x7777,
                     QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadUser |
                         QFileDevice::WriteUser);
            const QByteArray html = readFile(file);
            QVERIFY(html.contains("DCR regression report"));
            QVERIFY(html.contains("DCR-002-register"));
            QVERIFY2(!html.contains(secret.toUtf8()), qPrintable(file));
            QVERIFY(!r.out.contains(secret.toUtf8()));
        }
        const QByteArray report = readFile(p(QStringLiteral("diff-unmasked-run.html")));
        QVERIFY(report.contains("Newly failing (" + QByteArray::number(negatives().size()) + ')'));
        QVERIFY(report.contains("client_secret")); // its answer is shown, masked
        QVERIFY(report.contains(planted.toUtf8()));
        auto json = dcrctl({"test", "diff", m_good, unmasked, "--json"});
        QCOMPARE(json.exitCode, 1);
        QVERIFY(json.out.contains("registration_access_token"));
        QVERIFY(!json.out.contains(secret.toUtf8()));
    }

    void unknownRunExitsTwoNamingIt() {
        auto r = dcrctl({"test", "diff", m_good, "0badc0de"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("\"0badc0de\"") && r.err.contains("dcrctl test runs"),
                 r.err.constData());
        auto one = dcrctl({"test", "diff", m_good});
        QCOMPARE(one.exitCode, 2);
        QVERIFY2(one.err.contains("give two runs"), one.err.constData());
        QCOMPARE(dcrctl({"test", "runs", "extra"}).exitCode, 2);
        // #25.1 review 7: an option of the other actions is refused, not silently ignored.
        const QString junit = p(QStringLiteral("diff-junit.xml"));
        const QStringList ignored[] = {{"--junit", junit},
                                       {"--profile", "Local sandbox"},
                                       {"--url", "https://bank.example/register"}};
        for (const QStringList& option : ignored) {
            auto refused = dcrctl(QStringList{"test", "diff", m_good, m_bad} + option);
            QVERIFY2(refused.exitCode == 2, qPrintable(option.first()));
            QVERIFY2(refused.err.contains(option.first().toUtf8() + " does not apply to diff"),
                     refused.err.constData());
            QVERIFY(refused.out.isEmpty());
        }
        QVERIFY(!QFileInfo::exists(junit));
        // What diff takes still works together.
        QCOMPARE(
            dcrctl({"test", "diff", m_good, m_bad, "--json", "--html", p("both.html")}).exitCode,
            1);
        auto missingFile = dcrctl({"test", "diff", m_good, p("no-such-run.json")});
        QCOMPARE(missingFile.exitCode, 2);
        QVERIFY(missingFile.err.contains("no-such-run.json"));
    }
};

QTEST_GUILESS_MAIN(TestDcrctlTestDiff)
#include "tst_dcrctl_test_diff.moc"
