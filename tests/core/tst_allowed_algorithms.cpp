// #21.19: the algorithms each signature check of the product accepts, where the product (not the
// user) chooses the list: the request and SSA signatures that preflight verifies
// (RequestInspection) and a signed registration answer (RegistrationOutcome, with a
// ClassificationContext responseKey). tst_jws proves that JwsVerifier honours a caller's list on
// the key, certificate and JWKS paths; this file pins the lists these callers pass:
//  - the request signature: PS256, RS256 and ES256, whatever the key (a request object is signed
//    with the TPP's private key; RS256 is accepted here and linted by request-alg-fapi instead);
//  - the SSA and a signed answer: PS256, RS256 and ES256 with a key, certificate or JWKS, and
//    HS256 only with a shared secret (VerificationKey::defaultAlgorithms()).
// Each refusal must be "not allowed here", not merely some other failure further down, so that a
// verifier that ignored the list would be noticed.
#include "jose/CertificateBuilder.h"
#include "jose/JwsSigner.h"
#include "registration/RegistrationOutcome.h"
#include "registration/RequestInspection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;

namespace {

const QString kKid = QStringLiteral("signer-1");
const QByteArray kSharedSecret = "0123456789abcdef0123456789abcdef-shared";

struct Signer {
    Key rsa = *Key::generateRsa(2048);
    Certificate cert;
    Signer() {
        CertificateRequest request;
        request.commonName = QStringLiteral("signer");
        request.organization = QStringLiteral("Example");
        request.country = QStringLiteral("GB");
        cert = *issueCertificate(request, rsa, rsa);
    }
    // The three ways a user gives an asymmetric key, all for the same RSA key.
    QList<std::pair<QString, VerificationKey>> asymmetricKeys() const {
        return {{QStringLiteral("key"), VerificationKey::fromKey(rsa)},
                {QStringLiteral("certificate"), VerificationKey::fromCertificate(cert)},
                {QStringLiteral("JWKS"), VerificationKey::fromJwks(JwkSet::single(rsa, kKid))}};
    }
    QByteArray sign(const QByteArray& payload, JwsAlgorithm alg) const {
        return *JwsSigner::sign(payload, rsa, {alg, kKid, {}});
    }
    // The algorithm-confusion token: HS256 "signed" with the RSA public key as the secret.
    QByteArray confusion(const QByteArray& payload) const {
        return *JwsSigner::signHmac(payload, rsa.publicPem(), kKid);
    }
};

const Signer& signer() {
    static const Signer s;
    return s;
}

QByteArray json(const QJsonObject& o) {
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QJsonObject requestClaims(const QString& softwareStatement = {}) {
    QJsonObject c{{"iss", "tpp"}, {"redirect_uris", QJsonArray{"https://tpp.example.com/cb"}}};
    if (!softwareStatement.isEmpty())
        c.insert(QStringLiteral("software_statement"), softwareStatement);
    return c;
}

RequestInspection inspectSigned(const QByteArray& token, const VerificationKey& requestKey) {
    InspectionOptions options;
    options.requestKey = requestKey;
    auto inspected = inspectRequest(token, false, options, Preflight());
    if (!inspected)
        qFatal("%s", qPrintable(inspected.error().message));
    return *inspected;
}

RequestInspection inspectSsa(const QByteArray& ssa, const VerificationKey& ssaKey) {
    InspectionOptions options;
    options.ssaKey = ssaKey;
    return inspectRequest(RegistrationRequest(requestClaims(QString::fromLatin1(ssa))),
                          std::nullopt, options, Preflight());
}

RegistrationOutcome classifySigned(const QByteArray& token, const VerificationKey& responseKey) {
    ClassificationContext context;
    context.responseKey = responseKey;
    return classifyResponse(context, 201, {{"Content-Type", "application/jwt"}}, token);
}

const QByteArray kClient = R"({"client_id":"c-1","redirect_uris":["https://a/cb"]})";

QString notAllowed(JwsAlgorithm alg, const QString& allowed) {
    return QStringLiteral("signed with %1, which is not allowed here (allowed: %2)")
        .arg(algorithmName(alg), allowed);
}

const QString kAsymmetric = QStringLiteral("PS256, RS256, ES256");

} // namespace

class TestAllowedAlgorithms : public QObject {
    Q_OBJECT
private slots:
    // #21.19 (request): RS256 verifies (FAPI's PS256/ES256 is request-alg-fapi's business); an
    // HS256 request is refused as not allowed with every kind of key, a shared secret included.
    void requestSignatureAllowList() {
        const QByteArray payload = json(requestClaims());
        for (const auto& [kind, key] : signer().asymmetricKeys()) {
            for (JwsAlgorithm alg : {JwsAlgorithm::PS256, JwsAlgorithm::RS256}) {
                const auto in = inspectSigned(signer().sign(payload, alg), key);
                QVERIFY2(in.input.requestSignature.state == SignatureVerdict::State::Valid,
                         qPrintable(kind + u' ' + in.input.requestSignature.detail));
            }
            const auto in = inspectSigned(signer().confusion(payload), key);
            QVERIFY2(in.input.requestSignature.state == SignatureVerdict::State::Invalid,
                     qPrintable(kind + QStringLiteral(": HS256 request accepted")));
            QVERIFY2(in.input.requestSignature.detail.contains(
                         notAllowed(JwsAlgorithm::HS256, kAsymmetric)),
                     qPrintable(kind + u' ' + in.input.requestSignature.detail));
        }
        // Not even with the right shared secret: a request object is never verified as HS256.
        const auto in = inspectSigned(*JwsSigner::signHmac(payload, kSharedSecret),
                                      VerificationKey::fromSecret(kSharedSecret));
        QVERIFY2(in.input.requestSignature.state == SignatureVerdict::State::Invalid,
                 "an HS256 request verified with a shared secret");
        QVERIFY2(
            in.input.requestSignature.detail.contains(notAllowed(JwsAlgorithm::HS256, kAsymmetric)),
            qPrintable(in.input.requestSignature.detail));
        bool flagged = false;
        for (const auto& f : in.findings)
            flagged |= f.rule == QStringLiteral("request-signature-invalid");
        QVERIFY(flagged);
    }

