// dcrctl lint's signature interop findings, as a process: a request signed by the openssl CLI with
// a 20-byte PSS salt (RFC 7518 §3.5 wants 32), a kid its SSA's software_jwks lacks, an SSA whose
// software_jwks differs from what its software_jwks_endpoint serves (--software-jwks-file), and
// which key verified which token, in --json and in the text output.
#include "OpensslJws.h"
#include "TestSupport.h"
#include "jose/Jwk.h"
#include "jose/JwsSigner.h"
#include "jose/KeyMaterial.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;
using namespace dcr::test;

namespace {

ProcessResult dcrctl(const QStringList& args) {
    return run(QStringLiteral(DCRCTL_PATH), args, {}, 60000);
}

QByteArray compact(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject jwksJson(const QList<std::pair<Key, QString>>& keys) {
    QJsonArray array;
    for (const auto& [key, kid] : keys) {
        QJsonObject jwk = jwk::fromPublicKey(key);
        jwk["kid"] = kid;
        array.append(jwk);
    }
    return QJsonObject{{"keys", array}};
}

// The findings of one rule in dcrctl lint --json output.
QList<QJsonObject> findingsOf(const ProcessResult& r, const char* rule) {
    QList<QJsonObject> out;
    for (const auto& v : QJsonDocument::fromJson(r.out).array())
        if (v.toObject()["rule"].toString() == QLatin1String(rule))
            out << v.toObject();
    return out;
}

} // namespace

class TestDcrctlLintInterop : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    Key m_tpp, m_directory, m_other;

    QString p(const QString& n) const { return m_dir.filePath(n); }
    Key opensslKey(const QString& name) {
        const auto r = openssl({"genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048",
                                "-out", p(name + ".pem")});
        if (r.exitCode != 0)
            return {};
        auto material = keyloader::loadSigningKey(readFile(p(name + ".pem")));
        return material ? material->privateKey : Key();
    }
    // A request whose SSA (signed by the directory, kid dir) carries software_jwks {tpp-1: tpp}
    // and a software_jwks_endpoint; the request signed by openssl with kid and PSS salt option.
    QString request(const QString& kid, const QString& salt) {
        const QJsonObject ssa{{"iss", "OpenBanking Ltd"},
                              {"software_id", "beKuxC1RniVsTeLYwf"},
                              {"software_jwks", jwksJson({{m_tpp, "tpp-1"}})},
                              {"software_jwks_endpoint", "https://keystore.example.com/tpp.jwks"}};
        const QByteArray signedSsa =
            *JwsSigner::sign(compact(ssa), m_directory, {JwsAlgorithm::PS256, "dir", {}});
        const QJsonObject claims{{"iss", "beKuxC1RniVsTeLYwf"},
                                 {"aud", "bank"},
                                 {"request_object_signing_alg", "PS256"},
                                 {"software_statement", QString::fromLatin1(signedSsa)}};
        const QByteArray header = compact({{"alg", "PS256"}, {"kid", kid}});
        const QString file = p(QStringLiteral("request-%1-%2.jwt").arg(kid, salt));
        writeFile(file, opensslPs256Jws(m_tpp, header, compact(claims), salt));
        return file;
    }

private slots:
    void initTestCase() {
        m_tpp = opensslKey(QStringLiteral("tpp"));
        m_directory = opensslKey(QStringLiteral("dir"));
        m_other = opensslKey(QStringLiteral("other"));
        QVERIFY(!m_tpp.isNull() && !m_directory.isNull() && !m_other.isNull());
        writeFile(p("tpp.jwks"), compact(jwksJson({{m_tpp, "tpp-1"}})));
        writeFile(p("dir.jwks"), compact(jwksJson({{m_other, "old"}, {m_directory, "dir"}})));
        writeFile(p("other.jwks"), compact(jwksJson({{m_other, "tpp-1"}})));
    }

