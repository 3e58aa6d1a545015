// Issue #22 items 1, 2 and 4, below the UI: the spec guessed for a received request (and what it
// was guessed from), what an inspection is checked against, the one SSA signature verdict, and
// input classified by its content (a broken JWS named as what it is).
#include "TestSupport.h"
#include "jose/Base64Url.h"
#include "jose/JwsSigner.h"
#include "registration/InputKind.h"
#include "registration/InspectionTarget.h"
#include "registration/RequestInspection.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dcr;

namespace {

QByteArray part(const QJsonObject& o) {
    return base64url::encode(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

// A compact JWS with the given claims and a signature part that is only bytes (never verified).
QByteArray unsignedJws(const QJsonObject& claims, const QByteArray& signature = "c2ln") {
    return part({{"alg", "PS256"}}) + '.' + part(claims) + '.' + signature;
}

QByteArray seedExample() {
    return test::readExample(QStringLiteral("seed-example-request.jwt")).trimmed();
}

RegistrationRequest seedClaims() {
    return RegistrationRequest(Jws::parse(seedExample())->claims());
}

const QByteArray kSecret = "issuer-shared-secret-of-32-bytes!!";

QStringList rulesOf(const RequestInspection& inspection) {
    QStringList rules;
    for (const auto& f : inspection.findings)
        rules << f.rule;
    return rules;
}

} // namespace

class TestInspection : public QObject {
    Q_OBJECT
private slots:
    // --- guessSpec: by the request's own claims, with the reason said
    void guessesTheSeedForTheSeedExample() {
        const SpecGuess guess = guessSpec(seedClaims());
        QCOMPARE(guess.spec, SpecVersion::Seed);
        QVERIFY2(guess.reason.contains(QStringLiteral("no jti")), qPrintable(guess.reason));
    }

    void guessesEachObieVersionFromWhatOnlyItDefines() {
        QJsonObject claims = seedClaims().claims();
        claims.insert(QStringLiteral("jti"),
                      QStringLiteral("7d3c4a1e-2b9f-4c8e-9a1d-0f2e3b4c5d6e"));
        SpecGuess guess = guessSpec(RegistrationRequest(claims));
        QCOMPARE(guess.spec, SpecVersion::Obie33);
        QVERIFY2(guess.reason.contains(QStringLiteral("jti")), qPrintable(guess.reason));

        QJsonObject v31 = claims;
        v31.insert(QStringLiteral("tls_client_auth_dn"), QStringLiteral("CN=tpp,O=Example"));
        guess = guessSpec(RegistrationRequest(v31));
        QCOMPARE(guess.spec, SpecVersion::Obie31);
        QVERIFY(guess.reason.contains(QStringLiteral("tls_client_auth_dn")));

        QJsonObject ciba = claims;
        ciba.insert(QStringLiteral("backchannel_token_delivery_mode"), QStringLiteral("poll"));
        guess = guessSpec(RegistrationRequest(ciba));
        QCOMPARE(guess.spec, SpecVersion::Obie33);
        QVERIFY(guess.reason.contains(QStringLiteral("backchannel_token_delivery_mode")));

        QJsonObject dn = seedClaims().claims();
        dn.insert(QStringLiteral("tls_client_auth_subject_dn"), QStringLiteral("CN=tpp"));
        QCOMPARE(guessSpec(RegistrationRequest(dn)).spec, SpecVersion::Obie33);
    }

    // The SSA's issuer names the ecosystem: the CDR standards' SSA Definition, iss "Value:
    // cdr-register."; Open Finance Brasil DCR 1.0 §9.2 "Open Finance Open Finance Brasil
    // production SSA issuer" (§8.1's example: "Open Banking Open Banking Brasil prod SSA
    // issuer"). Another issuer leaves the claim-based guess alone.
    void guessesBrazilAndTheCdrFromTheSsaIssuer() {
        const auto withIssuer = [](const char* iss) {
            QJsonObject claims = seedClaims().claims();
            claims.insert(QStringLiteral("jti"),
                          QStringLiteral("7d3c4a1e-2b9f-4c8e-9a1d-0f2e3b4c5d6e"));
            const QByteArray payload =
                QJsonDocument(QJsonObject{{"iss", QString::fromLatin1(iss)}, {"iat", 1}})
                    .toJson(QJsonDocument::Compact);
            claims.insert(QStringLiteral("software_statement"),
                          QString::fromLatin1(
                              *JwsSigner::signHmac(payload, "0123456789abcdef0123456789abcdef")));
            return guessSpec(RegistrationRequest(claims));
        };
        SpecGuess guess = withIssuer("cdr-register");
        QCOMPARE(guess.spec, SpecVersion::Cdr);
        QVERIFY2(guess.reason.contains(QStringLiteral("CDR Register")), qPrintable(guess.reason));
        guess = withIssuer("Open Banking Open Banking Brasil prod SSA issuer");
        QCOMPARE(guess.spec, SpecVersion::Ofb);
        QVERIFY2(guess.reason.contains(QStringLiteral("Open Finance Brasil")),
                 qPrintable(guess.reason));
        QCOMPARE(withIssuer("OpenBanking Ltd").spec, SpecVersion::Obie33); // by its jti
    }

    // The target says what it checks; aud is compared only with a bank id.
    void theTargetSaysWhatItChecksAndComparesAudOnlyWithABankId() {
        InspectionTarget target = InspectionTarget::guessedFor(seedClaims());
        QVERIFY(target.isGuess());
        QVERIFY2(target.describe().contains(QStringLiteral("seed (guessed from")),
                 qPrintable(target.describe()));
        QVERIFY(target.describe().contains(QStringLiteral("aud not compared")));
        QCOMPARE(target.preflightOptions().spec, SpecVersion::Seed);
        QVERIFY(target.preflightOptions().expectedAud.isEmpty());

        const Preflight noBank(target.preflightOptions());
        InspectionOptions options;
        auto inspected = inspectRequest(seedExample(), false, options, noBank);
        QVERIFY(inspected);
        QVERIFY(!rulesOf(*inspected).contains(QStringLiteral("aud-expected")));

        target.bankId = QStringLiteral("someOtherBank");
        target.spec = SpecVersion::Obie32;
        target.guessedFrom.clear();
        QVERIFY(!target.isGuess());
        QVERIFY2(target.describe().contains(QStringLiteral("obie-3.2 (chosen)")),
                 qPrintable(target.describe()));
        QVERIFY(target.describe().contains(QStringLiteral("\"someOtherBank\"")));
        inspected =
            inspectRequest(seedExample(), false, options, Preflight(target.preflightOptions()));
        QVERIFY(rulesOf(*inspected).contains(QStringLiteral("aud-expected")));
        QVERIFY(rulesOf(*inspected).contains(QStringLiteral("jti-missing")) ||
                rulesOf(*inspected).contains(QStringLiteral("required-claim")));
        // The seed example's own aud: no aud finding.
        target.bankId = QStringLiteral("0dw23dsa13123");
        inspected =
            inspectRequest(seedExample(), false, options, Preflight(target.preflightOptions()));
        QVERIFY(!rulesOf(*inspected).contains(QStringLiteral("aud-expected")));
    }

    // --- the one SSA verdict: its three states in the same words everywhere
    void theSsaVerdictHasThreeStatesInOneWording() {
        const QByteArray ssa = *JwsSigner::signHmac(
            QJsonDocument(QJsonObject{{"iss", "OpenBanking Ltd"}, {"software_id", "abc"}})
                .toJson(QJsonDocument::Compact),
            kSecret);
        const Jws jws = *Jws::parse(ssa);
        QCOMPARE(verifySoftwareStatement(jws, std::nullopt).state,
                 SignatureVerdict::State::NotVerified);
        QCOMPARE(verifySoftwareStatement(jws, std::nullopt).text(), QStringLiteral("not verified"));
        const SignatureVerdict good =
            verifySoftwareStatement(jws, VerificationKey::fromSecret(kSecret));
        QVERIFY(good.isValid());
        QCOMPARE(good.text(), QStringLiteral("valid (verified with shared secret)"));
        const SignatureVerdict bad = verifySoftwareStatement(
            jws, VerificationKey::fromSecret("another-secret-of-32-bytes-long!!"));
        QVERIFY(bad.isInvalid());
        QVERIFY2(bad.text().startsWith(QStringLiteral("invalid: ")) &&
                     bad.text().contains(QStringLiteral("(checked with shared secret)")),
                 qPrintable(bad.text()));

        // Preflight's findings carry the same words.
        QJsonObject claims = seedClaims().claims();
        claims.insert(QStringLiteral("software_statement"), QString::fromLatin1(ssa));
        InspectionOptions options;
        options.ssaKey = VerificationKey::fromSecret("another-secret-of-32-bytes-long!!");
        const auto inspected =
            inspectRequest(RegistrationRequest(claims), std::nullopt, options, Preflight());
        QCOMPARE(inspected.input.ssaSignature.text(), bad.text());
        bool found = false;
        for (const auto& f : inspected.findings)
            if (f.rule == QStringLiteral("ssa-signature-invalid")) {
                found = true;
                QVERIFY2(f.message.contains(bad.text()), qPrintable(f.message));
            }
        QVERIFY(found);
    }

    // --- classification by content
    void classifiesByContent_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("reason");
        const QByteArray seed = seedExample();
        const QByteArray noSignature = seed.left(seed.lastIndexOf('.'));
        QTest::newRow("the seed example") << seed << int(InputKind::RegistrationRequest) << "";
        QTest::newRow("a request with a corrupt signature")
            << noSignature + ".!!not*base64!!" << int(InputKind::RegistrationRequest) << "";
        QTest::newRow("a request with an empty signature")
            << noSignature + '.' << int(InputKind::RegistrationRequest) << "";
        QTest::newRow("a request without its signature part")
            << noSignature << int(InputKind::Unrecognised) << "it has 2 '.'-separated parts";
        QTest::newRow("a truncated request")
            << seed.left(seed.indexOf('.') + 40) << int(InputKind::Unrecognised)
            << "it has 2 '.'-separated parts";
        QTest::newRow("a request cut inside its payload, signature part appended")
            << seed.left(seed.indexOf('.') + 40) + ".c2ln" << int(InputKind::Unrecognised)
            << "payload does not decode to a JSON object";
        QTest::newRow("an SSA") << unsignedJws({{"iss", "OpenBanking Ltd"}, {"software_id", "x"}})
                                << int(InputKind::SoftwareStatement) << "";
        QTest::newRow("plain text") << QByteArray("hello, this is a note.\n")
                                    << int(InputKind::Unrecognised) << "it is plain text";
        QTest::newRow("one word") << QByteArray("eyJhbGciOiJQUzI1NiJ9\n")
                                  << int(InputKind::Unrecognised) << "it has no '.'";
        QTest::newRow("a binary file") << QByteArray("\x7f"
                                                     "ELF\x02\x01\x01\x00\x00\x00\xff\xfe",
                                                     12)
                                       << int(InputKind::Unrecognised) << "binary data";
        QTest::newRow("broken JSON") << QByteArray("{\"aud\": ") << int(InputKind::Unrecognised)
                                     << "starts like JSON but does not parse";
        QTest::newRow("claims") << QByteArray("{\"aud\": \"x\"}") << int(InputKind::ClaimsJson)
                                << "";
        QTest::newRow("a JWK") << QByteArray("{\"kty\": \"EC\"}")
                               << int(InputKind::KeyOrCertificate) << "";
        QTest::newRow("PEM") << QByteArray("-----BEGIN CERTIFICATE-----\nMIIB\n")
                             << int(InputKind::KeyOrCertificate) << "";
        QTest::newRow("DER") << QByteArray("\x30\x82\x01\x0a\x02\x82", 6)
                             << int(InputKind::KeyOrCertificate) << "";
        QTest::newRow("empty") << QByteArray(" \n") << int(InputKind::Empty) << "";
    }
    void classifiesByContent() {
        QFETCH(QByteArray, bytes);
        QFETCH(int, kind);
        QFETCH(QString, reason);
        const InputClassification got = classifyInput(bytes);
        QCOMPARE(int(got.kind), kind);
        QVERIFY2(got.reason.contains(reason), qPrintable(got.reason));
        QCOMPARE(got.reason.isEmpty(), reason.isEmpty());
    }

    // A request whose signature part cannot be read is inspected by its claims when asked to
    // (the console), its broken signature the request's invalid verdict; dcrctl lint refuses it.
    void aBrokenSignatureIsAnInvalidVerdictNotAnotherKind() {
        const QByteArray seed = seedExample();
        const QByteArray corrupt = seed.left(seed.lastIndexOf('.')) + ".!!not*base64!!";
        InspectionOptions strict;
        QVERIFY(!inspectRequest(corrupt, false, strict, Preflight()));
        InspectionOptions lenient;
        lenient.inspectBrokenSignature = true;
        auto inspected = inspectRequest(corrupt, false, lenient, Preflight());
        QVERIFY(inspected);
        QVERIFY(inspected->input.requestSignature.isInvalid());
        QVERIFY2(inspected->input.requestSignature.text().contains(QStringLiteral("signature")),
                 qPrintable(inspected->input.requestSignature.text()));
        QVERIFY(rulesOf(*inspected).contains(QStringLiteral("request-signature-invalid")));
        QCOMPARE(inspected->input.request.string(QStringLiteral("iss")),
                 QStringLiteral("beKuxC1RniVsTeLYwfpgNP"));
        // Not a JWS at all is still refused.
        QVERIFY(!inspectRequest("hello", false, lenient, Preflight()));
    }
};

QTEST_GUILESS_MAIN(TestInspection)
#include "tst_inspection.moc"
