// dcrctl against a hostile bank (issue #21 items 1 and 2): a 201 whose secrets cannot be located
// by parsing (JSON with text after it, a form, an answer cut at the size limit, a JWS with '='
// padding sent as text/plain) must not show client_secret or registration_access_token in
// `submit`, `history show` (its error: line included), `history export` or `history list`, in
// clear or in base64; --reveal-secrets still shows the body as received.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

const QByteArray kSecret = "s3cr3t-hostile-cs-1a2b";
const QByteArray kToken = "t0k-hostile-rat-9z8y";
const QByteArray kWithheld = "[body withheld: could not be masked; --reveal-secrets shows it]";
// TransportSettings::maxResponseBytes: the answer is cut there.
constexpr qsizetype kSizeLimit = 5 * 1024 * 1024;

// The secrets as text or inside any base64 / base64url run, at any alignment.
QStringList secretsIn(const QByteArray& output) {
    QStringList found;
    auto scan = [&](const QByteArray& text, const QString& where) {
        for (const QByteArray& secret : {kSecret, kToken})
            if (text.contains(secret))
                found << where + QStringLiteral(": ") + QString::fromLatin1(secret);
    };
    scan(output, QStringLiteral("text"));
    static const QRegularExpression run(QStringLiteral("[A-Za-z0-9_\\-+/]{8,}={0,2}"));
    for (auto it = run.globalMatch(QString::fromLatin1(output)); it.hasNext();) {
        const QByteArray segment = it.next().captured().toLatin1();
        if (segment.size() > 4096)
            continue; // the cut answer's padding: no secret in it
        for (auto options : {QByteArray::Base64UrlEncoding, QByteArray::Base64Encoding})
            for (int skip = 0; skip < 4; ++skip)
                scan(QByteArray::fromBase64(segment.mid(skip), options),
                     QStringLiteral("decoded ") + QString::fromLatin1(segment.left(24)));
    }
    return found;
}

QByteArray clientJson() {
    return "{\"client_id\":\"c-hostile\",\"client_secret\":\"" + kSecret +
           "\",\"registration_access_token\":\"" + kToken + "\"}";
}

QByteArray http201(const QByteArray& contentType, const QByteArray& body,
                   qsizetype announced = -1) {
    return "HTTP/1.1 201 Created\r\nContent-Type: " + contentType +
           "\r\nContent-Length: " + QByteArray::number(announced < 0 ? body.size() : announced) +
           "\r\nConnection: close\r\n\r\n" + body;
}

// A 201 longer than the size limit, cut by it five bytes into the registration_access_token.
QByteArray cutAtTheSizeLimit() {
    const QByteArray head = "{\"client_id\":\"c-cut\",\"padding\":\"";
    const QByteArray tail = "\",\"client_secret\":\"" + kSecret +
                            "\",\"registration_access_token\":\"" + kToken + "\"}";
    const qsizetype cutInToken = tail.indexOf(kToken) + 5;
    const QByteArray body = head + QByteArray(kSizeLimit - head.size() - cutInToken, 'x') + tail +
                            QByteArray(1024, ' ');
    return http201("application/json", body);
}

QByteArray paddedJws() {
    return QByteArray("{\"alg\":\"PS256\",\"kid\":\"bank\"}")
               .toBase64(QByteArray::Base64UrlEncoding) +
           '.' + clientJson().toBase64(QByteArray::Base64UrlEncoding) + '.' +
           QByteArray("signature-bytes!").toBase64(QByteArray::Base64UrlEncoding);
}

} // namespace

