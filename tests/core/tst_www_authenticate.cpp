// The WWW-Authenticate parser (registration/WwwAuthenticate): the challenge an ASPSP sends with
// a 401 or 403 to a bearer token (RFC 6750 section 3), read from whatever bytes it sends.
#include "registration/WwwAuthenticate.h"

#include <QTest>

using namespace dcr;

class TestWwwAuthenticate : public QObject {
    Q_OBJECT
private slots:
    // RFC 6750 3: "the resource server MUST include the HTTP "WWW-Authenticate" response header
    // field" ... e.g. WWW-Authenticate: Bearer realm="example", error="invalid_token",
    // error_description="The access token expired"
    void wwwAuthenticate_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("realm");
        QTest::addColumn<QString>("error");
        QTest::addColumn<QString>("description");
        QTest::addColumn<QString>("scope");
        QTest::newRow("RFC 6750 3 example")
            << QByteArray("Bearer realm=\"example\", error=\"invalid_token\", "
                          "error_description=\"The access token expired\"")
            << true << "Bearer"
            << "example"
            << "invalid_token"
            << "The access token expired"
            << "";
        QTest::newRow("token values, no spaces")
            << QByteArray("Bearer error=invalid_token,scope=dcr") << true << "Bearer"
            << ""
            << "invalid_token"
            << ""
            << "dcr";
        QTest::newRow("quoted comma and escaped quote")
            << QByteArray("Bearer error_description=\"a, \\\"b\\\"\", error=\"invalid_request\"")
            << true << "Bearer"
            << ""
            << "invalid_request"
            << "a, \"b\""
            << "";
        QTest::newRow("Bearer after another challenge")
            << QByteArray("Basic realm=\"x\", Bearer realm=\"y\", error=\"insufficient_scope\"")
            << true << "Bearer"
            << "y"
            << "insufficient_scope"
            << ""
            << "";
        QTest::newRow("case-insensitive scheme and names")
            << QByteArray("bearer ERROR=\"invalid_token\"") << true << "bearer"
            << ""
            << "invalid_token"
            << ""
            << "";
        QTest::newRow("scheme only") << QByteArray("Bearer") << true << "Bearer"
                                     << ""
                                     << ""
                                     << ""
                                     << "";
        QTest::newRow("token68") << QByteArray("Negotiate YII=") << true << "Negotiate"
                                 << ""
                                 << ""
                                 << ""
                                 << "";
        QTest::newRow("empty") << QByteArray() << false << ""
                               << ""
                               << ""
                               << ""
                               << "";
        QTest::newRow("garbage") << QByteArray("=\",\"") << false << ""
                                 << ""
                                 << ""
                                 << ""
                                 << "";
        QTest::newRow("unterminated quote")
            << QByteArray("Bearer error=\"invalid_tok") << true << "Bearer"
            << ""
            << "invalid_tok"
            << ""
            << "";
        // The other examples of RFC 6750 section 3, as written there (the expired-token one
        // folded over three lines, as the RFC prints it), and its scope examples.
        // RFC 6750 3: "in response to a protected resource request without authentication:
        //   HTTP/1.1 401 Unauthorized
        //   WWW-Authenticate: Bearer realm="example""
        QTest::newRow("RFC 6750 3: no authentication")
            << QByteArray("Bearer realm=\"example\"") << true << "Bearer"
            << "example"
            << ""
            << ""
            << "";
        // RFC 6750 3: "in response to a protected resource request with an authentication attempt
        // using an expired access token:
        //   HTTP/1.1 401 Unauthorized
        //   WWW-Authenticate: Bearer realm="example",
        //                     error="invalid_token",
        //                     error_description="The access token expired""
        QTest::newRow("RFC 6750 3: expired token, folded")
            << QByteArray("Bearer realm=\"example\",\r\n                  error=\"invalid_token\","
                          "\r\n                  error_description=\"The access token expired\"")
            << true << "Bearer"
            << "example"
            << "invalid_token"
            << "The access token expired"
            << "";
        // RFC 6750 3: "The "scope" attribute is a space-delimited list of case-sensitive scope
        // values ... Example scope values are given below:
        //   scope="openid profile email"
        //   scope="urn:example:channel=HBO&urn:example:rating=G,PG-13""
        QTest::newRow("RFC 6750 3: scope words")
            << QByteArray("Bearer scope=\"openid profile email\"") << true << "Bearer"
            << ""
            << ""
            << ""
            << "openid profile email";
        QTest::newRow("RFC 6750 3: '=', '&' and ',' inside the quoted scope")
            << QByteArray("Bearer error=\"insufficient_scope\", "
                          "scope=\"urn:example:channel=HBO&urn:example:rating=G,PG-13\"")
            << true << "Bearer"
            << ""
            << "insufficient_scope"
            << ""
            << "urn:example:channel=HBO&urn:example:rating=G,PG-13";
    }
    void wwwAuthenticate() {
        QFETCH(QByteArray, value);
        QFETCH(bool, parsed);
        const auto c = parseWwwAuthenticate(value);
        QCOMPARE(c.has_value(), parsed);
        if (!c)
            return;
        QTEST(c->scheme, "scheme");
        QTEST(c->realm, "realm");
        QTEST(c->error, "error");
        QTEST(c->errorDescription, "description");
        QTEST(c->scope, "scope");
    }

    // What a hostile or broken ASPSP may send: the parser never fails and never reads past the
    // value; what it cannot read is skipped.
    void malformed_data() {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<bool>("parsed");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("error");
        QTest::newRow("separators only") << QByteArray(" , ,\t,") << false << ""
                                         << "";
        QTest::newRow("control bytes only") << QByteArray("\x01\x02\r\n", 4) << false << ""
                                            << "";
        QTest::newRow("NUL inside a quoted value")
            << QByteArray("Bearer error=\"inv\0alid\"", 23) << true << "Bearer"
            << QString::fromLatin1("inv\0alid", 8);
        QTest::newRow("backslash at the end")
            << QByteArray("Bearer error=\"x\\") << true << "Bearer"
            << "x\\";
        QTest::newRow("no value at the end") << QByteArray("Bearer error=") << true << "Bearer"
                                             << "";
        QTest::newRow("blanks around '='")
            << QByteArray("Bearer error \t=\t \"invalid_token\"") << true << "Bearer"
            << "invalid_token";
        QTest::newRow("unknown parameters ignored")
            << QByteArray("Bearer foo=\"bar\", error=invalid_token, baz=1") << true << "Bearer"
            << "invalid_token";
        QTest::newRow("later error wins")
            << QByteArray("Bearer error=a, error=b") << true << "Bearer"
            << "b";
        QTest::newRow("non-ASCII skipped before the scheme")
            << QByteArray("\xc3\xa9 Bearer error=x") << true << "Bearer"
            << "x";
        QTest::newRow("only a non-Bearer scheme")
            << QByteArray("Basic realm=\"r\"") << true << "Basic"
            << "";
        QTest::newRow("long value") << QByteArray("Bearer error=\"") + QByteArray(100000, 'a')
                                    << true << "Bearer" << QString(100000, u'a');
    }
    void malformed() {
        QFETCH(QByteArray, value);
        QFETCH(bool, parsed);
        const auto c = parseWwwAuthenticate(value);
        QCOMPARE(c.has_value(), parsed);
        if (!c)
            return;
        QTEST(c->scheme, "scheme");
        QTEST(c->error, "error");
    }
};

QTEST_APPLESS_MAIN(TestWwwAuthenticate)
#include "tst_www_authenticate.moc"
