// Signatures made by our signer are checked by the openssl command-line tool, and signatures made
// by the openssl tool are checked by our verifier: an independent implementation on each side.
#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/Jws.h"
#include "jose/JwsSigner.h"
#include "jose/JwsVerifier.h"
#include "jose/KeyMaterial.h"

#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

// Minimal DER for ECDSA-Sig-Value, written independently of the production code (which uses
// OpenSSL's i2d_ECDSA_SIG).
QByteArray derInteger(QByteArray v) {
    while (v.size() > 1 && v.at(0) == 0)
        v.remove(0, 1);
    if (static_cast<unsigned char>(v.at(0)) & 0x80)
        v.prepend('\0');
    return QByteArray(1, 0x02) + QByteArray(1, char(v.size())) + v;
}

QByteArray rawToDer(const QByteArray& raw) {
    const QByteArray body = derInteger(raw.left(32)) + derInteger(raw.mid(32));
    return QByteArray(1, 0x30) + QByteArray(1, char(body.size())) + body;
}

QByteArray derToRaw(const QByteArray& der) {
    int pos = 2;
    QByteArray out;
    for (int i = 0; i < 2; ++i) {
        const int len = static_cast<unsigned char>(der.at(pos + 1));
        QByteArray v = der.mid(pos + 2, len);
        while (v.size() > 32 && v.at(0) == 0)
            v.remove(0, 1);
        out += QByteArray(32 - v.size(), '\0') + v;
        pos += 2 + len;
    }
    return out;
}

QStringList sigopts(JwsAlgorithm alg, const QString& salt = QStringLiteral("32")) {
    if (alg != JwsAlgorithm::PS256)
        return {};
    return {"-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:" + salt,
            "-sigopt", "rsa_mgf1_md:sha256"};
}

} // namespace

class TestOpensslInterop : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    void ssl(const QStringList& args) {
        auto r = openssl(args, {}, m_dir.path());
        if (r.exitCode != 0)
            QFAIL(qPrintable(
                QStringLiteral("openssl %1: %2").arg(args.join(u' '), QString::fromUtf8(r.err))));
    }

private slots:
    void initTestCase() {
        ssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
             "rsa.pem"});
        ssl({"pkey", "-in", "rsa.pem", "-pubout", "-out", "rsa-pub.pem"});
        ssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out",
             "ec.pem"});
        ssl({"pkey", "-in", "ec.pem", "-pubout", "-out", "ec-pub.pem"});
    }

    void ourSignatureVerifiesWithOpenssl_data() {
        QTest::addColumn<int>("alg");
        QTest::addColumn<QString>("key");
        QTest::newRow("PS256") << int(JwsAlgorithm::PS256) << "rsa";
        QTest::newRow("RS256") << int(JwsAlgorithm::RS256) << "rsa";
        QTest::newRow("ES256") << int(JwsAlgorithm::ES256) << "ec";
    }
    void ourSignatureVerifiesWithOpenssl() {
        QFETCH(int, alg);
        QFETCH(QString, key);
        const auto a = JwsAlgorithm(alg);
        auto material = keyloader::loadSigningKey(readFile(p(key + ".pem")));
        QVERIFY(material.ok());
        auto token = JwsSigner::signClaims({{QStringLiteral("iss"), QStringLiteral("interop")}},
                                           material->privateKey, {a, QStringLiteral("k1"), {}});
        QVERIFY(token.ok());
        auto jws = Jws::parse(*token);
        writeFile(p("input.txt"), jws->signingInput());
        writeFile(p("sig.bin"),
                  a == JwsAlgorithm::ES256 ? rawToDer(jws->signature()) : jws->signature());
        auto r = openssl(
            QStringList{"dgst", "-sha256", "-verify", key + "-pub.pem", "-signature", "sig.bin"} +
                sigopts(a) + QStringList{"input.txt"},
            {}, m_dir.path());
        QVERIFY2(r.exitCode == 0 && r.out.contains("Verified OK"), r.out + r.err);
    }

    void opensslSignatureVerifiesWithUs_data() { ourSignatureVerifiesWithOpenssl_data(); }
    void opensslSignatureVerifiesWithUs() {
        QFETCH(int, alg);
        QFETCH(QString, key);
        const auto a = JwsAlgorithm(alg);
        const QByteArray input =
            base64url::encode("{\"alg\":\"" + algorithmName(a).toLatin1() + "\"}") + '.' +
            base64url::encode("{\"iss\":\"openssl\"}");
        writeFile(p("input2.txt"), input);
        ssl(QStringList{"dgst", "-sha256", "-sign", key + ".pem", "-out", "sig2.bin"} + sigopts(a) +
            QStringList{"input2.txt"});
        QByteArray sig = readFile(p("sig2.bin"));
        if (a == JwsAlgorithm::ES256)
            sig = derToRaw(sig);
        auto jws = Jws::parse(input + '.' + base64url::encode(sig));
        QVERIFY(jws.ok());
        auto pub = keyloader::load(readFile(p(key + "-pub.pem")));
        auto ok = JwsVerifier::verifyWithKey(*jws, pub->publicKey, {a});
        QVERIFY2(ok.ok(), qPrintable(ok.ok() ? QString() : ok.error().message));
    }

    void opensslMaxSaltPssIsReportedAsSaltLength() {
        const QByteArray input =
            base64url::encode("{\"alg\":\"PS256\"}") + '.' + base64url::encode("{}");
        writeFile(p("input3.txt"), input);
        ssl(QStringList{"dgst", "-sha256", "-sign", "rsa.pem", "-out", "sig3.bin"} +
            sigopts(JwsAlgorithm::PS256, QStringLiteral("max")) + QStringList{"input3.txt"});
        auto jws = Jws::parse(input + '.' + base64url::encode(readFile(p("sig3.bin"))));
        auto pub = keyloader::load(readFile(p("rsa-pub.pem")));
        auto res = JwsVerifier::verifyWithKey(*jws, pub->publicKey, {JwsAlgorithm::PS256});
        QVERIFY(!res.ok());
        QCOMPARE(res.error().kind, ErrorKind::PssSaltLength);
    }
};

QTEST_APPLESS_MAIN(TestOpensslInterop)
#include "tst_openssl_interop.moc"