class TestDcrctlHostileBank : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    ScriptedBankKit m_kit;

    QString path(const QString& relative) const { return m_home.filePath(relative); }

    // Runs dcrctl and keeps this test's event loop turning meanwhile, so that the in-process
    // scripted bank answers while the child waits for it.
    ProcessResult dcrctl(const QStringList& args) {
        return runWhileServing(QStringLiteral(DCRCTL_PATH), args, m_home.path(), 120000);
    }

    QStringList submitArgs(quint16 port) const {
        return QStringList{"submit"} + m_kit.transportArgs(port) +
               QStringList{"--signing-key", m_kit->path("tpp-signing-key.pem"), "--claims",
                           path(QStringLiteral("claims.json"))};
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        const QString created = m_kit.create(path(QStringLiteral("kit")));
        QVERIFY2(created.isEmpty(), qPrintable(created));
        writeFile(path(QStringLiteral("claims.json")),
                  m_kit->demoRequest(QDateTime::currentDateTimeUtc()).toJsonBytes());
    }

    void secretsStayHidden_data() {
        QTest::addColumn<QByteArray>("answer");
        QTest::addColumn<QByteArray>("shownAs"); // what replaces the secret in `history show`
        QTest::addColumn<bool>("errorLine");     // the row quotes the body on an error: line
        QTest::newRow("#21.1 JSON then an HTML comment")
            << http201("application/json", clientJson() + "\n<!-- trace id 42 -->")
            << QByteArray("(masked)") << true;
        QTest::newRow("#21.1 form body") << http201("application/x-www-form-urlencoded",
                                                    "client_id=a&client_secret=" + kSecret +
                                                        "&registration_access_token=" + kToken)
                                         << QByteArray("(masked)") << true;
        QTest::newRow("#21.1 201 cut at the size limit inside the token")
            << cutAtTheSizeLimit() << kWithheld << false;
        QTest::newRow("#21.2 JWS with '=' padding as text/plain")
            << http201("text/plain", paddedJws()) << kWithheld << true;
    }

    void secretsStayHidden() {
        QFETCH(QByteArray, answer);
        QFETCH(QByteArray, shownAs);
        QFETCH(bool, errorLine);
        const auto bank = ScriptedServer::answering(answer, &m_kit.tls());

        const auto sent = dcrctl(submitArgs(bank->port()) << "--json");
        QVERIFY2(sent.exitCode >= 0 && sent.exitCode <= 3, (sent.out + sent.err).constData());
        QVERIFY2(secretsIn(sent.out + sent.err).isEmpty(),
                 qPrintable(secretsIn(sent.out + sent.err).join(u'\n')));
        const QString id = QString::number(
            QJsonDocument::fromJson(sent.out).object().value("history_id").toInteger());
        QVERIFY2(id != QStringLiteral("0"), sent.out.constData());

        const auto human = dcrctl(submitArgs(bank->port()));
        QVERIFY2(secretsIn(human.out + human.err).isEmpty(), (human.out + human.err).constData());

        const auto show = dcrctl({"history", "show", id});
        QCOMPARE(show.exitCode, 0);
        QVERIFY2(secretsIn(show.out).isEmpty(), show.out.constData());
        QVERIFY2(show.out.contains(shownAs), show.out.constData());
        if (errorLine)
            QVERIFY2(show.out.contains("\n  error:"), show.out.constData());
        for (const QStringList& args :
             {QStringList{"history", "show", id, "--json"}, QStringList{"history", "export", id},
              QStringList{"history", "export", id, "--format", "curl"},
              QStringList{"history", "list"}, QStringList{"history", "list", "--json"}}) {
            const auto r = dcrctl(args);
            QVERIFY2(r.exitCode == 0, r.err.constData());
            QVERIFY2(secretsIn(r.out + r.err).isEmpty(),
                     qPrintable(args.join(u' ') + u'\n' + secretsIn(r.out).join(u'\n')));
        }
        // The request carried no secret: it is exported as sent (a signed JWT), not masked.
        const auto exported = dcrctl({"history", "export", id});
        const QString jwt = QJsonDocument::fromJson(exported.out)
                                .array()
                                .first()
                                .toObject()
                                .value("request")
                                .toObject()
                                .value("jwt")
                                .toString();
        QVERIFY2(jwt.startsWith(QStringLiteral("eyJ")) && jwt.count(u'.') == 2,
                 exported.out.left(600).constData());
        // Nothing is lost: the body is kept as received and shown when asked for.
        const auto revealed = dcrctl({"history", "export", id, "--reveal-secrets"});
        QVERIFY2(!secretsIn(revealed.out).isEmpty(), "the body was not kept");
    }
};

QTEST_MAIN(TestDcrctlHostileBank)
#include "tst_dcrctl_hostile_bank.moc"
