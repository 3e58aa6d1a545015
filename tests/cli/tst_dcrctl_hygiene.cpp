// Issue #21 items 3, 8, 9, 12, 13 and 14, as a user meets them: dcrctl and dcr-sandbox as
// processes against scripted (hostile) banks on 127.0.0.1. Each test names its item.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TerminalOutput.h"
#include "TestSupport.h"
#include "sandbox/SandboxKit.h"

#include <QBuffer>
#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <sys/stat.h>
#include <sys/types.h>

using namespace dcr;
using namespace dcr::test;

namespace {

int modeOf(const QString& path) {
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0)
        return -1;
    return static_cast<int>(st.st_mode & 07777);
}

// What a terminal would interpret: ESC, BEL, CR, C1 (UTF-8 C2 80..C2 9F), DEL and the bidi
// overrides (UTF-8 E2 80 AA..AE, E2 81 A6..A9). Empty when the output holds none.
QByteArray interpretedBytes(const QByteArray& out) {
    QByteArray found;
    for (qsizetype i = 0; i < out.size(); ++i) {
        const auto c = static_cast<unsigned char>(out.at(i));
        if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
            found += out.mid(i, 1).toHex() + ' ';
        if (c == 0xC2 && i + 1 < out.size() && static_cast<unsigned char>(out.at(i + 1)) <= 0x9F)
            found += out.mid(i, 2).toHex() + ' ';
        if (c == 0xE2 && i + 2 < out.size()) {
            const auto b = static_cast<unsigned char>(out.at(i + 1));
            const auto d = static_cast<unsigned char>(out.at(i + 2));
            if ((b == 0x80 && d >= 0xAA && d <= 0xAE) || (b == 0x81 && d >= 0xA6 && d <= 0xA9))
                found += out.mid(i, 3).toHex() + ' ';
        }
    }
    return found;
}

} // namespace

class TestDcrctlHygiene : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;
    QSslConfiguration m_tls;
    mode_t m_oldUmask = 0;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString kit(const QString& n) const { return m_kit->path(n); }

    // Runs a program with this test's XDG folders while this test's event loop turns (the
    // scripted banks answer meanwhile). The wait is a hang guard, not a timing assertion.
    ProcessResult runProgram(const QString& program, const QStringList& args) {
        return runWhileServing(program, args, m_dir.path());
    }
    ProcessResult dcrctl(const QStringList& args) {
        return runProgram(QStringLiteral(DCRCTL_PATH), args);
    }

    QStringList target(quint16 port) const {
        return {"--url",         QStringLiteral("https://localhost:%1/register").arg(port),
                "--cert",        kit("tpp-transport.pem"),
                "--key",         kit("tpp-transport-key.pem"),
                "--cacert",      kit("ca.pem"),
                "--signing-key", kit("tpp-signing-key.pem")};
    }
    QStringList submit(quint16 port, const QString& claims = {}) const {
        return QStringList{"submit"} + target(port) +
               QStringList{"--claims", claims.isEmpty() ? p("claims.json") : claims};
    }

    static QByteArray onePlan(const QByteArray& mutation) {
        return "{\"name\": \"tiny\", \"scenarios\": [{\"id\": \"one\", \"title\": \"t\", "
               "\"source\": \"s\", \"mutations\": [" +
               mutation + "], \"expect\": {\"seed\": \"rejected\"}}]}";
    }

