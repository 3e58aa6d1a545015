// Subject DNs compared by meaning: renderings of one certificate subject (from the openssl CLI,
// Go, RFC 4514 by hand) are accepted by preflight, other subjects are rejected. The certificates
// are made at test time with `openssl req`, independently of our code.
#include "TestSupport.h"
#include "jose/Certificate.h"
#include "jose/DistinguishedName.h"
#include "registration/Preflight.h"

#include <QJsonArray>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

// "#" + hex of a BER string: tag 0x0c UTF8String, 0x13 PrintableString.
QString ber(char tag, const QByteArray& text) {
    return QStringLiteral("#") +
           QString::fromLatin1((QByteArray(1, tag) + char(text.size()) + text).toHex());
}

} // namespace

class TestDistinguishedName : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Certificate m_cert;  // C=GB, O=Example, Ltd, organizationIdentifier, CN
    Certificate m_multi; // CN=tpp+UID=abc, a multi-valued RDN

    Certificate makeCertificate(const QString& name, const QStringList& extra) {
        auto r = test::openssl(QStringList{"req", "-x509", "-newkey", "ec", "-pkeyopt",
                                           "ec_paramgen_curve:P-256", "-nodes", "-keyout",
                                           name + ".key", "-out", name + ".pem", "-days", "2"} +
                                   extra,
                               {}, m_dir.path());
        if (r.exitCode != 0)
            qFatal("openssl req failed: %s", r.err.constData());
        return *Certificate::fromPem(test::readFile(m_dir.filePath(name + ".pem")));
    }

    QString opensslSubject(const QString& name, const char* nameopt) {
        auto r = test::openssl({"x509", "-in", name + ".pem", "-noout", "-subject", "-nameopt",
                                QString::fromLatin1(nameopt)},
                               {}, m_dir.path());
        return QString::fromUtf8(r.out.trimmed()).mid(QStringLiteral("subject=").size());
    }

    // Runs preflight (seed) with the certificate as the transport certificate.
    QList<PreflightFinding> lint(const QString& dn, const Certificate& cert) {
        PreflightOptions o;
        o.transportCertificate = cert;
        PreflightInput in;
        in.request = RegistrationRequest(QJsonObject{
            {"token_endpoint_auth_method", "tls_client_auth"}, {"tls_client_auth_subject_dn", dn}});
        return Preflight(o).run(in);
    }

    static bool has(const QList<PreflightFinding>& findings, const char* rule) {
        for (const auto& f : findings)
            if (f.rule == QLatin1String(rule))
                return true;
        return false;
    }

