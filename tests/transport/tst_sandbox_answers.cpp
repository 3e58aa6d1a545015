// dcr-sandbox in seed mode answers as the seed document's "Can raise" columns and "Related
// Errors" table say, asserted case by case without sockets (SandboxAspsp is socket-free).
#include "TestSupport.h"
#include "jose/JwsSigner.h"
#include "registration/ClaimSpec.h"
#include "registration/SeedAnswers.h"
#include "sandbox/SandboxAspsp.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QTest>

using namespace dcr;

namespace {

// The seed's "Related Errors" table: Class, Code.
const QList<std::pair<QString, int>> kRelatedErrors = {{"RequestFormatInvalid", 400},
                                                       {"WrongRequiredFields", 401},
                                                       {"AccessDenied", 401},
                                                       {"NotFound", 404},
                                                       {"Invalid", 406}};
// The seed's per-claim "Can raise:" lines, verbatim.
const QList<std::pair<QString, QString>> kCanRaise = {
    {"iss", "WrongRequiredFields, RequestFormatInvalid"},
    {"software_statement", "NotFound, Invalid, WrongRequiredFields, AccessDenied"}};

int seedStatus(const QString& errorClass) {
    for (const auto& [name, code] : kRelatedErrors)
        if (name == errorClass)
            return code;
    return -1;
}

} // namespace

class TestSandboxAnswers : public QObject {
    Q_OBJECT
    QTemporaryDir m_dir;
    std::optional<SandboxKit> m_kit;

    SandboxResponse post(const QByteArray& body,
                         const QByteArray& contentType = "application/jwt") {
        SandboxAspsp aspsp(*m_kit, SandboxMode::Seed);
        return aspsp.handle({"POST",
                             SandboxAspsp::seedRegisterPath(),
                             {{"Content-Type", contentType}},
                             body,
                             m_kit->tppTransportCertificate(),
                             {}});
    }
    QByteArray sign(const RegistrationRequest& r) const {
        return *r.sign(m_kit->tppSigningKey(), {JwsAlgorithm::PS256, m_kit->tppSigningKid(), {}});
    }
    QByteArray demo(const std::function<void(QJsonObject&)>& change = {}) const {
        RegistrationRequest r = m_kit->demoRequest(QDateTime::currentDateTimeUtc());
        if (change)
            change(r.claims());
        return sign(r);
    }
    static QString category(const SandboxResponse& response) {
        return QJsonDocument::fromJson(response.body)
            .object()["tppMessages"]
            .toArray()
            .first()
            .toObject()["category"]
            .toString();
    }
    void expectClass(const SandboxResponse& response, const QString& errorClass) {
        const QString detail = QString::fromUtf8(response.body);
        QVERIFY2(seedStatus(errorClass) > 0, qPrintable(errorClass));
        QVERIFY2(response.status == seedStatus(errorClass),
                 qPrintable(QStringLiteral("status %1, want %2: %3")
                                .arg(response.status)
                                .arg(seedStatus(errorClass))
                                .arg(detail)));
        QVERIFY2(category(response) == errorClass, qPrintable(detail));
    }

private slots:
    void initTestCase() {
        auto kit = SandboxKit::create(m_dir.filePath(QStringLiteral("kit")));
        QVERIFY(kit.ok());
        m_kit = *kit;
    }

    void tableQuotesTheSeed() {
        for (const auto& [claim, line] : kCanRaise)
            QCOMPARE(seedAnswerFor(claim).canRaise.join(QStringLiteral(", ")), line);
        // Every class the table answers with is in the seed's Related Errors, and for claims with
        // a "Can raise" list it is one of those.
        for (const auto& answer : seedClaimAnswers()) {
            for (const QString& c : {answer.whenMissing, answer.whenInvalid}) {
                QVERIFY2(seedStatus(c) > 0, qPrintable(c));
                QVERIFY2(answer.canRaise.isEmpty() || answer.canRaise.contains(c), qPrintable(c));
            }
        }
    }

    void validRequestIs200() {
        const auto r = post(demo());
        QCOMPARE(r.status, 200);
        QCOMPARE(QJsonDocument::fromJson(r.body).object()["message"].toString(),
                 QStringLiteral("Request is processed. We will send the response via email."));
    }

    void missingOrEmptyRequiredClaim_data() {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<bool>("empty");
        for (const auto& spec : registrationClaimSpecs()) {
            if (!spec.required)
                continue;
            QTest::addRow("%s missing", qPrintable(spec.name)) << spec.name << false;
            if (spec.type != ClaimType::Integer)
                QTest::addRow("%s empty", qPrintable(spec.name)) << spec.name << true;
        }
    }

    // "WrongRequiredFields 401 Specified required fields were not provided" (for iss and
    // software_statement, in their "Can raise" lists too). Issue 13: an empty iss was 406.
    void missingOrEmptyRequiredClaim() {
        QFETCH(QString, claim);
        QFETCH(bool, empty);
        const auto r = post(demo([&](QJsonObject& c) {
            if (!empty)
                c.remove(claim);
            else if (c[claim].isArray())
                c[claim] = QJsonArray{};
            else
                c[claim] = QString();
        }));
        expectClass(r, seedAnswerFor(claim).whenMissing);
        QCOMPARE(seedAnswerFor(claim).whenMissing, QStringLiteral("WrongRequiredFields"));
    }

