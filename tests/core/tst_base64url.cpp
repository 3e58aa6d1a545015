#include "jose/Base64Url.h"

#include <QTest>

using namespace dcr;

class TestBase64Url : public QObject {
    Q_OBJECT
private slots:
    void roundTrip_data() {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<QByteArray>("encoded");
        // RFC 4648 section 10 vectors, base64url without padding.
        QTest::newRow("empty") << QByteArray() << QByteArray();
        QTest::newRow("f") << QByteArray("f") << QByteArray("Zg");
        QTest::newRow("fo") << QByteArray("fo") << QByteArray("Zm8");
        QTest::newRow("foo") << QByteArray("foo") << QByteArray("Zm9v");
        QTest::newRow("foobar") << QByteArray("foobar") << QByteArray("Zm9vYmFy");
        QTest::newRow("url-safe alphabet") << QByteArray("\xfb\xff\xfe", 3) << QByteArray("-__-");
    }
    void roundTrip() {
        QFETCH(QByteArray, bytes);
        QFETCH(QByteArray, encoded);
        QCOMPARE(base64url::encode(bytes), encoded);
        auto decoded = base64url::decode(encoded);
        QVERIFY2(decoded.ok(), qPrintable(decoded.ok() ? QString() : decoded.error().message));
        QCOMPARE(*decoded, bytes);
    }

    void rejects_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("padding") << QByteArray("Zg==") << QStringLiteral("position 2");
        QTest::newRow("plus") << QByteArray("ab+d") << QStringLiteral("position 2");
        QTest::newRow("slash") << QByteArray("abc/") << QStringLiteral("position 3");
        QTest::newRow("newline") << QByteArray("ab\ncd") << QStringLiteral("position 2");
        QTest::newRow("bad length") << QByteArray("abcde") << QStringLiteral("length 5");
        QTest::newRow("non-canonical") << QByteArray("Zh") << QStringLiteral("non-canonical");
        QTest::newRow("non-ascii") << QByteArray("ab\xc3\xa9") << QStringLiteral("0xc3");
    }
    void rejects() {
        QFETCH(QByteArray, text);
        QFETCH(QString, mustMention);
        auto decoded = base64url::decode(text);
        QVERIFY(!decoded.ok());
        QCOMPARE(decoded.error().kind, ErrorKind::Base64Invalid);
        QVERIFY2(decoded.error().message.contains(mustMention),
                 qPrintable(decoded.error().message));
    }
};

QTEST_APPLESS_MAIN(TestBase64Url)
#include "tst_base64url.moc"