private slots:
    void initTestCase() {
        m_cert = makeCertificate(
            QStringLiteral("ob"),
            {"-subj",
             "/C=GB/O=Example, Ltd/organizationIdentifier=PSDGB-OB-123456/CN=0014H00001lFE4pQAG"});
        m_multi = makeCertificate(QStringLiteral("multi"),
                                  {"-multivalue-rdn", "-subj", "/C=GB/O=Example/CN=tpp+UID=abc"});
    }

    void renderingsOfOneSubjectAreAccepted_data() {
        QTest::addColumn<QString>("dn");
        QTest::addColumn<bool>("ours"); // one of the two renderings Certificate writes
        const QString cn = QStringLiteral("0014H00001lFE4pQAG");
        QTest::newRow("openssl -nameopt RFC2253") << opensslSubject("ob", "RFC2253") << true;
        QTest::newRow("ours: RFC 4514 section 2.4, dotted OID with #hex")
            << m_cert.subjectDn(DnStyle::Rfc4514Oid) << true;
        QTest::newRow("openssl -nameopt oneline (X.500 order, quoted)")
            << opensslSubject("ob", "oneline") << false;
        QTest::newRow("openssl -nameopt compat (slash form)")
            << opensslSubject("ob", "compat") << false;
        // Go's pkix.Name.String(): unknown OIDs as "#" + hex of the DER value (PrintableString).
        QTest::newRow("Go: 2.5.4.97=#13...")
            << QStringLiteral("CN=%1,2.5.4.97=%2,O=Example\\, Ltd,C=GB")
                   .arg(cn, ber(0x13, "PSDGB-OB-123456"))
            << false;
        QTest::newRow("comma-space separators")
            << QStringLiteral(
                   "CN=%1, organizationIdentifier=PSDGB-OB-123456, O=Example\\, Ltd, C=GB")
                   .arg(cn)
            << false;
        QTest::newRow("attribute names in other case")
            << QStringLiteral("cn=%1,ORGANIZATIONIDENTIFIER=PSDGB-OB-123456,o=Example\\, Ltd,c=GB")
                   .arg(cn)
            << false;
        QTest::newRow("values in other case (caseIgnoreMatch)")
            << QStringLiteral("CN=%1,organizationIdentifier=psdgb-ob-123456,O=EXAMPLE\\, LTD,C=gb")
                   .arg(cn)
            << false;
        QTest::newRow("every type as a dotted OID with #hex")
            << QStringLiteral("2.5.4.3=%1,2.5.4.97=%2,2.5.4.10=%3,2.5.4.6=%4")
                   .arg(ber(0x0c, cn.toUtf8()), ber(0x0c, "PSDGB-OB-123456"),
                        ber(0x0c, "Example, Ltd"), ber(0x13, "GB"))
            << false;
        QTest::newRow("OID. prefix, \\2C hex escape")
            << QStringLiteral("CN=%1,OID.2.5.4.97=PSDGB-OB-123456,O=Example\\2C Ltd,C=GB").arg(cn)
            << false;
        QTest::newRow("the old dotted OID with a plain string")
            << QStringLiteral("CN=%1,2.5.4.97=PSDGB-OB-123456,O=Example\\, Ltd,C=GB").arg(cn)
            << false;
        QTest::newRow("escaped first character, extra spaces in a value")
            << QStringLiteral("CN=\\30014H00001lFE4pQAG,organizationIdentifier=PSDGB-OB-123456,"
                              "O=Example\\,  Ltd,C=GB")
            << false;
    }

    void renderingsOfOneSubjectAreAccepted() {
        QFETCH(QString, dn);
        QFETCH(bool, ours);
        QVERIFY(!dn.isEmpty());
        auto parsed = DistinguishedName::parse(dn);
        QVERIFY2(parsed.ok(),
                 qPrintable(dn + u' ' + (parsed ? QString() : parsed.error().message)));
        QVERIFY2(parsed->sameAs(DistinguishedName::fromCertificateSubject(m_cert)), qPrintable(dn));
        const auto findings = lint(dn, m_cert);
        QVERIFY2(!has(findings, "subject-dn-certificate") && !has(findings, "subject-dn-syntax"),
                 qPrintable(dn));
        // Another rendering is accepted with an info finding that names ours.
        QCOMPARE(has(findings, "subject-dn-rendering"), !ours);
    }

    void otherSubjectsAreRejected_data() {
        QTest::addColumn<QString>("dn");
        QTest::newRow("different CN") << QStringLiteral(
            "CN=0014H00001lFE4pQAX,organizationIdentifier=PSDGB-OB-123456,O=Example\\, Ltd,C=GB");
        QTest::newRow("different organisation id") << QStringLiteral(
            "CN=0014H00001lFE4pQAG,organizationIdentifier=PSDGB-OB-654321,O=Example\\, "
            "Ltd,C=GB");
        QTest::newRow("different organisation id in #hex")
            << QStringLiteral("CN=0014H00001lFE4pQAG,2.5.4.97=%1,O=Example\\, Ltd,C=GB")
                   .arg(ber(0x13, "PSDGB-OB-654321"));
        QTest::newRow("an RDN left out")
            << QStringLiteral("CN=0014H00001lFE4pQAG,O=Example\\, Ltd,C=GB");
        QTest::newRow("RFC 4514 syntax in reverse order") << QStringLiteral(
            "C=GB,O=Example\\, Ltd,organizationIdentifier=PSDGB-OB-123456,CN=0014H00001lFE4pQAG");
        QTest::newRow("two RDNs merged into one")
            << QStringLiteral("CN=0014H00001lFE4pQAG+organizationIdentifier=PSDGB-OB-123456,"
                              "O=Example\\, Ltd,C=GB");
    }

    void otherSubjectsAreRejected() {
        QFETCH(QString, dn);
        QVERIFY(DistinguishedName::parse(dn).ok());
        QVERIFY(has(lint(dn, m_cert), "subject-dn-certificate"));
    }

    void multiValuedRdns() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_multi);
        QCOMPARE(subject.rdns().size(), 3);
        QCOMPARE(subject.rdns().first().size(), 2);
        for (const QString& dn :
             {opensslSubject("multi", "RFC2253"), QStringLiteral("CN=tpp+UID=abc,O=Example,C=GB"),
              QStringLiteral("uid=abc + cn=tpp, o=Example, c=GB")}) {
            QVERIFY2(DistinguishedName::parse(dn)->sameAs(subject), qPrintable(dn));
            QVERIFY2(!has(lint(dn, m_multi), "subject-dn-certificate"), qPrintable(dn));
        }
        QVERIFY(has(lint(QStringLiteral("CN=tpp,UID=abc,O=Example,C=GB"), m_multi),
                    "subject-dn-certificate"));
        QVERIFY(has(lint(QStringLiteral("CN=tpp+UID=abd,O=Example,C=GB"), m_multi),
                    "subject-dn-certificate"));
    }

    void ourRenderingRoundTrips() {
        for (const Certificate* cert : {&m_cert, &m_multi}) {
            const auto subject = DistinguishedName::fromCertificateSubject(*cert);
            QCOMPARE(subject.toRfc4514(), cert->subjectDn(DnStyle::Rfc4514Oid));
            QVERIFY(
                DistinguishedName::parse(cert->subjectDn(DnStyle::Rfc4514Oid))->sameAs(subject));
            QVERIFY(
                DistinguishedName::parse(cert->subjectDn(DnStyle::Rfc4514Names))->sameAs(subject));
        }
        // RFC 4514 section 2.4: a dotted-decimal type is followed by '#' and the BER hex.
        QVERIFY(m_cert.subjectDn(DnStyle::Rfc4514Oid)
                    .contains(QStringLiteral("2.5.4.97=") + ber(0x0c, "PSDGB-OB-123456")));
    }

    void parsesRfc4514Details() {
        // RFC 4514 section 4 examples.
        auto a = DistinguishedName::parse(QStringLiteral("UID=jsmith,DC=example,DC=net"));
        QVERIFY(a.ok());
        QCOMPARE(a->rdns().size(), 3);
        QCOMPARE(a->rdns().first().first().oid, QStringLiteral("0.9.2342.19200300.100.1.1"));
        auto b =
            DistinguishedName::parse(QStringLiteral("OU=Sales+CN=J.  Smith,DC=example,DC=net"));
        QVERIFY(b.ok());
        QCOMPARE(b->rdns().first().size(), 2);
        QCOMPARE(b->rdns().first().at(1).value, QStringLiteral("J.  Smith"));
        auto c = DistinguishedName::parse(
            QStringLiteral("CN=James \\\"Jim\\\" Smith\\, III,DC=example,DC=net"));
        QVERIFY(c.ok());
        QCOMPARE(c->rdns().first().first().value, QStringLiteral("James \"Jim\" Smith, III"));
        auto d = DistinguishedName::parse(QStringLiteral("CN=Before\\0dAfter,DC=example,DC=net"));
        QVERIFY(d.ok());
        QCOMPARE(d->rdns().first().first().value, QStringLiteral("Before\rAfter"));
        auto e = DistinguishedName::parse(QStringLiteral("1.3.6.1.4.1.1466.0=#04024869"));
        QVERIFY(!e.ok()); // an OCTET STRING is not a string value we can compare
        auto f = DistinguishedName::parse(QStringLiteral("CN=Lu\\C4\\8Di\\C4\\87"));
        QVERIFY(f.ok());
        QCOMPARE(f->rdns().first().first().value, QString::fromUtf8("Lu\xc4\x8d"
                                                                    "i\xc4\x87"));
        // Trailing escaped space is kept, unescaped trailing spaces are not.
        QCOMPARE(DistinguishedName::parse(QStringLiteral("CN=a\\ "))->rdns().first().first().value,
                 QStringLiteral("a "));
        QCOMPARE(DistinguishedName::parse(QStringLiteral("CN=a  "))->rdns().first().first().value,
                 QStringLiteral("a"));
    }

    void rejectsMalformed_data() {
        QTest::addColumn<QString>("dn");
        for (const char* bad :
             {"", "   ", "CN", "=value", "CN=a,", "CN=a\\", "CN=#zz", "CN=#0c05ab", "CN=#0c",
              "9.=x", "1..2=x", "FOO=bar", "CN=\\q", "CN=a,,O=b", "CN=\"open", "CN=#0c0341",
              "CN=#1e03414243", "CN=\\ff\\fe"})
            QTest::newRow(bad) << QString::fromLatin1(bad);
    }

    void rejectsMalformed() {
        QFETCH(QString, dn);
        auto parsed = DistinguishedName::parse(dn);
        QVERIFY2(!parsed.ok(), qPrintable(dn));
        QVERIFY(!parsed.error().message.isEmpty());
        QVERIFY(has(lint(dn.trimmed().isEmpty() ? QStringLiteral("x") : dn, m_cert),
                    "subject-dn-syntax"));
    }
};

QTEST_APPLESS_MAIN(TestDistinguishedName)
#include "tst_distinguished_name.moc"