    // RFC 7518 §3.5: "The size of the salt value is the same size as the hash function output."
    void pssSaltLength() {
        const auto r = dcrctl({"lint", "--json", "--jwks", p("tpp.jwks"), "--ssa-jwks",
                               p("dir.jwks"), request("tpp-1", "20")});
        QCOMPARE(r.exitCode, 1);
        const auto salted = findingsOf(r, "pss-salt-length");
        QCOMPARE(salted.size(), 1);
        QCOMPARE(salted.first()["severity"].toString(), QStringLiteral("error"));
        QVERIFY2(salted.first()["message"].toString().contains(
                     "the request's PS256 signature uses a 20-byte PSS salt; RFC 7518 §3.5 "
                     "requires 32"),
                 r.out.constData());
        // The same request with the hash-length salt: nothing about the salt, and which keys
        // verified the request and its SSA, in the text output.
        const QString clean = request("tpp-1", "digest");
        QVERIFY(findingsOf(dcrctl({"lint", "--json", "--jwks", p("tpp.jwks"), clean}),
                           "pss-salt-length")
                    .isEmpty());
        const auto text =
            dcrctl({"lint", "--jwks", p("tpp.jwks"), "--ssa-jwks", p("dir.jwks"), clean});
        QVERIFY2(!text.out.contains("pss-salt-length"), text.out.constData());
        for (const QString& line :
             {QStringLiteral("Keys: request verified by the given key kid=tpp-1 (RFC 7638 "
                             "thumbprint %1) in the JWKS given for the request\n")
                  .arg(jwk::thumbprint(m_tpp)),
              QStringLiteral("Keys: request verified by the software's key kid=tpp-1 (RFC 7638 "
                             "thumbprint %1) in the SSA's software_jwks\n")
                  .arg(jwk::thumbprint(m_tpp)),
              QStringLiteral("Keys: SSA verified by the directory's key kid=dir (RFC 7638 "
                             "thumbprint %1) in the directory's JWKS\n")
                  .arg(jwk::thumbprint(m_directory))})
            QVERIFY2(text.out.contains(line.toUtf8()), text.out.constData());
        const auto max = dcrctl({"lint", "--ssa-jwks", p("dir.jwks"), request("tpp-1", "max")});
        QVERIFY2(max.out.contains("pss-salt-length") && max.out.contains("222-byte PSS salt"),
                 max.out.constData());
    }

    // RFC 7515 §4.1.4: the kid is the hint a bank selects the key from its JWKS by.
    void kidNotInSoftwareJwks() {
        const auto r = dcrctl({"lint", "--json", request("tpp-9", "32")});
        QCOMPARE(r.exitCode, 1);
        const auto kid = findingsOf(r, "kid-not-in-jwks");
        QCOMPARE(kid.size(), 1);
        QCOMPARE(kid.first()["claim"].toString(), QStringLiteral("kid"));
        QVERIFY2(kid.first()["message"].toString().contains(
                     "the request's header names kid \"tpp-9\", which the SSA's software_jwks "
                     "does not hold (it has: tpp-1)"),
                 r.out.constData());
        QVERIFY(findingsOf(dcrctl({"lint", "--json", request("tpp-1", "32")}), "kid-not-in-jwks")
                    .isEmpty());
        // The software's keys hold another key under the kid: no key of theirs verifies it.
        const auto other = dcrctl(
            {"lint", "--json", "--software-jwks-file", p("other.jwks"), request("tpp-1", "32")});
        const auto unverified = findingsOf(other, "signature-keys");
        QCOMPARE(unverified.size(), 1);
        QVERIFY2(unverified.first()["message"].toString().startsWith(
                     "request verified by none of the software's keys in the JWKS of "
                     "software_jwks_endpoint https://keystore.example.com/tpp.jwks"),
                 other.out.constData());
    }

    // What software_jwks_endpoint serves, given as a file (lint fetches nothing).
    void softwareJwksFile() {
        const QString jwt = request("tpp-1", "32");
        QVERIFY(findingsOf(dcrctl({"lint", "--json", jwt}), "ssa-jwks-mismatch").isEmpty());
        QVERIFY(findingsOf(dcrctl({"lint", "--json", "--software-jwks-file", p("tpp.jwks"), jwt}),
                           "ssa-jwks-mismatch")
                    .isEmpty());
        const auto r = dcrctl({"lint", "--json", "--software-jwks-file", p("other.jwks"), jwt});
        const auto mismatch = findingsOf(r, "ssa-jwks-mismatch");
        QCOMPARE(mismatch.size(), 1);
        QCOMPARE(mismatch.first()["severity"].toString(), QStringLiteral("warning"));
        QVERIFY2(mismatch.first()["message"].toString().contains(
                     QStringLiteral("only in software_jwks: %1; only at the endpoint: %2")
                         .arg(jwk::thumbprint(m_tpp), jwk::thumbprint(m_other))),
                 r.out.constData());
        // Not a JWK Set: a usage error that names the option.
        writeFile(p("not-jwks.json"), "not JSON at all");
        const auto bad = dcrctl({"lint", "--software-jwks-file", p("not-jwks.json"), jwt});
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.contains("--software-jwks-file"), bad.err.constData());
    }
};

QTEST_APPLESS_MAIN(TestDcrctlLintInterop)
#include "tst_dcrctl_lint_interop.moc"
