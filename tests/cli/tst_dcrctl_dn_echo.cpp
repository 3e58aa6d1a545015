// Issue #25.3: after a registration, the subject DN the bank echoes back (RFC 8705's
// tls_client_auth_subject_dn, or OBIE 3.1's tls_client_auth_dn) is compared by meaning with the
// transport certificate the request was sent with, and `dcrctl submit` says any difference, in
// text and in --json ("subject_dn_echo"). The bank is a scripted one over mutual TLS; the
// certificate's subject is read with the openssl tool, not with the code under test.
#include "ScriptedBankKit.h"
#include "ScriptedServer.h"
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>

using namespace dcr;
using namespace dcr::test;

namespace {

const QString kOrgId = QStringLiteral("organizationIdentifier=PSDGB-FCA-123456,");

QByteArray http201(const QJsonObject& client) {
    return ScriptedServer::jsonResponse("201 Created",
                                        QJsonDocument(client).toJson(QJsonDocument::Compact));
}

} // namespace

class TestDcrctlDnEcho : public QObject {
    Q_OBJECT
    QTemporaryDir m_home;
    ScriptedBankKit m_kit;
    QString m_subject; // the kit's transport certificate, as `openssl x509 -nameopt RFC2253`

    QString path(const QString& relative) const { return m_home.filePath(relative); }

    ProcessResult dcrctl(const QStringList& args) {
        return runWhileServing(QStringLiteral(DCRCTL_PATH), args, m_home.path(), 120000);
    }

    QStringList submitArgs(quint16 port) const {
        return QStringList{"submit", "--no-history"} + m_kit.transportArgs(port) +
               QStringList{"--signing-key", m_kit->path("tpp-signing-key.pem"), "--claims",
                           path(QStringLiteral("claims.json"))};
    }

    QString opensslSubject(const QString& options) const {
        const auto r = openssl({"x509", "-in", m_kit->path("tpp-transport.pem"), "-noout",
                                "-subject", "-nameopt", options});
        return QString::fromUtf8(r.out).trimmed().remove(
            QRegularExpression(QStringLiteral("^subject=")));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_home.isValid());
        const QString created = m_kit.create(path(QStringLiteral("kit")));
        QVERIFY2(created.isEmpty(), qPrintable(created));
        writeFile(path(QStringLiteral("claims.json")),
                  m_kit->demoRequest(QDateTime::currentDateTimeUtc()).toJsonBytes());
        m_subject = opensslSubject(QStringLiteral("RFC2253"));
        QVERIFY2(m_subject.contains(kOrgId), qPrintable(m_subject));
    }

    void echoedDnIsComparedByMeaning_data() {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QString>("echoed");
        QTest::addColumn<QString>("reported"); // empty: the same by meaning, nothing said
        QString lacking = m_subject;
        lacking.remove(kOrgId);
        QTest::newRow("lacks organizationIdentifier")
            << QStringLiteral("tls_client_auth_subject_dn") << lacking
            << QStringLiteral("the bank's DN lacks 2.5.4.97 organizationIdentifier "
                              "(the transport certificate's subject has \"PSDGB-FCA-123456\")");
        QString otherOrg = m_subject;
        otherOrg.replace(QStringLiteral("O=Demo TPP Ltd"), QStringLiteral("O=Other TPP Ltd"));
        QTest::newRow("OBIE 3.1 claim, another O")
            << QStringLiteral("tls_client_auth_dn") << otherOrg
            << QStringLiteral("2.5.4.10 organizationName differs: the transport certificate's "
                              "subject has \"Demo TPP Ltd\", the bank's DN \"Other TPP Ltd\"");
        QTest::newRow("not a DN") << QStringLiteral("tls_client_auth_subject_dn")
                                  << QStringLiteral("Demo TPP Ltd")
                                  << QStringLiteral("could not be read as a DN");
        QTest::newRow("the same, as openssl's one-line form")
            << QStringLiteral("tls_client_auth_subject_dn")
            << opensslSubject(QStringLiteral("oneline")) << QString();
        QStringList rdns = m_subject.split(u',');
        std::reverse(rdns.begin(), rdns.end());
        QTest::newRow("the same, reordered and respaced")
            << QStringLiteral("tls_client_auth_dn") << rdns.join(QStringLiteral(" ,  "))
            << QString();
    }

    void echoedDnIsComparedByMeaning() {
        QFETCH(QString, claim);
        QFETCH(QString, echoed);
        QFETCH(QString, reported);
        QVERIFY(m_subject.contains(QStringLiteral("O=Demo TPP Ltd")));
        const auto bank = ScriptedServer::answering(
            http201({{QStringLiteral("client_id"), QStringLiteral("c-echo")}, {claim, echoed}}),
            &m_kit.tls());

        const auto json = dcrctl(submitArgs(bank->port()) << "--json");
        QVERIFY2(json.exitCode == 0, (json.out + json.err).constData());
        const QJsonObject out = QJsonDocument::fromJson(json.out).object();
        QCOMPARE(out.value("outcome").toObject().value("outcome").toString(),
                 QStringLiteral("registered"));
        const QJsonArray echoes = out.value("subject_dn_echo").toArray();
        QCOMPARE(echoes.size(), 1);
        const QJsonObject echo = echoes.first().toObject();
        QCOMPARE(echo.value("claim").toString(), claim);
        QCOMPARE(echo.value("echoed").toString(), echoed);
        QCOMPARE(echo.value("same_by_meaning").toBool(), reported.isEmpty());
        const QString problems =
            QJsonDocument(echo).toJson(QJsonDocument::Compact).replace("\\\"", "\"");
        if (!reported.isEmpty())
            QVERIFY2(problems.contains(reported), qPrintable(problems));
        else
            QVERIFY2(echo.value("differences").toArray().isEmpty(), qPrintable(problems));

        const auto text = dcrctl(submitArgs(bank->port()));
        QVERIFY2(text.exitCode == 0, (text.out + text.err).constData());
        const QString shown = QString::fromUtf8(text.out);
        if (reported.isEmpty()) {
            QVERIFY2(!shown.contains(QStringLiteral("subject DN")), qPrintable(shown));
        } else {
            QVERIFY2(shown.contains(QStringLiteral("subject DN: the bank's ") + claim),
                     qPrintable(shown));
            QVERIFY2(shown.contains(reported), qPrintable(shown));
        }
    }

    void noEchoNoReport() {
        const auto bank = ScriptedServer::answering(
            http201({{QStringLiteral("client_id"), QStringLiteral("c-quiet")}}), &m_kit.tls());
        const auto json = dcrctl(submitArgs(bank->port()) << "--json");
        QVERIFY2(json.exitCode == 0, (json.out + json.err).constData());
        QVERIFY2(!QJsonDocument::fromJson(json.out).object().contains("subject_dn_echo"),
                 json.out.constData());
    }
};

QTEST_MAIN(TestDcrctlDnEcho)
#include "tst_dcrctl_dn_echo.moc"