    void malformedClaim_data() {
        QTest::addColumn<QString>("claim");
        QTest::addColumn<QJsonValue>("value");
        QTest::addColumn<QString>("expected");
        // iss "Can raise: WrongRequiredFields, RequestFormatInvalid": a malformed iss is 400.
        QTest::newRow("iss not Base62")
            << "iss" << QJsonValue("not base62!") << "RequestFormatInvalid";
        QTest::newRow("iss not the software_id")
            << "iss" << QJsonValue("abc123") << "RequestFormatInvalid";
        // software_statement "Can raise: ... Invalid ...": not a JWT.
        QTest::newRow("software_statement garbage")
            << "software_statement" << QJsonValue("garbage") << "Invalid";
        // No "Can raise" for the rest: "Invalid 406 Given data is invalid".
        QTest::newRow("iat not an integer") << "iat" << QJsonValue("yesterday") << "Invalid";
        QTest::newRow("exp in the past") << "exp" << QJsonValue(1700000000) << "Invalid";
        QTest::newRow("aud not a string") << "aud" << QJsonValue(12) << "Invalid";
        QTest::newRow("grant_types not allowed")
            << "grant_types" << QJsonValue(QJsonArray{"password"}) << "Invalid";
        QTest::newRow("redirect_uris http")
            << "redirect_uris" << QJsonValue(QJsonArray{"http://tpp.example.com/cb"}) << "Invalid";
        QTest::newRow("scope not allowed") << "scope" << QJsonValue("makepayment") << "Invalid";
        QTest::newRow("subject DN of another certificate")
            << "tls_client_auth_subject_dn" << QJsonValue("CN=someone else,O=Example,C=GB")
            << "Invalid";
    }

    void malformedClaim() {
        QFETCH(QString, claim);
        QFETCH(QJsonValue, value);
        QFETCH(QString, expected);
        const auto r = post(demo([&](QJsonObject& c) { c[claim] = value; }));
        expectClass(r, expected);
        QCOMPARE(seedAnswerFor(claim).whenInvalid == QStringLiteral("RequestFormatInvalid"),
                 expected == QStringLiteral("RequestFormatInvalid"));
    }

    void softwareStatementAnswers() {
        // "Can raise: NotFound, Invalid, WrongRequiredFields, AccessDenied".
        // AccessDenied: not signed by the directory.
        const Key other = *Key::generateEcP256();
        const QJsonObject ssaClaims = m_kit->softwareStatementClaims(
            m_kit->softwareId(), QDateTime::currentDateTimeUtc().addSecs(-60));
        const QByteArray foreign =
            *JwsSigner::signClaims(ssaClaims, other, {JwsAlgorithm::ES256, "x", {}});
        expectClass(post(demo([&](QJsonObject& c) {
                        c["software_statement"] = QString::fromLatin1(foreign);
                    })),
                    QStringLiteral("AccessDenied"));
        // NotFound: signed by the directory, but for software this ASPSP does not know.
        const QByteArray unknown = *m_kit->signSoftwareStatement(m_kit->softwareStatementClaims(
            QStringLiteral("unknownSoftware42"), QDateTime::currentDateTimeUtc().addSecs(-60)));
        expectClass(post(demo([&](QJsonObject& c) {
                        c["software_statement"] = QString::fromLatin1(unknown);
                    })),
                    QStringLiteral("NotFound"));
    }

    void requestFormat() {
        // "RequestFormatInvalid 400 Request format is wrong": Content-Type and body.
        expectClass(post(demo(), "text/plain"), QStringLiteral("RequestFormatInvalid"));
        expectClass(post("not a jwt"), QStringLiteral("RequestFormatInvalid"));
    }

    void subjectDnInAnotherRenderingIsAccepted() {
        // The kit's transport certificate, its subject written with ", " and attribute names.
        const QString named = m_kit->tppTransportCertificate().subjectDn(DnStyle::Rfc4514Names);
        QString spaced = named;
        spaced.replace(QStringLiteral(",O="), QStringLiteral(", O="));
        QVERIFY(spaced != named);
        const auto r =
            post(demo([&](QJsonObject& c) { c["tls_client_auth_subject_dn"] = spaced; }));
        QVERIFY2(r.status == 200, r.body.constData());
    }

    // The reference's sandbox answer table (docs/reference.md) shows the same table.
    void readmeShowsTheTable() {
        const QString readme = test::readDoc(QStringLiteral("docs/reference.md"));
        for (const auto& a : seedClaimAnswers()) {
            const QString row =
                QStringLiteral("| %1 | %2 `%3` | %4 `%5` |")
                    .arg(a.claim == QStringLiteral("*") ? QStringLiteral("any other claim")
                                                        : QStringLiteral("`%1`").arg(a.claim))
                    .arg(seedStatus(a.whenMissing))
                    .arg(a.whenMissing)
                    .arg(seedStatus(a.whenInvalid))
                    .arg(a.whenInvalid);
            QVERIFY2(readme.contains(row),
                     qPrintable(QStringLiteral("docs/reference.md lacks ") + row));
        }
    }
};

QTEST_GUILESS_MAIN(TestSandboxAnswers)
#include "tst_sandbox_answers.moc"
