#include "TestSupport.h"
#include "jose/KeyMaterial.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

class TestKeys : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString path(const QString& name) const { return m_dir.filePath(name); }
    QByteArray file(const QString& name) const { return readFile(path(name)); }
    void ssl(const QStringList& args) {
        auto r = openssl(args, {}, m_dir.path());
        if (r.exitCode != 0)
            QFAIL(qPrintable(QStringLiteral("openssl %1 failed: %2")
                                 .arg(args.join(u' '), QString::fromUtf8(r.err))));
    }

private slots:
    void initTestCase() {
        QVERIFY(m_dir.isValid());
        ssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
             "rsa.pem"});
        ssl({"pkey", "-in", "rsa.pem", "-traditional", "-out", "rsa-pkcs1.pem"});
        ssl({"pkey", "-in", "rsa.pem", "-aes256", "-passout", "pass:secret", "-out",
             "rsa-enc.pem"});
        ssl({"pkey", "-in", "rsa.pem", "-outform", "DER", "-out", "rsa.der"});
        ssl({"pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa-pub.pem"});
        ssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
             "ec.pem"});
        ssl({"ec", "-in", "ec.pem", "-out", "ec-sec1.pem"});
        ssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-384", "-out",
             "ec384.pem"});
        ssl({"genpkey", "-algorithm", "ED25519", "-out", "ed25519.pem"});
        ssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:1024", "-out",
             "rsa1024.pem"});
        ssl({"req", "-x509", "-new", "-key", "rsa.pem", "-subj", "/CN=tpp", "-days", "30", "-out",
             "cert.pem"});
        ssl({"x509", "-in", "cert.pem", "-outform", "DER", "-out", "cert.der"});
        ssl({"pkcs12", "-export", "-inkey", "rsa.pem", "-in", "cert.pem", "-passout",
             "pass:p12pass", "-out", "bundle.p12"});
        ssl({"req", "-new", "-key", "rsa.pem", "-subj", "/CN=csr", "-out", "csr.pem"});
        writeFile(path("truncated.pem"), file("rsa.pem").left(600));
        writeFile(path("truncated.der"), file("cert.der").left(300));
        writeFile(path("bundle.pem"), file("cert.pem") + file("rsa.pem"));
    }

    void loadsEveryFormat_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<QString>("format");
        QTest::addColumn<bool>("privateKey");
        QTest::addColumn<int>("certificates");
        QTest::addColumn<QString>("description");
        QTest::newRow("PKCS#8 PEM")
            << "rsa.pem" << QByteArray() << "PEM" << true << 0 << "RSA 2048-bit";
        QTest::newRow("PKCS#1 PEM")
            << "rsa-pkcs1.pem" << QByteArray() << "PEM" << true << 0 << "RSA 2048-bit";
        QTest::newRow("encrypted PKCS#8")
            << "rsa-enc.pem" << QByteArray("secret") << "PEM" << true << 0 << "RSA 2048-bit";
        QTest::newRow("PKCS#8 DER")
            << "rsa.der" << QByteArray() << "DER" << true << 0 << "RSA 2048-bit";
        QTest::newRow("public PEM")
            << "rsa-pub.pem" << QByteArray() << "PEM" << false << 0 << "RSA 2048-bit";
        QTest::newRow("EC PKCS#8") << "ec.pem" << QByteArray() << "PEM" << true << 0 << "EC P-256";
        QTest::newRow("EC SEC1") << "ec-sec1.pem" << QByteArray() << "PEM" << true << 0
                                 << "EC P-256";
        QTest::newRow("cert PEM") << "cert.pem" << QByteArray() << "PEM" << false << 1
                                  << "RSA 2048-bit";
        QTest::newRow("cert DER") << "cert.der" << QByteArray() << "DER" << false << 1
                                  << "RSA 2048-bit";
        QTest::newRow("PKCS#12") << "bundle.p12" << QByteArray("p12pass") << "PKCS#12" << true << 1
                                 << "RSA 2048-bit";
        QTest::newRow("cert+key bundle")
            << "bundle.pem" << QByteArray() << "PEM" << true << 1 << "RSA 2048-bit";
    }
    void loadsEveryFormat() {
        QFETCH(QString, name);
        QFETCH(QByteArray, passphrase);
        QFETCH(QString, format);
        QFETCH(bool, privateKey);
        QFETCH(int, certificates);
        QFETCH(QString, description);
        auto material = keyloader::load(file(name), passphrase);
        QVERIFY2(material.ok(),
                 qPrintable(material.ok() ? QString() : material.error().toString()));
        QCOMPARE(material->format, format);
        QCOMPARE(material->hasPrivateKey(), privateKey);
        QCOMPARE(material->certificates.size(), certificates);
        QCOMPARE(material->publicKey.description(), description);
        if (privateKey && certificates > 0)
            QVERIFY(material->leaf().matchesPrivateKey(material->privateKey));
    }

    void samePublicKeyAcrossFormats() {
        auto pem = keyloader::load(file("rsa.pem"));
        auto der = keyloader::load(file("rsa.der"));
        auto p12 = keyloader::load(file("bundle.p12"), "p12pass");
        QVERIFY(pem->publicKey.samePublicKey(der->publicKey));
        QVERIFY(pem->publicKey.samePublicKey(p12->publicKey));
    }

    void errors_data() {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QByteArray>("passphrase");
        QTest::addColumn<int>("kind");
        QTest::newRow("encrypted, no passphrase")
            << "rsa-enc.pem" << QByteArray() << int(ErrorKind::KeyPassphraseRequired);
        QTest::newRow("encrypted, wrong passphrase")
            << "rsa-enc.pem" << QByteArray("nope") << int(ErrorKind::KeyWrongPassphrase);
        QTest::newRow("p12, no passphrase")
            << "bundle.p12" << QByteArray() << int(ErrorKind::KeyPassphraseRequired);
        QTest::newRow("p12, wrong passphrase")
            << "bundle.p12" << QByteArray("nope") << int(ErrorKind::KeyWrongPassphrase);
        QTest::newRow("CSR") << "csr.pem" << QByteArray() << int(ErrorKind::KeyWrongFileType);
        QTest::newRow("truncated PEM")
            << "truncated.pem" << QByteArray() << int(ErrorKind::KeyTruncated);
        QTest::newRow("truncated DER")
            << "truncated.der" << QByteArray() << int(ErrorKind::KeyTruncated);
        QTest::newRow("Ed25519") << "ed25519.pem" << QByteArray()
                                 << int(ErrorKind::KeyUnsupportedType);
        QTest::newRow("EC P-384") << "ec384.pem" << QByteArray()
                                  << int(ErrorKind::KeyUnsupportedType);
    }
    void errors() {
        QFETCH(QString, name);
        QFETCH(QByteArray, passphrase);
        QFETCH(int, kind);
        auto material = keyloader::load(file(name), passphrase);
        QVERIFY(!material.ok());
        QCOMPARE(errorKindName(material.error().kind), errorKindName(ErrorKind(kind)));
        QVERIFY(!material.error().message.isEmpty());
    }

    void inputErrors() {
        QCOMPARE(keyloader::load(QByteArray()).error().kind, ErrorKind::InputEmpty);
        QCOMPARE(keyloader::load(QByteArray(2 * 1024 * 1024, 'x')).error().kind,
                 ErrorKind::InputTooLarge);
        QCOMPARE(keyloader::load(QByteArray("just some text, not a key")).error().kind,
                 ErrorKind::KeyWrongFileType);
        QCOMPARE(keyloader::load(QByteArray("\x00\x01\x02\xff garbage", 13)).error().kind,
                 ErrorKind::KeyWrongFileType);
        QCOMPARE(keyloader::load(QByteArray("{\"kty\":\"RSA\"}")).error().kind,
                 ErrorKind::JwkInvalid);
        QCOMPARE(keyloader::load(QByteArray("{not json")).error().kind,
                 ErrorKind::KeyWrongFileType);
    }

    void signingKeyChecks() {
        QCOMPARE(keyloader::loadSigningKey(file("rsa1024.pem")).error().kind,
                 ErrorKind::KeyTooWeak);
        QCOMPARE(keyloader::loadSigningKey(file("cert.pem")).error().kind,
                 ErrorKind::KeyWrongFileType);
        QCOMPARE(keyloader::loadSigningKey(file("rsa-pub.pem")).error().kind,
                 ErrorKind::KeyWrongFileType);
        QVERIFY(keyloader::loadSigningKey(file("ec.pem")).ok());
    }

    void mismatchedKeyAndCertificateWarns() {
        auto material = keyloader::load(file("cert.pem") + file("ec.pem"));
        QVERIFY(material.ok());
        QVERIFY(!material->leaf().matchesPrivateKey(material->privateKey));
        QVERIFY(!material->warnings.isEmpty());
    }
};

QTEST_APPLESS_MAIN(TestKeys)
#include "tst_keys.moc"
