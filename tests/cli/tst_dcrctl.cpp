// dcrctl tested as a process: every subcommand, its exit codes and its --json shape.
#include "TestSupport.h"
#include "jose/JwsSigner.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

ProcessResult dcrctl(const QStringList& args, const QByteArray& input = {}) {
    return run(QStringLiteral(DCRCTL_PATH), args, input, 60000);
}

QJsonDocument json(const ProcessResult& r) {
    QJsonParseError e;
    auto doc = QJsonDocument::fromJson(r.out, &e);
    if (e.error != QJsonParseError::NoError)
        qWarning("not JSON: %s", r.out.constData());
    return doc;
}

} // namespace

class TestDcrctl : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    QString p(const QString& n) const { return m_dir.filePath(n); }
    QString seed() const { return examplePath(QStringLiteral("seed-example-request.jwt")); }

private slots:
    void initTestCase() {
        QVERIFY(openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out",
                         p("rsa.pem")})
                    .exitCode == 0);
        QVERIFY(openssl({"pkey", "-in", p("rsa.pem"), "-aes256", "-passout", "pass:pw", "-out",
                         p("rsa-enc.pem")})
                    .exitCode == 0);
        QVERIFY(
            openssl({"pkey", "-in", p("rsa.pem"), "-pubout", "-out", p("rsa-pub.pem")}).exitCode ==
            0);
        QVERIFY(openssl({"genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256",
                         "-out", p("ec.pem")})
                    .exitCode == 0);
        QVERIFY(openssl({"req", "-x509", "-new", "-key", p("rsa.pem"), "-subj", "/CN=tpp/O=Example",
                         "-days", "5", "-out", p("cert.pem")})
                    .exitCode == 0);
        writeFile(p("pw.txt"), "pw\n");
        writeFile(p("claims.json"),
                  "{\"iss\":\"beKuxC1RniVsTeLYwfpgNP\",\"aud\":\"bank\",\"redirect_uris\":[\"https:"
                  "//tpp.example.com/cb\"],\"x_custom\":true}");
    }

    void help() {
        auto r = dcrctl({"--help"});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Exit codes"));
        for (const char* c : {"decode", "sign", "verify", "lint", "keys"}) {
            auto h = dcrctl({c, "--help"});
            QVERIFY2(h.exitCode == 0 && h.out.contains("Usage: dcrctl " + QByteArray(c)),
                     h.out.constData());
        }
        QCOMPARE(dcrctl({"frobnicate"}).exitCode, 2);
        QCOMPARE(dcrctl({}).exitCode, 2);
        QCOMPARE(dcrctl({"decode", "--bogus", seed()}).exitCode, 2);
        QCOMPARE(dcrctl({"decode"}).exitCode, 2);
    }

    void decodeSeedExample() {
        auto r = dcrctl({"decode", seed()});
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains("Software statement claims"));
        QVERIFY(r.out.contains("Amazon Prime Movies"));
        auto j = dcrctl({"decode", "--json", seed()});
        QCOMPARE(j.exitCode, 0);
        const QJsonObject o = json(j).object();
        QCOMPARE(o["header"].toObject()["alg"].toString(), QStringLiteral("PS256"));
        QCOMPARE(o["claims"].toObject()["iss"].toString(),
                 QStringLiteral("beKuxC1RniVsTeLYwfpgNP"));
        QCOMPARE(o["software_statement"].toObject()["header"].toObject()["alg"].toString(),
                 QStringLiteral("HS256"));
        QCOMPARE(o["software_statement"].toObject()["claims"].toObject()["software_id"].toString(),
                 QStringLiteral("65d1f27c-4aea-4549-9c21-60e495a7a86f"));
        // stdin
        auto s = dcrctl({"decode", "--json", "-"}, readFile(seed()));
        QCOMPARE(s.exitCode, 0);
        QCOMPARE(json(s).object()["claims"].toObject()["aud"].toString(),
                 QStringLiteral("0dw23dsa13123"));
    }

    void signThenVerify() {
        auto sign = dcrctl({"sign", "--claims", p("claims.json"), "--key", p("rsa-enc.pem"),
                            "--passphrase-file", p("pw.txt")});
        QVERIFY2(sign.exitCode == 0, sign.err.constData());
        const QByteArray jwt = sign.out.trimmed();
        writeFile(p("req.jwt"), jwt);
        auto decoded = json(dcrctl({"decode", "--json", p("req.jwt")})).object();
        const QJsonObject claims = decoded["claims"].toObject();
        QVERIFY(claims.contains("iat") && claims.contains("exp") && claims.contains("jti"));
        QCOMPARE(claims["exp"].toInteger() - claims["iat"].toInteger(), 300);
        QVERIFY(claims["x_custom"].toBool());
        // The default kid is the RFC 7638 thumbprint that 'keys' reports.
        auto keys = json(dcrctl({"keys", "--json", p("rsa-pub.pem")})).object();
        QCOMPARE(decoded["header"].toObject()["kid"].toString(), keys["thumbprint"].toString());

        auto ok = dcrctl({"verify", "--key", p("rsa-pub.pem"), p("req.jwt")});
        QCOMPARE(ok.exitCode, 0);
        QVERIFY(ok.out.startsWith("valid PS256"));
        auto okCert = dcrctl({"verify", "--json", "--cert", p("cert.pem"), p("req.jwt")});
        QCOMPARE(okCert.exitCode, 0);
        QCOMPARE(json(okCert).object()["valid"].toBool(), true);
        QCOMPARE(json(okCert).object()["alg"].toString(), QStringLiteral("PS256"));

        auto wrong = dcrctl({"verify", "--json", "--key", p("ec.pem"), p("req.jwt")});
        QCOMPARE(wrong.exitCode, 1);
        QCOMPARE(json(wrong).object()["valid"].toBool(), false);
        QCOMPARE(json(wrong).object()["error"].toObject()["kind"].toString(),
                 QStringLiteral("AlgorithmKeyMismatch"));
        auto notAllowed =
            dcrctl({"verify", "--alg", "ES256", "--key", p("rsa-pub.pem"), p("req.jwt")});
        QCOMPARE(notAllowed.exitCode, 1);
        QCOMPARE(
            dcrctl({"verify", "--alg", "XX1", "--key", p("rsa-pub.pem"), p("req.jwt")}).exitCode,
            2);
        QCOMPARE(dcrctl({"verify", p("req.jwt")}).exitCode, 2); // no key given
        QCOMPARE(dcrctl({"sign", "--claims", p("claims.json"), "--key", p("rsa-enc.pem")}).exitCode,
                 2); // passphrase needed

        auto es = dcrctl({"sign", "--alg", "ES256", "--kid", "k1", "--claims", p("claims.json"),
                          "--key", p("ec.pem")});
        QCOMPARE(es.exitCode, 0);
        writeFile(p("es.jwt"), es.out);
        QCOMPARE(dcrctl({"verify", "--key", p("ec.pem"), p("es.jwt")}).exitCode, 0);
    }

    void verifyHs256WithSecret() {
        const QByteArray secret = "0123456789abcdef0123456789abcdef";
        writeFile(p("secret.txt"), secret + "\n");
        writeFile(p("hs.jwt"), *JwsSigner::signHmac("{\"iss\":\"dir\"}", secret));
        QCOMPARE(dcrctl({"verify", "--secret-file", p("secret.txt"), p("hs.jwt")}).exitCode, 0);
        writeFile(p("secret2.txt"), "another-secret-of-enough-length-xx");
        QCOMPARE(dcrctl({"verify", "--secret-file", p("secret2.txt"), p("hs.jwt")}).exitCode, 1);
        // An HS256 token is never accepted against an RSA public key.
        QCOMPARE(
            dcrctl({"verify", "--alg", "HS256", "--key", p("rsa-pub.pem"), p("hs.jwt")}).exitCode,
            1);
    }

    void lintSeedExample() {
        auto r = dcrctl({"lint", "--json", seed()});
        QCOMPARE(r.exitCode, 1);
        const QJsonArray findings = json(r).array();
        QVERIFY(!findings.isEmpty());
        for (const auto& f : findings) {
            const QJsonObject o = f.toObject();
            QVERIFY(o.contains("severity") && o.contains("rule") && o.contains("claim") &&
                    o.contains("message"));
        }
        auto text = dcrctl({"lint", seed()});
        QCOMPARE(text.exitCode, 1);
        QVERIFY(text.out.contains("redirect-https"));
    }

    // The seed's own example against --spec seed: exactly what is wrong with it (see
    // tst_preflight for the seed passages), and the JSON shape unchanged.
    void lintSeedExampleWithSpecSeed() {
        auto r = dcrctl({"lint", "--json", "--spec", "seed", seed()});
        QCOMPARE(r.exitCode, 1);
        QStringList got;
        for (const auto& f : json(r).array()) {
            const QJsonObject o = f.toObject();
            QCOMPARE(o.keys(), (QStringList{"claim", "message", "rule", "severity"}));
            got << o["rule"].toString() + u'/' + o["claim"].toString();
        }
        got.sort();
        QCOMPARE(got, (QStringList{"allowed-value/scope", "exp-past/exp", "exp-seed-minimum/exp",
                                   "iss-software-id/iss", "redirect-https/redirect_uris",
                                   "redirect-in-ssa/redirect_uris", "redirect-in-ssa/redirect_uris",
                                   "software-id-match/software_id",
                                   "ssa-signature-unverified/software_statement"}));
        // The default spec is the seed (rules compared, not messages: "N s ago" moves on).
        QStringList byDefault;
        for (const auto& f : json(dcrctl({"lint", "--json", seed()})).array())
            byDefault << f.toObject()["rule"].toString() + u'/' + f.toObject()["claim"].toString();
        byDefault.sort();
        QCOMPARE(byDefault, got);
        // OBIE 3.3 finds what 3.3 requires on top, and the FAPI warnings.
        const QByteArray obie = dcrctl({"lint", "--json", "--spec", "obie-3.3", seed()}).out;
        for (const char* rule :
             {"\"required-claim\"", "\"ssa-alg\"", "\"fapi-auth-method\"", "\"ssa-issuer\""})
            QVERIFY2(obie.contains(rule) == (QByteArray(rule) != "\"ssa-issuer\""), rule);
        QVERIFY(!dcrctl({"lint", "--json", "--spec", "obie-3.3", "--no-fapi", seed()})
                     .out.contains("fapi-auth-method"));
        QCOMPARE(dcrctl({"lint", "--spec", "obie-4", seed()}).exitCode, 2);
        QCOMPARE(dcrctl({"lint", "--cert", p("missing.pem"), seed()}).exitCode, 2);
    }

    void lintWithCertificateAndDiscovery() {
        // cert.pem's subject is O=Example,CN=tpp (RFC 4514 order).
        QJsonObject claims{{"iss", "beKuxC1RniVsTeLYwfpgNP"},
                           {"token_endpoint_auth_method", "tls_client_auth"},
                           {"tls_client_auth_subject_dn", "o=Example, cn=tpp"}};
        writeFile(p("dn.json"), QJsonDocument(claims).toJson());
        auto rules = [&](const QStringList& extra) {
            const auto r = dcrctl(QStringList{"lint", "--claims", "--json"} + extra +
                                  QStringList{p("dn.json")});
            QStringList out;
            for (const auto& f : json(r).array())
                out << f.toObject()["rule"].toString();
            return out;
        };
        QVERIFY(rules({"--cert", p("cert.pem")}).contains("subject-dn-rendering"));
        QVERIFY(!rules({"--cert", p("cert.pem")}).contains("subject-dn-certificate"));
        QVERIFY(!rules({}).contains("subject-dn-rendering"));
        claims["tls_client_auth_subject_dn"] = "O=Example,CN=someone";
        writeFile(p("dn.json"), QJsonDocument(claims).toJson());
        QVERIFY(rules({"--cert", p("cert.pem")}).contains("subject-dn-certificate"));
        writeFile(p("discovery.json"),
                  "{\"issuer\":\"https://bank.example.com\",\"registration_endpoint\":\"https://"
                  "bank.example.com/register\",\"token_endpoint_auth_methods_supported\":"
                  "[\"private_key_jwt\"]}");
        QVERIFY(rules({"--discovery", p("discovery.json")}).contains("discovery-unsupported"));
        QVERIFY(!rules({}).contains("discovery-unsupported"));
        QVERIFY(!rules({"--aud", "otherBank"}).contains("aud-expected")); // no aud claim yet
        claims["aud"] = "bank";
        writeFile(p("dn.json"), QJsonDocument(claims).toJson());
        QVERIFY(rules({"--aud", "otherBank"}).contains("aud-expected"));
    }

    void lintCleanClaimsExitsZero() {
        const QByteArray secret = "0123456789abcdef0123456789abcdef";
        writeFile(p("ssa-secret.txt"), secret);
        const QByteArray ssa =
            *JwsSigner::signHmac("{\"iss\":\"Sandbox\",\"software_id\":\"beKuxC1RniVsTeLYwfpgNP\","
                                 "\"software_redirect_uris\":[\"https://tpp.example.com/"
                                 "cb\"],\"software_roles\":[\"AISP\"],\"org_status\":\"Active\"}",
                                 secret);
        const QJsonObject claims{{"iss", "beKuxC1RniVsTeLYwfpgNP"},
                                 {"iat", 2000000000},
                                 {"exp", 2000000300},
                                 {"jti", "x"},
                                 {"aud", "bank"},
                                 {"grant_types", QJsonArray{"client_credentials"}},
                                 {"software_statement", QString::fromLatin1(ssa)},
                                 {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}},
                                 {"scope", "accounts"}};
        writeFile(p("clean.json"), QJsonDocument(claims).toJson());
        auto r = dcrctl({"lint", "--claims", "--now", "2000000001", "--ssa-secret-file",
                         p("ssa-secret.txt"), "--json", p("clean.json")});
        QVERIFY2(r.exitCode == 0, r.out.constData());
        QCOMPARE(json(r).array().size(), 0);
        // Without the secret the SSA signature is only a warning: still exit 0.
        auto w = dcrctl({"lint", "--claims", "--now", "2000000001", "--json", p("clean.json")});
        QCOMPARE(w.exitCode, 0);
        QCOMPARE(json(w).array().first().toObject()["rule"].toString(),
                 QStringLiteral("ssa-signature-unverified"));
        // The verdict in the words the console's SSA tab and preflight use (issue #22 item 2).
        auto valid = dcrctl({"lint", "--claims", "--now", "2000000001", "--ssa-secret-file",
                             p("ssa-secret.txt"), p("clean.json")});
        QVERIFY2(valid.out.contains("SSA signature: valid (verified with shared secret)\n"),
                 valid.out.constData());
        QVERIFY2(dcrctl({"lint", "--claims", "--now", "2000000001", p("clean.json")})
                     .out.contains("SSA signature: not verified\n"),
                 "no verdict without a key");
        // A wrong secret is an error.
        writeFile(p("bad-secret.txt"), "wrong-secret-wrong-secret-wrong-secret");
        auto invalid = dcrctl({"lint", "--claims", "--now", "2000000001", "--ssa-secret-file",
                               p("bad-secret.txt"), p("clean.json")});
        QVERIFY2(invalid.out.contains("SSA signature: invalid: ") &&
                     invalid.out.contains("(checked with shared secret)"),
                 invalid.out.constData());
        QVERIFY2(invalid.out.contains("the SSA's signature is invalid: "), invalid.out.constData());
        QCOMPARE(dcrctl({"lint", "--claims", "--now", "2000000001", "--ssa-secret-file",
                         p("bad-secret.txt"), p("clean.json")})
                     .exitCode,
                 1);
        QCOMPARE(dcrctl({"lint", "--now", "yesterday", p("clean.json")}).exitCode, 2);
    }

    void keysShowsCertificate() {
        auto r = dcrctl({"keys", "--json", p("cert.pem")});
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = json(r).object();
        QCOMPARE(o["format"].toString(), QStringLiteral("PEM"));
        QCOMPARE(o["has_private_key"].toBool(), false);
        QCOMPARE(o["certificates"].toArray().first().toObject()["subject"].toString(),
                 QStringLiteral("O=Example,CN=tpp"));
        QCOMPARE(o["public_jwk"].toObject()["kty"].toString(), QStringLiteral("RSA"));
        auto enc = dcrctl({"keys", p("rsa-enc.pem")});
        QCOMPARE(enc.exitCode, 2);
        QVERIFY(enc.err.contains("KeyPassphraseRequired"));
        QCOMPARE(dcrctl({"keys", "--passphrase-file", p("pw.txt"), p("rsa-enc.pem")}).exitCode, 0);
    }

    void malformedInputIsExit2WithOneLine_data() {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QByteArray>("mentions");
        const QByteArray seedJwt =
            readFile(examplePath(QStringLiteral("seed-example-request.jwt"))).trimmed();
        QTest::newRow("truncated token")
            << seedJwt.left(seedJwt.lastIndexOf('.')) << QByteArray("JwsMalformed");
        QTest::newRow("binary file") << QByteArray("\x7f"
                                                   "ELF\x02\x01\x01\x00\x00\x00\xff\xfe",
                                                   12)
                                     << QByteArray("JwsMalformed");
        QTest::newRow("empty file") << QByteArray() << QByteArray("InputEmpty");
        QTest::newRow("10 MB file")
            << QByteArray(10 * 1024 * 1024, 'a') << QByteArray("InputTooLarge");
        QTest::newRow("invalid UTF-8 payload")
            << ("eyJhbGciOiJQUzI1NiJ9." +
                QByteArray("{\"a\":\"\xff\xfe\"}")
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
                ".c2ln")
            << QByteArray("JwsPayloadNotJson");
        QTest::newRow("deeply nested JSON")
            << ("eyJhbGciOiJQUzI1NiJ9." +
                (QByteArray(3000, '[') + QByteArray(3000, ']'))
                    .toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals) +
                ".c2ln")
            << QByteArray("JwsPayloadNotJson");
    }
    void malformedInputIsExit2WithOneLine() {
        QFETCH(QByteArray, content);
        QFETCH(QByteArray, mentions);
        writeFile(p("bad.input"), content);
        for (const char* command : {"decode", "lint"}) {
            auto r = dcrctl({command, p("bad.input")});
            QVERIFY2(r.exitCode == 2, (QByteArray(command) + ": " + r.err).constData());
            QVERIFY2(r.err.startsWith("dcrctl: error: ") && r.err.count('\n') == 1,
                     r.err.constData());
            QVERIFY2(r.err.contains(mentions), r.err.constData());
        }
        QCOMPARE(dcrctl({"keys", p("bad.input")}).exitCode, 2);
        // verify does not require JSON claims, so only the structural cases are usage errors there.
        if (mentions != "JwsPayloadNotJson")
            QCOMPARE(dcrctl({"verify", "--key", p("rsa-pub.pem"), p("bad.input")}).exitCode, 2);
    }

    void missingFile() {
        auto r = dcrctl({"decode", p("does-not-exist.jwt")});
        QCOMPARE(r.exitCode, 2);
        QVERIFY(r.err.contains("no such file"));
    }
};

QTEST_GUILESS_MAIN(TestDcrctl)
#include "tst_dcrctl.moc"
