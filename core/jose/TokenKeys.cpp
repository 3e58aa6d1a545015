#include "TokenKeys.h"

#include "OpenSsl.h"
#include "Pkcs11Engine.h"
#include "Pkcs11Uri.h"
#include "TokenPinState.h"

#include "common/LocalFile.h"

#include <QCoreApplication>
#include <QFile>

namespace dcr::tokenkeys {

namespace {

// Messages the user reads, in the language of the running program.
struct TokenKeysTr {
    Q_DECLARE_TR_FUNCTIONS(TokenKeys)
};

struct Opened {
    Pkcs11Uri uri;
    std::shared_ptr<Pkcs11Engine> engine;
};

Result<Opened> open(const QString& text, const QString& configuredModule) {
    auto uri = Pkcs11Uri::parse(text);
    if (!uri)
        return uri.error();
    auto engine = Pkcs11Engine::forModule(Pkcs11Engine::modulePathFor(*uri, configuredModule));
    if (!engine)
        return Error{engine.error().kind,
                     QStringLiteral("%1: %2").arg(uri->displayString(), engine.error().message)};
    return Opened{*uri, *engine};
}

Result<QByteArray> pinFor(const Pkcs11Uri& uri, const QByteArray& given) {
    if (!uri.pinValue().isEmpty())
        return uri.pinValue();
    if (!uri.pinSource().isEmpty()) {
        QString path = uri.pinSource();
        if (path.startsWith(QStringLiteral("file:")))
            path = path.mid(5);
        auto read = readLocalFile(path, 4096);
        if (!read)
            return Error{read.error().kind, TokenKeysTr::tr("%1: pin-source cannot be read: %2")
                                                .arg(uri.displayString(), read.error().message)};
        QByteArray pin = *read;
        while (pin.endsWith('\n') || pin.endsWith('\r'))
            pin.chop(1);
        return pin;
    }
    return given;
}

Status acceptKeyType(const Key& key, const QString& name) {
    if (key.type() == KeyType::Unsupported)
        return Error{ErrorKind::KeyUnsupportedType,
                     TokenKeysTr::tr("%1 is a %2 key; only RSA and EC P-256 keys can sign (PS256, "
                                     "RS256, ES256)")
                         .arg(name, key.description())};
    return {};
}

} // namespace

Result<KeyMaterial> loadPrivate(const QString& text, const QByteArray& given,
                                const QString& configuredModule) {
    auto opened = open(text, configuredModule);
    if (!opened)
        return opened.error();
    const QString name = opened->uri.displayString();
    const QString type = QString::fromUtf8(opened->uri.pathValue(QStringLiteral("type")));
    if (!type.isEmpty() && type != QStringLiteral("private"))
        return Error{ErrorKind::KeyWrongFileType,
                     TokenKeysTr::tr("%1 names a %2 object; signing and TLS need the private key "
                                     "(type=private)")
                         .arg(name, type)};
    auto pin = pinFor(opened->uri, given);
    if (!pin)
        return pin.error();
    // Read before any login: a locked token is not sent a PIN at all, and a token this process is
    // already logged in to needs none (PKCS#11 logs in per application and token, so a second key
    // of the same token loads without asking again).
    auto state = TokenPinState::read(opened->engine->modulePath(), opened->uri);
    if (!state)
        return state.error();
    if (state->locked && state->needsPin())
        return TokenPinState::lockedError(name, TokenKeysTr::tr("CKF_USER_PIN_LOCKED; no PIN was "
                                                                "tried"));
    if (pin->isEmpty() && state->needsPin())
        return Error{ErrorKind::KeyPassphraseRequired,
                     TokenKeysTr::tr("%1: the token's user PIN is required").arg(name)};
    auto key = opened->engine->privateKey(opened->uri, state->needsPin() ? *pin : QByteArray());
    if (!key)
        return key.error();
    if (auto ok = acceptKeyType(*key, name); !ok)
        return ok.error();
    KeyMaterial material;
    material.format = QStringLiteral("PKCS#11");
    material.privateKey = *key;
    material.publicKey = key->publicKey();
    // The certificate stored beside the key (same id/label) is optional: a transport certificate
    // often lives in a file instead.
    if (auto cert = opened->engine->certificate(opened->uri.withType(QStringLiteral("cert")));
        cert && cert->matchesPrivateKey(*key))
        material.certificates << *cert;
    ossl::clearErrors();
    return material;
}

Result<KeyMaterial> loadSigningKey(const QString& text, const QByteArray& pin,
                                   const QString& configuredModule) {
    auto material = loadPrivate(text, pin, configuredModule);
    if (!material)
        return material;
    if (auto ok = checkSigningKey(material->privateKey); !ok)
        return Error{ok.error().kind, QStringLiteral("%1: %2").arg(material->privateKey.tokenUri(),
                                                                   ok.error().message)};
    return material;
}

Result<TokenPinState> pinState(const QString& text, const QString& configuredModule) {
    auto uri = Pkcs11Uri::parse(text);
    if (!uri)
        return uri.error();
    return TokenPinState::read(Pkcs11Engine::modulePathFor(*uri, configuredModule), *uri);
}

bool carriesPin(const QString& text) {
    auto uri = Pkcs11Uri::parse(text);
    return uri && (!uri->pinValue().isEmpty() || !uri->pinSource().isEmpty());
}

Result<Certificate> loadCertificate(const QString& text, const QString& configuredModule) {
    auto opened = open(text, configuredModule);
    if (!opened)
        return opened.error();
    return opened->engine->certificate(opened->uri.withType(QStringLiteral("cert")));
}

Result<KeyMaterial> loadPublic(const QString& text, const QString& configuredModule) {
    auto opened = open(text, configuredModule);
    if (!opened)
        return opened.error();
    KeyMaterial material;
    material.format = QStringLiteral("PKCS#11");
    const QString type = QString::fromUtf8(opened->uri.pathValue(QStringLiteral("type")));
    if (type != QStringLiteral("cert")) {
        auto key = opened->engine->publicKey(opened->uri.withType(QStringLiteral("public")));
        if (key)
            material.publicKey = *key;
        else if (!type.isEmpty())
            return key.error();
    }
    if (type.isEmpty() || type == QStringLiteral("cert")) {
        auto cert = opened->engine->certificate(opened->uri.withType(QStringLiteral("cert")));
        if (cert)
            material.certificates << *cert;
        else if (!type.isEmpty() || material.publicKey.isNull())
            return cert.error();
    }
    if (material.publicKey.isNull() && !material.certificates.isEmpty())
        material.publicKey = material.certificates.first().publicKey();
    ossl::clearErrors();
    return material;
}

} // namespace dcr::tokenkeys
