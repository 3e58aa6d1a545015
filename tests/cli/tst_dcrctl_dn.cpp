// dcrctl dn as a process: the subject's dialects, --compare's verdict, explanation and exit code
// (0 the same, 1 different, 2 bad input), and --json.
#include "TestSupport.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr::test;

namespace {

ProcessResult dcrctl(const QStringList& args, const QByteArray& input = {}) {
    return run(QStringLiteral(DCRCTL_PATH), args, input, 60000);
}

} // namespace

class TestDcrctlDn : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString cert() const { return p(QStringLiteral("cert.pem")); }
    // What Go's pkix.Name.String() prints for this subject (1.15 and later: other types last as
    // OID=#hex), and what older Go printed (no organizationIdentifier).
    const QString m_goDn = QStringLiteral("CN=Zoë Test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB,"
                                          "2.5.4.97=#131050534447422d4643412d313233343536");
    const QString m_oldGoDn = QStringLiteral("CN=Zoë Test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB");

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        const auto r =
            openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", p("key.pem"), "-subj",
                     "/C=GB/O=Acme, Ltd\\+Co/OU=Payments/"
                     "organizationIdentifier=PSDGB-FCA-123456/CN=Zoë Test",
                     "-utf8", "-days", "2", "-out", cert()});
        QVERIFY2(r.exitCode == 0, r.err.constData());
        QVERIFY(
            openssl({"x509", "-in", cert(), "-outform", "DER", "-out", p("cert.der")}).exitCode ==
            0);
    }

    void listedWithHelp() {
        const auto all = dcrctl({"--help"});
        QCOMPARE(all.exitCode, 0);
        QVERIFY(all.out.contains("\n  dn "));
        const auto help = dcrctl({"dn", "--help"});
        QCOMPARE(help.exitCode, 0);
        QVERIFY2(help.out.contains("Usage: dcrctl dn") && help.out.contains("--compare"),
                 help.out.constData());
    }

    void printsEveryDialect() {
        const auto r = dcrctl({"dn", cert()});
        QCOMPARE(r.exitCode, 0);
        const QString out = QString::fromUtf8(r.out);
        // The RFC 2253 line is what the openssl tool prints.
        const auto peer =
            openssl({"x509", "-in", cert(), "-noout", "-subject", "-nameopt", "RFC2253"});
        const QString rfc2253 = QString::fromUtf8(peer.out).trimmed().mid(int(strlen("subject=")));
        QVERIFY(!rfc2253.isEmpty());
        QVERIFY2(out.contains("OpenSSL RFC 2253 (-nameopt RFC2253):\n  " + rfc2253 + "\n"),
                 r.out.constData());
        QVERIFY(out.contains(QStringLiteral("RFC 4514, attribute names:\n  CN=Zoë Test,"
                                            "organizationIdentifier=PSDGB-FCA-123456,OU=Payments,"
                                            "O=Acme\\, Ltd\\+Co,C=GB\n")));
        QVERIFY(out.contains(QStringLiteral("2.5.4.97=#0c1050534447422d4643412d313233343536")));
        QVERIFY(out.contains(QStringLiteral("Go pkix.Name.String():\n  ") + m_goDn + u'\n'));
        QVERIFY(out.contains(QStringLiteral("Go prints 2.5.4.97 organizationIdentifier")));
        QVERIFY(out.contains(QStringLiteral("CN first:")));
        QVERIFY(out.contains(QStringLiteral("OpenSSL one-line")));
        // DER reads the same.
        const auto der = dcrctl({"dn", p("cert.der")});
        QCOMPARE(der.exitCode, 0);
        QCOMPARE(der.out, r.out);
    }

    void compareSameByMeaningExitsZero() {
        const auto peer =
            openssl({"x509", "-in", cert(), "-noout", "-subject", "-nameopt", "RFC2253"});
        const QString rfc2253 = QString::fromUtf8(peer.out).trimmed().mid(int(strlen("subject=")));
        const auto r = dcrctl({"dn", cert(), "--compare", rfc2253});
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains("the same by meaning\n"), r.out.constData());
        QVERIFY(!r.out.contains("  - "));
        QVERIFY(r.out.contains("spelled exactly as the \"OpenSSL RFC 2253 (-nameopt RFC2253)\""));
        // Another order: still the same, and said so.
        const auto reordered =
            dcrctl({"dn", cert(), "--compare",
                    "C=GB,O=Acme\\, Ltd\\+Co,OU=Payments,organizationIdentifier=PSDGB-FCA-123456,"
                    "CN=Zoë Test"});
        QCOMPARE(reordered.exitCode, 0);
        QVERIFY(reordered.out.contains("the same by meaning\n"));
        QVERIFY(reordered.out.contains("note: the same attributes, in a different RDN order"));
    }

    void compareLackingOrganizationIdentifierExitsOne() {
        const auto go = dcrctl({"dn", cert(), "--compare", m_goDn});
        QCOMPARE(go.exitCode, 0);
        QVERIFY(go.out.contains("note: spelled exactly as the \"Go pkix.Name.String()\" form\n"));
        const auto r = dcrctl({"dn", cert(), "--compare", m_oldGoDn});
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains("different by meaning\n  - the given DN lacks 2.5.4.97 "
                                "organizationIdentifier (the certificate's subject has "
                                "\"PSDGB-FCA-123456\")\n"),
                 r.out.constData());
        QVERIFY(!r.out.contains("note: spelled exactly as"));
        const auto other = dcrctl({"dn", cert(), "--compare", m_oldGoDn + ",2.5.4.97=PSDGB-FCA-9"});
        QCOMPARE(other.exitCode, 1);
        QVERIFY(
            other.out.contains("2.5.4.97 organizationIdentifier differs: the certificate's "
                               "subject has \"PSDGB-FCA-123456\", the given DN \"PSDGB-FCA-9\""));
    }

    void jsonCarriesTheSame() {
        const auto r = dcrctl({"dn", cert(), "--json", "--compare", m_oldGoDn});
        QCOMPARE(r.exitCode, 1);
        QJsonParseError e;
        const auto doc = QJsonDocument::fromJson(r.out, &e);
        QCOMPARE(e.error, QJsonParseError::NoError);
        const auto o = doc.object();
        QCOMPARE(o.value("certificate").toString(), cert());
        QStringList keys;
        for (const auto& d : o.value("dialects").toArray())
            keys << d.toObject().value("key").toString();
        QCOMPARE(keys, (QStringList{"rfc4514", "openssl_rfc2253", "oid_hex", "cn_first", "go_pkix",
                                    "openssl_oneline"}));
        QCOMPARE(o.value("dialects").toArray().at(4).toObject().value("dn").toString(), m_goDn);
        const auto compare = o.value("compare").toObject();
        QCOMPARE(compare.value("given").toString(), m_oldGoDn);
        QCOMPARE(compare.value("same_by_meaning").toBool(), false);
        QVERIFY(compare.value("spelled_as").toString() != QStringLiteral("go_pkix"));
        const auto go = dcrctl({"dn", cert(), "--json", "--compare", m_goDn});
        QCOMPARE(QJsonDocument::fromJson(go.out)
                     .object()
                     .value("compare")
                     .toObject()
                     .value("spelled_as")
                     .toString(),
                 QStringLiteral("go_pkix"));
        const auto diff = compare.value("differences").toArray().first().toObject();
        QCOMPARE(diff.value("kind").toString(), QStringLiteral("missing"));
        QCOMPARE(diff.value("oid").toString(), QStringLiteral("2.5.4.97"));
        QCOMPARE(diff.value("name").toString(), QStringLiteral("organizationIdentifier"));
        QCOMPARE(diff.value("certificate_value").toString(), QStringLiteral("PSDGB-FCA-123456"));
        const auto plain = dcrctl({"dn", cert(), "--json"});
        QCOMPARE(plain.exitCode, 0);
        QVERIFY(!QJsonDocument::fromJson(plain.out).object().contains("compare"));
    }

    void badInputExitsTwoWithAClearMessage() {
        const auto missing = dcrctl({"dn", p("nope.pem")});
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains("nope.pem"), missing.err.constData());
        writeFile(p("junk.pem"), "not a certificate\n");
        const auto junk = dcrctl({"dn", p("junk.pem")});
        QCOMPARE(junk.exitCode, 2);
        QVERIFY(junk.err.startsWith("dcrctl: error: "));
        QVERIFY(junk.out.isEmpty());
        const auto keyOnly = dcrctl({"dn", p("key.pem")});
        QCOMPARE(keyOnly.exitCode, 2);
        QVERIFY2(keyOnly.err.contains("holds no certificate"), keyOnly.err.constData());
        const auto badDn = dcrctl({"dn", cert(), "--compare", "CN=tpp,,O=x"});
        QCOMPARE(badDn.exitCode, 2);
        QVERIFY2(badDn.err.contains("--compare: ") &&
                     badDn.err.contains("not a distinguished name"),
                 badDn.err.constData());
        const auto noEquals = dcrctl({"dn", cert(), "--compare", "CN=tpp,O"});
        QCOMPARE(noEquals.exitCode, 2);
        QVERIFY2(noEquals.err.contains("at character 8"), noEquals.err.constData());
        QVERIFY(noEquals.out.isEmpty());
        QCOMPARE(dcrctl({"dn"}).exitCode, 2);
        QCOMPARE(dcrctl({"dn", cert(), "--compare"}).exitCode, 2);
    }
};

QTEST_GUILESS_MAIN(TestDcrctlDn)
#include "tst_dcrctl_dn.moc"