    // #21.19 (SSA): asymmetric algorithms with a key, certificate or JWKS; HS256 only with a
    // shared secret, and a shared secret verifies nothing else.
    void ssaSignatureAllowList() {
        const QByteArray ssaPayload =
            json(QJsonObject{{"iss", "OpenBanking Ltd"}, {"software_id", "tpp"}});
        for (const auto& [kind, key] : signer().asymmetricKeys()) {
            const auto good = inspectSsa(signer().sign(ssaPayload, JwsAlgorithm::RS256), key);
            QVERIFY2(good.input.ssaSignature.state == SignatureVerdict::State::Valid,
                     qPrintable(kind + u' ' + good.input.ssaSignature.detail));
            const auto in = inspectSsa(signer().confusion(ssaPayload), key);
            QVERIFY2(in.input.ssaSignature.state == SignatureVerdict::State::Invalid,
                     qPrintable(kind + QStringLiteral(": HS256 SSA accepted")));
            QVERIFY2(
                in.input.ssaSignature.detail.contains(notAllowed(JwsAlgorithm::HS256, kAsymmetric)),
                qPrintable(kind + u' ' + in.input.ssaSignature.detail));
        }
        const VerificationKey secret = VerificationKey::fromSecret(kSharedSecret);
        const auto hs = inspectSsa(*JwsSigner::signHmac(ssaPayload, kSharedSecret), secret);
        QVERIFY2(hs.input.ssaSignature.state == SignatureVerdict::State::Valid,
                 qPrintable(hs.input.ssaSignature.detail));
        for (JwsAlgorithm alg : {JwsAlgorithm::PS256, JwsAlgorithm::RS256}) {
            const auto in = inspectSsa(signer().sign(ssaPayload, alg), secret);
            QVERIFY2(in.input.ssaSignature.state == SignatureVerdict::State::Invalid,
                     qPrintable(algorithmName(alg) + QStringLiteral(" SSA accepted by a secret")));
            QVERIFY2(
                in.input.ssaSignature.detail.contains(notAllowed(alg, QStringLiteral("HS256"))),
                qPrintable(in.input.ssaSignature.detail));
        }
    }

    // #21.19 (signed registration answer): the same lists for a 201 whose body is a JWS.
    void signedResponseAllowList() {
        for (const auto& [kind, key] : signer().asymmetricKeys()) {
            const auto good = classifySigned(signer().sign(kClient, JwsAlgorithm::RS256), key);
            QVERIFY2(good.signature == ResponseSignature::Verified,
                     qPrintable(kind + u' ' + good.signatureDetail));
            QCOMPARE(good.format, BodyFormat::SignedClientJwt);
            const auto o = classifySigned(signer().confusion(kClient), key);
            QVERIFY2(o.signature == ResponseSignature::Invalid,
                     qPrintable(kind + QStringLiteral(": HS256 answer accepted")));
            QVERIFY2(o.signatureDetail.contains(notAllowed(JwsAlgorithm::HS256, kAsymmetric)),
                     qPrintable(kind + u' ' + o.signatureDetail));
            QVERIFY2(o.summary().endsWith(QStringLiteral("[SIGNATURE INVALID]")),
                     qPrintable(o.summary()));
        }
        const VerificationKey secret = VerificationKey::fromSecret(kSharedSecret);
        const auto hs = classifySigned(*JwsSigner::signHmac(kClient, kSharedSecret), secret);
        QVERIFY2(hs.signature == ResponseSignature::Verified, qPrintable(hs.signatureDetail));
        for (JwsAlgorithm alg : {JwsAlgorithm::PS256, JwsAlgorithm::RS256}) {
            const auto o = classifySigned(signer().sign(kClient, alg), secret);
            QVERIFY2(o.signature == ResponseSignature::Invalid,
                     qPrintable(algorithmName(alg) + QStringLiteral(" answer accepted")));
            QVERIFY2(o.signatureDetail.contains(notAllowed(alg, QStringLiteral("HS256"))),
                     qPrintable(o.signatureDetail));
        }
    }
};

QTEST_APPLESS_MAIN(TestAllowedAlgorithms)
#include "tst_allowed_algorithms.moc"
