#include "TestSupport.h"
#include "jose/Certificate.h"
#include "jose/KeyMaterial.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestCertificate : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Certificate m_cert;
    Key m_key;

    QByteArray ssl(const QStringList& args) {
        auto r = openssl(args, {}, m_dir.path());
        if (r.exitCode != 0)
            qFatal("openssl failed: %s", r.err.constData());
        return r.out.trimmed();
    }

private slots:
    void initTestCase() {
        ssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
             "key.pem"});
        ssl({"req", "-x509", "-new", "-key", "key.pem", "-days", "10", "-set_serial", "0x1234ABCD",
             "-subj",
             "/C=GB/O=Example, Bank/organizationIdentifier=PSDGB-FCA-123456/CN=0015800001041REAAY",
             "-addext", "subjectAltName=DNS:tpp.example.com,IP:127.0.0.1", "-addext",
             "keyUsage=critical,digitalSignature,keyEncipherment", "-addext",
             "extendedKeyUsage=clientAuth", "-out", "cert.pem"});
        auto material = keyloader::load(readFile(m_dir.filePath("cert.pem")) +
                                        readFile(m_dir.filePath("key.pem")));
        QVERIFY(material.ok());
        m_cert = material->leaf();
        m_key = material->privateKey;
    }

    void subjectDnInBothStyles() {
        // RFC 4514 section 2.4: "If the AttributeType is in a dotted-decimal form, the
        // AttributeValue is represented by an number sign ('#' U+0023) character followed by the
        // hexadecimal encoding of each of the octets of the BER encoding of the X.500
        // AttributeValue." openssl req writes a UTF8String (tag 0x0c), 16 bytes long.
        QCOMPARE(m_cert.subjectDn(DnStyle::Rfc4514Oid),
                 QStringLiteral("CN=0015800001041REAAY,2.5.4.97=#0c10") +
                     QString::fromLatin1(QByteArray("PSDGB-FCA-123456").toHex()) +
                     QStringLiteral(",O=Example\\, Bank,C=GB"));
        QCOMPARE(m_cert.subjectDn(DnStyle::Rfc4514Names),
                 QStringLiteral("CN=0015800001041REAAY,organizationIdentifier=PSDGB-FCA-123456,O="
                                "Example\\, Bank,C=GB"));
        // OpenSSL's own RFC 2253 rendering is the independent reference for the named style.
        const QByteArray reference =
            ssl({"x509", "-in", "cert.pem", "-noout", "-subject", "-nameopt", "RFC2253"});
        QCOMPARE(QString::fromUtf8(reference),
                 QStringLiteral("subject=") + m_cert.subjectDn(DnStyle::Rfc4514Names));
        QCOMPARE(m_cert.issuerDn(), m_cert.subjectDn()); // self-signed
    }

    void detailsMatchOpenssl() {
        QCOMPARE(m_cert.serialHex(), QStringLiteral("1234ABCD"));
        const QByteArray fp = ssl({"x509", "-in", "cert.pem", "-noout", "-fingerprint", "-sha256"});
        QCOMPARE(QStringLiteral("sha256 Fingerprint=") + m_cert.sha256Fingerprint(),
                 QString::fromLatin1(fp));
        QCOMPARE(m_cert.subjectAltNames(), QStringList({"DNS:tpp.example.com", "IP:127.0.0.1"}));
        QCOMPARE(m_cert.keyUsage(), QStringList({"digitalSignature", "keyEncipherment"}));
        QCOMPARE(m_cert.extendedKeyUsage(), QStringList({"clientAuth"}));
        QCOMPARE(m_cert.keyDescription(), QStringLiteral("RSA 2048-bit"));
        const qint64 days = m_cert.notBefore().daysTo(m_cert.notAfter());
        QCOMPARE(days, 10);
        QVERIFY(m_cert.isValidAt(QDateTime::currentDateTimeUtc()));
        QVERIFY(!m_cert.isValidAt(QDateTime::currentDateTimeUtc().addDays(11)));
    }

    void keyMatching() {
        QVERIFY(m_cert.matchesPrivateKey(m_key));
        QVERIFY(!m_cert.matchesPrivateKey(*Key::generateRsa(2048)));
    }

    void pemAndDerRoundTrip() {
        auto fromDer = Certificate::fromDer(m_cert.toDer());
        QVERIFY(fromDer.ok());
        QCOMPARE(fromDer->sha256Fingerprint(), m_cert.sha256Fingerprint());
        auto fromPem = Certificate::fromPem(m_cert.toPem());
        QVERIFY(fromPem.ok());
        QCOMPARE(fromPem->subjectDn(), m_cert.subjectDn());
        QCOMPARE(Certificate::fromDer(m_cert.toDer() + "x").error().kind,
                 ErrorKind::CertificateInvalid);
    }
};

QTEST_APPLESS_MAIN(TestCertificate)
#include "tst_certificate.moc"
