// A certificate subject in each bank dialect (SubjectDnDialects, GoPkixName) and a DN string
// compared with it by meaning (DnComparison). The certificates are made by the openssl tool, and
// the OpenSSL renderings and #hex values are checked against what that tool prints.
#include "TestSupport.h"
#include "jose/Certificate.h"
#include "jose/DistinguishedName.h"
#include "jose/DnComparison.h"
#include "jose/GoPkixName.h"
#include "jose/SubjectDnDialects.h"

#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <openssl/objects.h>
#include <openssl/x509.h>

using namespace dcr;
using namespace dcr::test;

namespace {

QString dialect(const Certificate& cert, const QString& key) {
    for (const auto& d : SubjectDnDialects::of(cert))
        if (d.key == key)
            return d.text;
    return QStringLiteral("<no dialect %1>").arg(key);
}

QString dialectNote(const Certificate& cert, const QString& key) {
    for (const auto& d : SubjectDnDialects::of(cert))
        if (d.key == key)
            return d.note;
    return {};
}

DistinguishedName parsed(const QString& text) {
    auto dn = DistinguishedName::parse(text);
    if (!dn)
        qWarning("%s", qPrintable(dn.error().message));
    return dn ? *dn : DistinguishedName();
}

} // namespace

class TestSubjectDnDialects : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Certificate m_uk;     // organizationIdentifier, UTF-8 CN, an O needing escapes
    Certificate m_brazil; // UID, businessCategory, serialNumber, jurisdictionC
    Certificate m_cnFirstInAsn1;
    Certificate m_multiValued;

    QString path(const QString& name) const { return m_dir.filePath(name); }

    Certificate makeCertificate(const QString& name, const QString& subject) {
        const auto r =
            openssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                     "-nodes", "-keyout", path(name + ".key"), "-subj", subject, "-utf8", "-days",
                     "2", "-out", path(name + ".pem")});
        if (r.exitCode != 0)
            qWarning("openssl req: %s", r.err.constData());
        auto cert = Certificate::fromPem(readFile(path(name + ".pem")));
        return cert ? *cert : Certificate();
    }

    // What `openssl x509 -noout -subject -nameopt OPTIONS` prints, without "subject=".
    QString opensslSubject(const QString& name, const QString& options) {
        const auto r = openssl(
            {"x509", "-in", path(name + ".pem"), "-noout", "-subject", "-nameopt", options});
        return QString::fromUtf8(r.out).trimmed().remove(
            QRegularExpression(QStringLiteral("^subject=")));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        m_uk = makeCertificate(QStringLiteral("uk"),
                               QStringLiteral("/C=GB/O=Acme, Ltd\\+Co/OU=Payments/"
                                              "organizationIdentifier=PSDGB-FCA-123456/"
                                              "CN=Zoë Test"));
        m_brazil = makeCertificate(
            QStringLiteral("br"),
            QStringLiteral("/C=BR/O=Banco Exemplo S.A./OU=b5e1c1ee-0d5e-4a8f-9d3c-1b2c3d4e5f60/"
                           "UID=67c57882-043b-11ec-9a03-0242ac130003/"
                           "businessCategory=Private Organization/serialNumber=12345678000199/"
                           "jurisdictionC=BR/CN=tpp.exemplo.com.br"));
        m_cnFirstInAsn1 =
            makeCertificate(QStringLiteral("cnfirst"), QStringLiteral("/CN=tpp/O=Example/C=GB"));
        m_multiValued = makeCertificate(QStringLiteral("multi"),
                                        QStringLiteral("/C=GB/O=Example+OU=Team/CN=tpp"));
        QVERIFY(!m_uk.isNull() && !m_brazil.isNull() && !m_cnFirstInAsn1.isNull() &&
                !m_multiValued.isNull());
    }

    void rfc2253IsWhatTheOpensslToolPrints_data() {
        QTest::addColumn<QString>("name");
        for (const char* n : {"uk", "br", "cnfirst", "multi"})
            QTest::newRow(n) << QString::fromLatin1(n);
    }
    void rfc2253IsWhatTheOpensslToolPrints() {
        QFETCH(QString, name);
        const auto cert = Certificate::fromPem(readFile(path(name + ".pem")));
        QVERIFY(cert);
        const QString peer = opensslSubject(name, QStringLiteral("RFC2253"));
        QVERIFY(!peer.isEmpty());
        QCOMPARE(dialect(*cert, QStringLiteral("openssl_rfc2253")), peer);
        QCOMPARE(dialect(*cert, QStringLiteral("openssl_oneline")),
                 opensslSubject(name, QStringLiteral("oneline")));
    }

    void ukDialectsExactly() {
        // The comma and plus in O escaped (RFC 4514 section 2.4), the UTF-8 CN kept as UTF-8.
        QCOMPARE(dialect(m_uk, QStringLiteral("rfc4514")),
                 QStringLiteral("CN=Zoë Test,organizationIdentifier=PSDGB-FCA-123456,"
                                "OU=Payments,O=Acme\\, Ltd\\+Co,C=GB"));
        // OpenSSL escapes each UTF-8 byte of "ë" (C3 AB).
        QCOMPARE(dialect(m_uk, QStringLiteral("openssl_rfc2253")),
                 QStringLiteral("CN=Zo\\C3\\AB Test,organizationIdentifier=PSDGB-FCA-123456,"
                                "OU=Payments,O=Acme\\, Ltd\\+Co,C=GB"));
        QVERIFY(dialectNote(m_uk, QStringLiteral("openssl_rfc2253")).contains("UTF-8"));
        // UTF8String (tag 0x0c), 16 bytes (0x10), "PSDGB-FCA-123456".
        QCOMPARE(dialect(m_uk, QStringLiteral("oid_hex")),
                 QStringLiteral("CN=Zoë Test,2.5.4.97=#0c1050534447422d4643412d313233343536,"
                                "OU=Payments,O=Acme\\, Ltd\\+Co,C=GB"));
        QCOMPARE(dialect(m_uk, QStringLiteral("cn_first")), dialect(m_uk, "rfc4514"));
        QVERIFY(dialectNote(m_uk, QStringLiteral("cn_first")).contains("already first"));
    }

    void oidHexValuesAreTheBerEncodingOfTheValue() {
        // RFC 4514 section 2.4: "If the AttributeType is of the dotted-decimal form, the
        // AttributeValue is represented by an number sign ('#' U+0023) character followed by the
        // hexadecimal encoding of each of the octets of the BER encoding of the X.500
        // AttributeValue." The peer: openssl's dump_der, which prints each value's DER as #hex.
        const QString peer =
            opensslSubject(QStringLiteral("br"), QStringLiteral("RFC2253,oid,dump_all,dump_der"));
        QMap<QString, QString> peerHex; // OID -> hex, from "2.5.4.5=#13...,"
        for (const auto& ava : peer.split(QRegularExpression(QStringLiteral("[,+]")))) {
            const auto parts = ava.split(QStringLiteral("=#"));
            QCOMPARE(parts.size(), 2);
            peerHex.insert(parts.at(0), parts.at(1).toLower());
        }
        const QString ours = dialect(m_brazil, QStringLiteral("oid_hex"));
        int hexValues = 0;
        for (const auto& ava : ours.split(u',')) {
            const auto eq = ava.indexOf(u'=');
            const QString type = ava.left(eq);
            if (!type.front().isDigit())
                continue;
            QVERIFY2(ava.at(eq + 1) == u'#', qPrintable(ava));
            QCOMPARE(ava.mid(eq + 2), peerHex.value(type));
            ++hexValues;
        }
        // UID has an RFC 4514 short name; businessCategory, serialNumber and jurisdictionC do not.
        QCOMPARE(hexValues, 3);
        QVERIFY(ours.contains(QStringLiteral("UID=67c57882-043b-11ec-9a03-0242ac130003")));
        QVERIFY(ours.contains(QStringLiteral("1.3.6.1.4.1.311.60.2.1.3=#13024252")));
        // And it reads back as the same subject.
        QVERIFY(parsed(ours).sameAs(DistinguishedName::fromCertificateSubject(m_brazil)));
    }

    void cnFirstMovesTheCnRdnToTheFront() {
        // Issued CN first in ASN.1, so RFC 4514 (last RDN first) ends with the CN.
        QCOMPARE(dialect(m_cnFirstInAsn1, QStringLiteral("rfc4514")),
                 QStringLiteral("C=GB,O=Example,CN=tpp"));
        QCOMPARE(dialect(m_cnFirstInAsn1, QStringLiteral("cn_first")),
                 QStringLiteral("CN=tpp,C=GB,O=Example"));
        QVERIFY(dialectNote(m_cnFirstInAsn1, QStringLiteral("cn_first")).isEmpty());
        QCOMPARE(dialect(m_multiValued, QStringLiteral("cn_first")),
                 dialect(m_multiValued, QStringLiteral("rfc4514")));
    }

    // Go 1.15+ (golang/go issue 39924, pkix.go: "Place non-standard parsed values at the
    // beginning of the sequence so they will be at the end of the string"): types without a
    // name field come last as OID=#hex of asn1.Marshal(value), PrintableString (0x13) here.
    void goPrintsOtherTypesLastAsOidHex() {
        QCOMPARE(dialect(m_uk, QStringLiteral("go_pkix")),
                 QStringLiteral("CN=Zoë Test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB,"
                                "2.5.4.97=#131050534447422d4643412d313233343536"));
        QVERIFY(dialectNote(m_uk, QStringLiteral("go_pkix"))
                    .contains(QStringLiteral("Go prints 2.5.4.97 organizationIdentifier")));
        const GoPkixName brazil(DistinguishedName::fromCertificateSubject(m_brazil));
        QVERIFY2(brazil.text().startsWith(QStringLiteral(
                     "SERIALNUMBER=12345678000199,CN=tpp.exemplo.com.br,"
                     "OU=b5e1c1ee-0d5e-4a8f-9d3c-1b2c3d4e5f60,O=Banco Exemplo S.A.,C=BR,")),
                 qPrintable(brazil.text()));
        QStringList printed;
        for (const auto& a : brazil.printedAsOid())
            printed << a.oid;
        QCOMPARE(printed, (QStringList{"1.3.6.1.4.1.311.60.2.1.3", "2.5.4.15",
                                       "0.9.2342.19200300.100.1.1"}));
        QVERIFY(brazil.text().contains(QStringLiteral(",1.3.6.1.4.1.311.60.2.1.3=#13")));
        QVERIFY(brazil.dropped().isEmpty());
        // Go's re-encoding: a value with a character PrintableString lacks becomes UTF8String.
        const GoPkixName utf8(parsed(QStringLiteral("2.5.4.97=Zoë&Co,CN=x")));
        QCOMPARE(utf8.text(), QStringLiteral("CN=x,2.5.4.97=#0c075a6fc3ab26436f"));
        // A certificate with only named types has nothing printed as an OID, and no note.
        QVERIFY(GoPkixName(DistinguishedName::fromCertificateSubject(m_cnFirstInAsn1))
                    .printedAsOid()
                    .isEmpty());
        QVERIFY(dialectNote(m_cnFirstInAsn1, QStringLiteral("go_pkix")).isEmpty());
    }

    void goOrdersAndEscapesItsOwnWay() {
        // Go rebuilds its own order (C, ST, L, STREET, POSTALCODE, O, OU, CN, SERIALNUMBER),
        // groups every value of one type into one RDN, escapes no '=' and a '#' only first.
        const GoPkixName go(parsed(
            QStringLiteral("O=a=b,CN=\\#x\\, y,OU=one,serialNumber=7,OU=two,postalCode=SW1,C=GB")));
        QCOMPARE(go.text(), QStringLiteral("SERIALNUMBER=7,CN=\\#x\\, y,OU=two+OU=one,O=a=b,"
                                           "POSTALCODE=SW1,C=GB"));
        // Two CNs: the last one read (in ASN.1 order) wins, the other is dropped.
        const GoPkixName twoCns(parsed(QStringLiteral("CN=second,CN=first,C=GB")));
        QCOMPARE(twoCns.text(), QStringLiteral("CN=second,C=GB"));
        QCOMPARE(twoCns.dropped().size(), 1);
        QCOMPARE(twoCns.dropped().first().value, QStringLiteral("first"));
    }

    void sameSubjectInAnyDialectCompareSame_data() {
        QTest::addColumn<QString>("key");
        for (const char* k : {"rfc4514", "openssl_rfc2253", "oid_hex", "openssl_oneline"})
            QTest::newRow(k) << QString::fromLatin1(k);
    }
    void sameSubjectInAnyDialectCompareSame() {
        QFETCH(QString, key);
        const auto subject = DistinguishedName::fromCertificateSubject(m_uk);
        const auto c = DnComparison::compare(subject, parsed(dialect(m_uk, key)));
        QVERIFY2(c.sameByMeaning(),
                 qPrintable(c.differences().isEmpty() ? QString()
                                                      : c.differences().first().explanation));
        QVERIFY(c.differences().isEmpty());
    }

    void goRenderingIsTheSameByMeaning() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_uk);
        const auto c = DnComparison::compare(subject, parsed(dialect(m_uk, "go_pkix")));
        QVERIFY2(c.sameByMeaning(),
                 qPrintable(c.differences().isEmpty() ? QString()
                                                      : c.differences().first().explanation));
    }

    // What Go before 1.15 printed (no organizationIdentifier): the difference is explained.
    void aDnLackingOrganizationIdentifierIsExplained() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_uk);
        const auto c = DnComparison::compare(
            subject, parsed(QStringLiteral("CN=Zoë Test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB")));
        QVERIFY(!c.sameByMeaning());
        QCOMPARE(c.differences().size(), 1);
        const auto& d = c.differences().first();
        QCOMPARE(d.kind, DnDifference::Kind::Missing);
        QCOMPARE(d.oid, QStringLiteral("2.5.4.97"));
        QCOMPARE(d.name, QStringLiteral("organizationIdentifier"));
        QCOMPARE(d.subjectValue, QStringLiteral("PSDGB-FCA-123456"));
        QCOMPARE(d.explanation, QStringLiteral("the given DN lacks 2.5.4.97 organizationIdentifier "
                                               "(the certificate's subject has "
                                               "\"PSDGB-FCA-123456\")"));
        const auto json = c.toJson();
        QCOMPARE(json.value("same_by_meaning").toBool(), false);
        QCOMPARE(json.value("differences").toArray().first().toObject().value("kind").toString(),
                 QStringLiteral("missing"));
    }

    void extraAndDifferentValuesExplained() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_cnFirstInAsn1);
        const auto c = DnComparison::compare(
            subject, parsed(QStringLiteral("CN=tpp,O=Other Ltd,C=GB,serialNumber=42")));
        QCOMPARE(c.differences().size(), 2);
        const auto& changed = c.differences().at(0);
        QCOMPARE(changed.kind, DnDifference::Kind::DifferentValue);
        QCOMPARE(changed.oid, QStringLiteral("2.5.4.10"));
        QCOMPARE(changed.explanation,
                 QStringLiteral("2.5.4.10 organizationName differs: the certificate's subject has "
                                "\"Example\", the given DN \"Other Ltd\""));
        const auto& extra = c.differences().at(1);
        QCOMPARE(extra.kind, DnDifference::Kind::Extra);
        QCOMPARE(extra.oid, QStringLiteral("2.5.4.5"));
        QVERIFY(extra.explanation.contains(QStringLiteral("has 2.5.4.5 serialNumber = \"42\"")));
    }

    void otherOrderIsSameByMeaningButSaidSo() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_cnFirstInAsn1);
        // The subject in RFC 4514 order is C=GB,O=Example,CN=tpp; this lists CN first.
        const auto c =
            DnComparison::compare(subject, parsed(QStringLiteral("CN=tpp,C=GB,O=Example")));
        QVERIFY(c.sameByMeaning());
        QCOMPARE(c.notes().size(), 1);
        QVERIFY(c.notes().first().contains(QStringLiteral("different RDN order")));
        // In the certificate's order there is nothing to say.
        const auto exact =
            DnComparison::compare(subject, parsed(dialect(m_cnFirstInAsn1, "rfc4514")));
        QVERIFY(exact.sameByMeaning());
        QVERIFY(exact.notes().isEmpty());
    }

    void caseAndSpacingAreSameByMeaningButSaidSo() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_cnFirstInAsn1);
        const auto c =
            DnComparison::compare(subject, parsed(QStringLiteral("C=GB,O=EXAMPLE,CN=tpp")));
        QVERIFY(c.sameByMeaning());
        QCOMPARE(c.notes().size(), 1);
        QVERIFY(c.notes().first().contains(QStringLiteral("2.5.4.10 organizationName")));
        QVERIFY(c.notes().first().contains(QStringLiteral("not the same string")));
    }

    void oneLineFormIsReadInX500Order() {
        const auto subject = DistinguishedName::fromCertificateSubject(m_uk);
        const auto c =
            DnComparison::compare(subject, parsed(opensslSubject("uk", QStringLiteral("oneline"))));
        QVERIFY(c.sameByMeaning());
        QVERIFY(c.notes().join(u' ').contains(QStringLiteral("X.500 order")));
    }

    void unparsableDnSaysWhere() {
        const auto dn = DistinguishedName::parse(QStringLiteral("CN=tpp,O"));
        QVERIFY(!dn);
        QVERIFY2(dn.error().message.contains(QStringLiteral("no '='")),
                 qPrintable(dn.error().message));
        QVERIFY2(dn.error().message.contains(QStringLiteral("at character 8: \"O\"")),
                 qPrintable(dn.error().message));
        const auto unknown = DistinguishedName::parse(QStringLiteral("CN=tpp,frobnicate=x"));
        QVERIFY(!unknown);
        QVERIFY(unknown.error().message.contains(QStringLiteral("\"frobnicate\"")));
        QVERIFY(unknown.error().message.contains(QStringLiteral("character 8")));
    }

    void spelledAsNamesTheDialect() {
        const auto dialects = SubjectDnDialects::of(m_uk);
        const auto go = SubjectDnDialects::spelledAs(
            dialects, QStringLiteral(" CN=Zoë Test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB,"
                                     "2.5.4.97=#131050534447422d4643412d313233343536 "));
        QVERIFY(go);
        QCOMPARE(go->key, QStringLiteral("go_pkix"));
        const auto strict = SubjectDnDialects::spelledAs(dialects, dialect(m_uk, "oid_hex"));
        QVERIFY(strict);
        QCOMPARE(strict->key, QStringLiteral("oid_hex"));
        // The same by meaning but in no dialect's spelling, or empty: none.
        QVERIFY(!SubjectDnDialects::spelledAs(
            dialects, QStringLiteral("cn=zoë test,OU=Payments,O=Acme\\, Ltd\\+Co,C=GB")));
        QVERIFY(!SubjectDnDialects::spelledAs(dialects, QString()));
    }

    // An OID longer than 127 characters is read whole (OBJ_obj2txt cuts to its buffer), so two
    // that share their first 127 characters do not compare the same.
    void longOidsAreReadWhole() {
        QString oid = QStringLiteral("1.3.6.1.4.1");
        while (oid.size() < 140)
            oid += QStringLiteral(".12345");
        X509_NAME* name = X509_NAME_new();
        ASN1_OBJECT* object = OBJ_txt2obj(oid.toLatin1().constData(), 1);
        QVERIFY(name && object);
        QVERIFY(X509_NAME_add_entry_by_OBJ(name, object, MBSTRING_UTF8,
                                           reinterpret_cast<const unsigned char*>("x"), -1, -1, 0));
        QVERIFY(X509_NAME_add_entry_by_txt(
            name, "CN", MBSTRING_UTF8, reinterpret_cast<const unsigned char*>("tpp"), -1, -1, 0));
        const auto subject = DistinguishedName::fromX509Name(name);
        ASN1_OBJECT_free(object);
        X509_NAME_free(name);
        QStringList oids;
        for (const auto& rdn : subject.rdns())
            for (const auto& attribute : rdn)
                oids << attribute.oid;
        QVERIFY2(oids.contains(oid), qPrintable(oids.join(u' ')));
        const QString sibling = oid.left(oid.size() - 1) + QStringLiteral("6");
        const auto c = DnComparison::compare(
            subject, parsed(QStringLiteral("CN=tpp,") + sibling + QStringLiteral("=x")));
        QVERIFY(!c.sameByMeaning());
    }

    void nullCertificateHasNoDialects() { QVERIFY(SubjectDnDialects::of(Certificate()).isEmpty()); }
};

QTEST_GUILESS_MAIN(TestSubjectDnDialects)
#include "tst_subject_dn_dialects.moc"