private slots:
    void initTestCase() {
        // Every file and folder below is made under the usual umask, which is what #21.3 is about.
        m_oldUmask = ::umask(022);
        auto created = SandboxKit::create(p("kit"));
        QVERIFY(created.ok());
        m_kit = *created;
        m_tls = ScriptedBankKit::serverTls(*m_kit);
        QJsonObject claims = m_kit->demoRequest(QDateTime::currentDateTimeUtc()).claims();
        for (const char* generated : {"iat", "exp", "jti"})
            claims.remove(QString::fromLatin1(generated));
        writeFile(p("claims.json"), QJsonDocument(claims).toJson());
    }

    void cleanupTestCase() { ::umask(m_oldUmask); }

    // #21.3: under umask 022 run summaries, reports and the settings file were 0644. Now every
    // file the programs write that can hold a request, an answer or a report is 0600 and every
    // folder they create 0700: dcr-sandbox's kit, the settings (profiles), the history database
    // and its journals, the run summary and the --html/--junit reports of a test run.
    void outputsAreOwnerOnlyUnderUmask022_21_3() {
        auto init = runProgram(QStringLiteral(SANDBOX_PATH), {"init", "--dir", p("fresh/kit")});
        QVERIFY2(init.exitCode == 0, (init.out + init.err).constData());
        QCOMPARE(modeOf(p("fresh")), 0700);
        QCOMPARE(modeOf(p("fresh/kit")), 0700);
        const QStringList kitFiles = QDir(p("fresh/kit")).entryList(QDir::Files);
        QVERIFY(kitFiles.contains(QStringLiteral("tpp-signing-key.pem")));
        for (const QString& f : kitFiles)
            QVERIFY2(modeOf(p("fresh/kit/") + f) == 0600, qPrintable(f));

        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        auto added = dcrctl(QStringList{"profile", "add", "modes"} + target(bank.port()));
        QVERIFY2(added.exitCode == 0, added.err.constData());
        QCOMPARE(modeOf(p("config")), 0700);
        QCOMPARE(modeOf(p("config/dcr-console")), 0700);
        QCOMPARE(modeOf(p("config/dcr-console/dcr-console.ini")), 0600);

        writeFile(p("tiny.json"), onePlan("{\"kind\": \"remove\", \"claim\": \"iss\"}"));
        QDir().mkpath(p("reports"));
        auto run = dcrctl({"test", "run", "--profile", "modes", "--claims", p("claims.json"),
                           "--plan", p("tiny.json"), "--spec", "seed", "--html",
                           p("reports/run.html"), "--junit", p("reports/run.xml")});
        QVERIFY2(run.exitCode == 0 || run.exitCode == 1, (run.out + run.err).constData());
        QCOMPARE(bank.receivedRequests().size(), 1);
        QCOMPARE(modeOf(p("reports/run.html")), 0600);
        QCOMPARE(modeOf(p("reports/run.xml")), 0600);
        QCOMPARE(modeOf(p("data")), 0700);
        QCOMPARE(modeOf(p("data/dcr-console")), 0700);
        QCOMPARE(modeOf(p("data/dcr-console/test-runs")), 0700);
        const QStringList runs = QDir(p("data/dcr-console/test-runs")).entryList(QDir::Files);
        QCOMPARE(runs.size(), 1);
        QCOMPARE(modeOf(p("data/dcr-console/test-runs/") + runs.first()), 0600);
        const QStringList history =
            QDir(p("data/dcr-console")).entryList({QStringLiteral("history*")}, QDir::Files);
        QVERIFY(history.contains(QStringLiteral("history.sqlite")));
        for (const QString& f : history)
            QVERIFY2(modeOf(p("data/dcr-console/") + f) == 0600, qPrintable(f));
        // The settings file is still 0600 after QSettings rewrote it (a profile was added), and
        // one an older version left 0644 is restricted on the next start.
        const QString ini = p("config/dcr-console/dcr-console.ini");
        QCOMPARE(modeOf(ini), 0600);
        QVERIFY(QFile::setPermissions(ini, QFileDevice::ReadOwner | QFileDevice::WriteOwner |
                                               QFileDevice::ReadGroup | QFileDevice::ReadOther));
        QCOMPARE(modeOf(ini), 0644);
        QCOMPARE(dcrctl({"profile", "list"}).exitCode, 0);
        QCOMPARE(modeOf(ini), 0600);
    }

    // #21.8: "seconds": 1e300 in a plan overflowed exp to a negative number and the request was
    // sent. Every number read from a plan, a claims file, a profile or an option is checked: exit
    // 2 naming the field and the range, and nothing reaches the bank.
    void outOfRangeNumbersAreUsageErrors_21_8() {
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        writeFile(p("overflow.json"),
                  onePlan("{\"kind\": \"time\", \"claim\": \"exp\", \"seconds\": 1e300}"));
        auto plan = dcrctl(QStringList{"test", "run", "--plan", p("overflow.json"), "--spec",
                                       "seed", "--claims", p("claims.json")} +
                           target(bank.port()));
        QCOMPARE(plan.exitCode, 2);
        QVERIFY2(plan.err.contains("mutations[0].seconds") &&
                     plan.err.contains("from -3155760000 to 3155760000"),
                 plan.err.constData());

        QJsonObject claims = QJsonDocument::fromJson(readFile(p("claims.json"))).object();
        claims.insert(QStringLiteral("exp"), 1e300);
        writeFile(p("exp-overflow.json"), QJsonDocument(claims).toJson());
        auto exp = dcrctl(submit(bank.port(), p("exp-overflow.json")));
        QCOMPARE(exp.exitCode, 2);
        QVERIFY2(exp.err.contains("exp: 1e+300 is out of range") &&
                     exp.err.contains("from 0 to 253402300799"),
                 exp.err.constData());

        // A profile whose settings hold a timeout no one could wait (or overflowing ms).
        QCOMPARE(dcrctl(QStringList{"profile", "add", "slow"} + target(bank.port())).exitCode, 0);
        const QString ini = p("config/dcr-console/dcr-console.ini");
        QByteArray settings = readFile(ini);
        QVERIFY(settings.contains("timeout_seconds\\\":30"));
        settings.replace("timeout_seconds\\\":30", "timeout_seconds\\\":1e300");
        writeFile(ini, settings);
        auto profile = dcrctl({"submit", "--profile", "slow", "--claims", p("claims.json")});
        QCOMPARE(profile.exitCode, 2);
        QVERIFY2(profile.err.contains("timeout_seconds must be a whole number of seconds from 1 "
                                      "to 600"),
                 profile.err.constData());

        auto limit = dcrctl({"history", "list", "--limit", "1e300"});
        QCOMPARE(limit.exitCode, 2);
        QVERIFY2(limit.err.contains("--limit must be a whole number from 1 to 1000000"),
                 limit.err.constData());
        auto timeout = dcrctl({"token", "--token-url",
                               QStringLiteral("https://localhost:%1/token").arg(bank.port()),
                               "--client-id", "c1", "--timeout", "99999999999"});
        QCOMPARE(timeout.exitCode, 2);
        QVERIFY2(timeout.err.contains("--timeout must be a whole number from 1 to 600"),
                 timeout.err.constData());
        auto now = dcrctl({"lint", "--now", "1e300", p("claims.json")});
        QCOMPARE(now.exitCode, 2);
        QVERIFY2(now.err.contains("--now must be a whole number from 0 to 253402300799"),
                 now.err.constData());
        QCOMPARE(bank.receivedRequests().size(), 0);
    }

    // #23: a profile's names are read once; one this version does not know (a typo in the
    // settings file) is a usage error naming the profile, the field, the value and the names
    // allowed, listed as unreadable, and nothing reaches the bank (before, an unknown
    // lifecycle_auth or sandbox_mode silently read as the default).
    void unknownProfileNamesAreUsageErrors_23() {
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        QCOMPARE(dcrctl(QStringList{"profile", "add", "typo"} + target(bank.port())).exitCode, 0);
        const QString ini = p("config/dcr-console/dcr-console.ini");
        QByteArray settings = readFile(ini);
        // Only this profile's line changes (keys are sorted: body_format comes before name).
        const QByteArray jwt = "body_format\\\":\\\"jwt\\\"";
        const qsizetype name = settings.indexOf("name\\\":\\\"typo\\\"");
        QVERIFY(name > 0);
        const qsizetype at = settings.indexOf(jwt, settings.lastIndexOf('\n', name));
        QVERIFY(at > 0 && at < name);
        settings.replace(at, jwt.size(), "body_format\\\":\\\"jws\\\"");
        writeFile(ini, settings);
        auto sent = dcrctl({"submit", "--profile", "typo", "--claims", p("claims.json")});
        QCOMPARE(sent.exitCode, 2);
        QVERIFY2(sent.err.contains("profile \"typo\": body_format \"jws\" is not one of jwt, json"),
                 sent.err.constData());
        auto listed = dcrctl({"profile", "list"});
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.contains("(UNREADABLE)") && listed.err.contains("\"jws\""),
                 (listed.out + listed.err).constData());
        QCOMPARE(bank.receivedRequests().size(), 0);
        QCOMPARE(dcrctl({"profile", "rm", "typo"}).exitCode, 0);
    }

    // #21.9: a FIFO as plan or input file blocked forever; a 6.7 MB plan was cut at 4 MiB.
    // Non-regular files are refused before they are opened, and an oversize file names its size
    // and the limit. (No writer ever opens the FIFO: the old code hung here until the guard.)
    void fifosAndOversizeFilesAreRefused_21_9() {
        ScriptedServer bank(ScriptedServer::Behaviour::Ok, &m_tls);
        const QString fifo = p("input.fifo");
        QCOMPARE(::mkfifo(QFile::encodeName(fifo).constData(), 0600), 0);
        const QList<QStringList> readers = {
            {"test", "list", "--plan", fifo},
            {"decode", fifo},
            submit(bank.port(), fifo),
            QStringList{"submit", "--url",
                        QStringLiteral("https://localhost:%1/register").arg(bank.port()), "--cert",
                        kit("tpp-transport.pem"), "--key", kit("tpp-transport-key.pem"), "--cacert",
                        fifo, "--signing-key", kit("tpp-signing-key.pem"), "--claims",
                        p("claims.json")},
        };
        for (const QStringList& args : readers) {
            auto r = dcrctl(args);
            QVERIFY2(r.exitCode == 2, qPrintable(args.join(u' ') + u' ' + r.err));
            QVERIFY2(r.err.contains("input.fifo is not a regular file (a FIFO)"),
                     qPrintable(args.join(u' ') + u' ' + r.err));
        }
        QCOMPARE(bank.receivedRequests().size(), 0);

        QByteArray big = onePlan("{\"kind\": \"remove\", \"claim\": \"iss\"}");
        big.insert(big.indexOf("\"title\": \"t\"") + 10, QByteArray(6700000, 'x'));
        writeFile(p("big-plan.json"), big);
        auto r = dcrctl({"test", "list", "--plan", p("big-plan.json")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(
            r.err.contains(QByteArray::number(big.size()) + " bytes, larger than the 4 MiB limit"),
            r.err.constData());
        QVERIFY(!r.err.contains("unterminated string"));
    }

    // #21.12: an unknown --outcome was a silent empty list (exit 0). It is a usage error that
    // lists the valid kinds; a valid kind still lists.
    void unknownOutcomeFilterIsUsageError_21_12() {
        auto r = dcrctl({"history", "list", "--outcome", "x' OR 1=1"});
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains("--outcome must be one of accepted, registered, retrieved, "
                                "updated, deleted, error, unexpected, transport, interrupted, "
                                "sending, not 'x' OR 1=1'"),
                 r.err.constData());
        QCOMPARE(dcrctl({"history", "list", "--outcome", "error"}).exitCode, 0);
    }

    // #21.13: "Unexpected answer (HTTP 201, text body)" exited 0. An unexpected answer is exit 1,
    // 2xx or not, as a redirect is; a 201 with a registered client is still 0.
    void unexpectedAnswerIsExit1_21_13() {
        auto text = ScriptedServer::answering(
            ScriptedServer::httpResponse("201 Created", "text/plain", "registered, see you"),
            &m_tls);
        auto r = dcrctl(submit(text->port()) << "--no-history");
        QVERIFY2(r.exitCode == 1, (r.out + r.err).constData());
        QVERIFY2(r.out.contains("nexpected"), r.out.constData());

        auto json = ScriptedServer::answering(
            ScriptedServer::httpResponse(
                "201 Created", "application/json",
                "{\"client_id\": \"c-201\", \"redirect_uris\": [\"https://tpp.example/cb\"]}"),
            &m_tls);
        auto ok = dcrctl(submit(json->port()) << "--no-history");
        QVERIFY2(ok.exitCode == 0, (ok.out + ok.err).constData());
    }

    // #21.13: the console's --send ends with the same codes as dcrctl submit (it exited 0 for any
    // 2xx): 1 for the 201 text body, 0 for a registered client; its stderr line escapes bank
    // text as dcrctl does.
    void consoleSendUsesTheSameExitCodes_21_13() {
        auto text =
            ScriptedServer::answering(ScriptedServer::httpResponse("201 Created", "text/plain",
                                                                   "\x1b]0;pwned\x07 registered"),
                                      &m_tls);
        auto json = ScriptedServer::answering(
            ScriptedServer::httpResponse("201 Created", "application/json",
                                         "{\"client_id\": \"c-console\", \"redirect_uris\": "
                                         "[\"https://tpp.example/cb\"]}"),
            &m_tls);
        for (const auto& [name, server] :
             {std::pair{"console-text", text.get()}, std::pair{"console-json", json.get()}}) {
            auto added = dcrctl(QStringList{"profile", "add", name} + target(server->port()));
            QVERIFY2(added.exitCode == 0, added.err.constData());
        }
        auto unexpected = runProgram(QStringLiteral(CONSOLE_PATH),
                                     {"--profile", "console-text", "--send", p("claims.json")});
        QVERIFY2(unexpected.exitCode == 1, (unexpected.out + unexpected.err).constData());
        QVERIFY2(unexpected.err.contains("nexpected"), unexpected.err.constData());
        QVERIFY(interpretedBytes(unexpected.err).isEmpty());
        auto registered = runProgram(QStringLiteral(CONSOLE_PATH),
                                     {"--profile", "console-json", "--send", p("claims.json")});
        QVERIFY2(registered.exitCode == 0, (registered.out + registered.err).constData());
    }

    // #21.14: bank text reached the terminal raw: ESC [2J cleared the screen, ESC ]0; retitled
    // the window, U+202E reversed what followed. Every line dcrctl prints shows them escaped;
    // --json stays valid JSON holding the bank's exact text.
    void bankTextIsEscapedOnTheTerminal_21_14() {
        const QByteArray hostile = "\\u001b[2J\\u001b]0;pwned\\u0007 \\u202egnp.exe \\u009b31m";
        auto error = ScriptedServer::answering(
            ScriptedServer::httpResponse(
                "400 Bad Request", "application/json",
                "{\"error\": \"invalid_client_metadata\", \"error_description\": \"" + hostile +
                    "\"}"),
            &m_tls);
        auto shown = dcrctl(submit(error->port()));
        QCOMPARE(shown.exitCode, 1);
        QVERIFY2(interpretedBytes(shown.out + shown.err).isEmpty(),
                 interpretedBytes(shown.out + shown.err).constData());
        QVERIFY2(shown.out.contains("\\x1b[2J\\x1b]0;pwned\\x07 \\u202egnp.exe \\u009b31m"),
                 shown.out.constData());

        auto asJson = dcrctl(submit(error->port()) << "--json");
        QVERIFY(interpretedBytes(asJson.out).isEmpty());
        QJsonParseError parse;
        const QJsonObject doc = QJsonDocument::fromJson(asJson.out, &parse).object();
        QVERIFY2(parse.error == QJsonParseError::NoError, asJson.out.constData());
        const QString text = doc.value("outcome").toObject().value("text").toString();
        QVERIFY2(text.contains(QStringLiteral("\x1b[2J")) && text.contains(QChar(0x202e)),
                 qPrintable(text));

        // The row in the history, shown and listed, and a client_name in a 201.
        const qint64 id = doc.value("history_id").toInteger();
        QVERIFY(id > 0);
        auto row = dcrctl({"history", "show", QString::number(id)});
        QCOMPARE(row.exitCode, 0);
        QVERIFY2(interpretedBytes(row.out).isEmpty(), interpretedBytes(row.out).constData());
        QVERIFY(row.out.contains("\\x1b]0;pwned"));
        auto client = ScriptedServer::answering(
            ScriptedServer::httpResponse(
                "201 Created", "application/json",
                "{\"client_id\": \"c1\", \"client_name\": \"\\u001b]0;pwned\\u0007\\u202eevil\", "
                "\"redirect_uris\": [\"https://tpp.example/cb\"]}"),
            &m_tls);
        auto registered = dcrctl(submit(client->port()));
        QVERIFY2(registered.exitCode == 0, (registered.out + registered.err).constData());
        QVERIFY2(interpretedBytes(registered.out).isEmpty(),
                 interpretedBytes(registered.out).constData());
        QVERIFY2(registered.out.contains("\\u202eevil"), registered.out.constData());
        auto list = dcrctl({"history", "list"});
        QVERIFY(interpretedBytes(list.out + list.err).isEmpty());
    }

    // #21.14: profile names with a line feed or ESC were accepted and broke 'profile list'. The
    // session refuses them (the console gets the same refusal) with the character and position.
    void controlCharactersInProfileNamesAreRefused_21_14() {
        for (const QString& name : {QStringLiteral("two\nlines"), QStringLiteral("red\x1b[31m"),
                                    QStringLiteral("evil") + QChar(0x202e)}) {
            auto r = dcrctl({"profile", "add", name, "--url", "https://bank.example/register"});
            QCOMPARE(r.exitCode, 2);
            QVERIFY2(r.err.contains("has a control character"), r.err.constData());
            QVERIFY(interpretedBytes(r.err).isEmpty());
        }
        auto list = dcrctl({"profile", "list"});
        QCOMPARE(list.exitCode, 0);
        QVERIFY(!list.out.contains("two"));
        QVERIFY(!list.out.contains("red"));
        QVERIFY(!list.out.contains("evil"));
        QCOMPARE(dcrctl({"profile", "add", "Banco São Paulo (teste)", "--url",
                         "https://bank.example/register"})
                     .exitCode,
                 0);
    }

    // #21.14: other names a user gives, a plan's name and its scenario ids (history tags and
    // report lines), are refused with control characters too.
    void controlCharactersInPlanNamesAreRefused_21_14() {
        QByteArray plan = onePlan("{\"kind\": \"remove\", \"claim\": \"iss\"}");
        writeFile(p("bad-id.json"),
                  QByteArray(plan).replace("\"id\": \"one\"", "\"id\": \"one\\u001b[8m\""));
        auto id = dcrctl({"test", "list", "--plan", p("bad-id.json")});
        QCOMPARE(id.exitCode, 2);
        QVERIFY2(id.err.contains("id: the scenario id \"one\\x1b[8m\" has a control character"),
                 id.err.constData());
        writeFile(p("bad-name.json"), QByteArray(plan).replace("\"tiny\"", "\"tiny\\nplan\""));
        auto name = dcrctl({"test", "list", "--plan", p("bad-name.json")});
        QCOMPARE(name.exitCode, 2);
        QVERIFY2(name.err.contains("name: the plan name"), name.err.constData());
        writeFile(p("good-plan.json"), plan);
        QCOMPARE(dcrctl({"test", "list", "--plan", p("good-plan.json")}).exitCode, 0);
    }

    // #21.14: the output device escapes a bidi override whose UTF-8 bytes arrive in two writes
    // (QTextStream flushes where its buffer ends), and passes other text untouched.
    void terminalOutputHoldsSplitSequences_21_14() {
        QBuffer sink;
        QVERIFY(sink.open(QIODevice::WriteOnly));
        {
            cli::TerminalOutput device(&sink);
            QCOMPARE(device.write("ok \xe2\x80", 5), 5);
            QCOMPARE(device.write("\xae\x1b[0m é\n", 9), 9);
        }
        QCOMPARE(sink.data(), QByteArray("ok \\u202e\\x1b[0m \xc3\xa9\n"));
    }
};

QTEST_MAIN(TestDcrctlHygiene)
#include "tst_dcrctl_hygiene.moc"
