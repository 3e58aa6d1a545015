// OpenSSL 3 deprecates the ENGINE API in favour of providers, but Debian 12 packages no PKCS#11
// provider: libengine-pkcs11-openssl is the packaged way to reach a token through OpenSSL. The
// deprecation warnings are silenced for this one file only, so -Werror still guards the rest.
#if defined(__GNUC__)
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif

#include "Pkcs11Engine.h"

#include "OpenSsl.h"
#include "TokenPinState.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QStringList>

#include <openssl/crypto.h>
#include <openssl/engine.h>
#include <openssl/err.h>
#include <openssl/ui.h>

#include <optional>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct Pkcs11EngineTr {
    Q_DECLARE_TR_FUNCTIONS(Pkcs11Engine)
};

// PKCS#11 return values (PKCS#11 v2.40 section 11.1) that libp11 puts in the error queue as the
// reason of its "PKCS#11 module" errors.
constexpr int kCkrPinIncorrect = 0xA0;
constexpr int kCkrPinInvalid = 0xA1;
constexpr int kCkrPinLenRange = 0xA2;
constexpr int kCkrPinExpired = 0xA3;
constexpr int kCkrPinLocked = 0xA4;
constexpr int kCkrTokenNotPresent = 0xE0;
constexpr int kCkrTokenNotRecognized = 0xE1;

struct QueuedError {
    QString library;
    int reason = 0;
    QString text;
};

QList<QueuedError> drainErrors() {
    QList<QueuedError> out;
    unsigned long code = 0;
    while ((code = ERR_get_error()) != 0) {
        const char* lib = ERR_lib_error_string(code);
        const char* reason = ERR_reason_error_string(code);
        out << QueuedError{lib ? QString::fromLatin1(lib) : QString(), ERR_GET_REASON(code),
                           reason ? QString::fromLatin1(reason) : QString()};
    }
    return out;
}

// A UI that never asks: libp11 falls back to OpenSSL's console UI when it has no PIN, which would
// block a scripted dcrctl on a terminal prompt. The PIN always comes from our PassphraseSource.
UI_METHOD* silentUi() {
    static UI_METHOD* method = [] {
        UI_METHOD* m = UI_create_method("dcr-no-prompt");
        UI_method_set_reader(m, [](UI*, UI_STRING*) { return 0; });
        return m;
    }();
    return method;
}

struct LoadCertParams {
    const char* uri;
    X509* cert;
};

// OpenSSL's engines folder ("ENGINESDIR: \"/usr/lib/x86_64-linux-gnu/engines-3\"").
QByteArray enginesDir() {
    const QByteArray fromEnv = qgetenv("OPENSSL_ENGINES");
    if (!fromEnv.isEmpty())
        return fromEnv;
    const QByteArray text = OpenSSL_version(OPENSSL_ENGINES_DIR);
    const qsizetype open = text.indexOf('"');
    const qsizetype close = text.lastIndexOf('"');
    return open >= 0 && close > open ? text.mid(open + 1, close - open - 1) : QByteArray();
}

// A pkcs11 engine instance of our own. ENGINE_by_id("pkcs11") would hand every caller the one
// engine in OpenSSL's global list, and libp11 binds an engine to the first module it loads; kept
// out of the list, each module gets its own engine and libp11 context.
ENGINE* loadPrivateEngine() {
    ENGINE* engine = ENGINE_by_id("dynamic");
    if (!engine)
        return nullptr;
    const QByteArray path = enginesDir() + "/pkcs11.so";
    if (ENGINE_ctrl_cmd_string(engine, "SO_PATH", path.constData(), 0) != 1 ||
        ENGINE_ctrl_cmd_string(engine, "ID", "pkcs11", 0) != 1 ||
        ENGINE_ctrl_cmd_string(engine, "LIST_ADD", "0", 0) != 1 ||
        ENGINE_ctrl_cmd_string(engine, "LOAD", nullptr, 0) != 1) {
        ENGINE_free(engine);
        return nullptr;
    }
    return engine;
}

} // namespace

QString Pkcs11Engine::defaultModulePath() {
    for (const char* candidate :
         {"/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so",
          "/usr/lib/aarch64-linux-gnu/p11-kit-proxy.so", "/usr/lib/p11-kit-proxy.so"})
        if (QFileInfo::exists(QString::fromLatin1(candidate)))
            return QString::fromLatin1(candidate);
    return QStringLiteral("/usr/lib/x86_64-linux-gnu/p11-kit-proxy.so");
}

QString Pkcs11Engine::modulePathFor(const Pkcs11Uri& uri, const QString& configured) {
    if (!uri.modulePath().isEmpty())
        return uri.modulePath();
    if (!configured.isEmpty())
        return configured;
    const QString fromEnv = qEnvironmentVariable("DCR_PKCS11_MODULE");
    return fromEnv.isEmpty() ? defaultModulePath() : fromEnv;
}

Result<std::shared_ptr<Pkcs11Engine>> Pkcs11Engine::forModule(const QString& modulePath) {
    static std::mutex registryMutex;
    // Deliberately never destroyed: finishing the engine unloads the module under keys that may
    // still be in use, and at exit OpenSSL tears engines down itself. One engine per process:
    // libp11's engine cannot be bound a second time in the same process, so the first module
    // used is the module of the process.
    static auto* loaded = new std::shared_ptr<Pkcs11Engine>;
    std::lock_guard lock(registryMutex);
    if (!QFileInfo(modulePath).isFile())
        return Error{
            ErrorKind::TokenModuleMissing,
            Pkcs11EngineTr::tr("PKCS#11 module %1 does not exist; install it or point "
                               "DCR_PKCS11_MODULE (or the profile's PKCS#11 module, or the "
                               "URI's module-path) at the right .so")
                .arg(modulePath)};
    if (*loaded) {
        if (QFileInfo((*loaded)->m_modulePath).canonicalFilePath() ==
            QFileInfo(modulePath).canonicalFilePath())
            return *loaded;
        return Error{
            ErrorKind::TokenModuleMissing,
            Pkcs11EngineTr::tr("PKCS#11 module %1 cannot be loaded next to %2, which this "
                               "process already uses (OpenSSL's pkcs11 engine holds one "
                               "module per process); reach several tokens through the p11-kit "
                               "proxy (the default module) or restart with one module")
                .arg(modulePath, (*loaded)->m_modulePath)};
    }
    ossl::clearErrors();
    ENGINE* engine = loadPrivateEngine();
    if (!engine)
        return Error{ErrorKind::TokenModuleMissing,
                     Pkcs11EngineTr::tr("OpenSSL's pkcs11 engine is not installed (Debian package "
                                        "libengine-pkcs11-openssl): %1")
                         .arg(ossl::takeErrors())};
    const QByteArray path = modulePath.toUtf8();
    if (ENGINE_ctrl_cmd_string(engine, "MODULE_PATH", path.constData(), 0) != 1 ||
        ENGINE_init(engine) != 1) {
        const QString detail = ossl::takeErrors();
        ENGINE_free(engine);
        return Error{ErrorKind::TokenModuleMissing,
                     Pkcs11EngineTr::tr("the pkcs11 engine could not start with module %1: %2")
                         .arg(modulePath, detail)};
    }
    // libp11 prints its own diagnostics to stderr unless told not to; ours carry the same facts.
    ENGINE_ctrl_cmd(engine, "QUIET", 0, nullptr, nullptr, 0);
    ossl::clearErrors();
    std::shared_ptr<Pkcs11Engine> created(new Pkcs11Engine(engine, modulePath));
    created->m_self = created;
    *loaded = created;
    return created;
}

Pkcs11Engine::Pkcs11Engine(ENGINE* engine, const QString& modulePath)
    : m_engine(engine)
    , m_modulePath(modulePath) {}

Pkcs11Engine::~Pkcs11Engine() {
    ENGINE_finish(m_engine);
    ENGINE_free(m_engine);
}

Error Pkcs11Engine::failure(const Pkcs11Uri& uri, const QString& what) const {
    const QList<QueuedError> errors = drainErrors();
    QStringList texts;
    for (const auto& e : errors)
        texts << e.text;
    const QString detail = texts.join(QStringLiteral("; "));
    const QString name = uri.displayString();
    for (const auto& e : errors) {
        const bool fromModule = e.library == QStringLiteral("PKCS#11 module");
        if (fromModule && e.reason == kCkrPinLocked)
            return TokenPinState::lockedError(name, QStringLiteral("CKR_PIN_LOCKED"));
        if (fromModule && (e.reason == kCkrPinIncorrect || e.reason == kCkrPinInvalid ||
                           e.reason == kCkrPinLenRange || e.reason == kCkrPinExpired))
            return Error{
                ErrorKind::KeyWrongPassphrase,
                Pkcs11EngineTr::tr("%1: the token refused the PIN (%2)").arg(name, e.text)};
        if (fromModule && (e.reason == kCkrTokenNotPresent || e.reason == kCkrTokenNotRecognized))
            return Error{ErrorKind::TokenObjectNotFound,
                         Pkcs11EngineTr::tr("%1: the token is not present (%2)").arg(name, e.text)};
        if (e.text.contains(QStringLiteral("Unable to load PKCS#11 module")))
            return Error{ErrorKind::TokenModuleMissing,
                         Pkcs11EngineTr::tr("%1: PKCS#11 module %2 could not be loaded (not a "
                                            "PKCS#11 library?)")
                             .arg(name, m_modulePath)};
    }
    return Error{
        ErrorKind::TokenObjectNotFound,
        Pkcs11EngineTr::tr("%1: no %2 matches this URI in the tokens of module %3 (list them "
                           "with: dcrctl keys 'pkcs11:token=...')%4")
            .arg(name, what, m_modulePath,
                 detail.isEmpty() ? QString() : QStringLiteral(" [%1]").arg(detail))};
}

Result<Key> Pkcs11Engine::privateKey(const Pkcs11Uri& uri, const QByteArray& pin) {
    std::lock_guard lock(m_mutex);
    ossl::clearErrors();
    const QByteArray engineUri = uri.engineUri(QStringLiteral("private")).toUtf8();
    // The engine keeps its own copy of the PIN for login; it is replaced again below so nothing
    // outlives this call but the token's login state.
    if (!pin.isEmpty()) {
        const QByteArray terminated = pin + '\0';
        ENGINE_ctrl_cmd_string(m_engine, "PIN", terminated.constData(), 0);
    }
    EVP_PKEY* pkey = ENGINE_load_private_key(m_engine, engineUri.constData(), silentUi(), nullptr);
    std::optional<Error> failed;
    if (!pkey)
        failed = failure(uri, Pkcs11EngineTr::tr("private key"));
    // libp11 keeps its copy until replaced (it cannot be unset): replacing it with an empty one
    // makes libp11 whiten and free the real PIN.
    ENGINE_ctrl_cmd_string(m_engine, "PIN", "", 0);
    ossl::clearErrors();
    if (failed)
        return *failed;
    return Key::adoptTokenKey(pkey, uri.displayString(), m_self.lock());
}

Result<Key> Pkcs11Engine::publicKey(const Pkcs11Uri& uri) {
    std::lock_guard lock(m_mutex);
    ossl::clearErrors();
    const QByteArray engineUri = uri.engineUri(QStringLiteral("public")).toUtf8();
    EVP_PKEY* pkey = ENGINE_load_public_key(m_engine, engineUri.constData(), silentUi(), nullptr);
    if (!pkey)
        return failure(uri, Pkcs11EngineTr::tr("public key"));
    ossl::clearErrors();
    // A public key needs nothing from the token afterwards: copy it out of the engine's hands.
    Key loaded = Key::adopt(pkey);
    return loaded.publicKey();
}

Result<Certificate> Pkcs11Engine::certificate(const Pkcs11Uri& uri) {
    std::lock_guard lock(m_mutex);
    ossl::clearErrors();
    const QByteArray engineUri = uri.engineUri(QStringLiteral("cert")).toUtf8();
    LoadCertParams params{engineUri.constData(), nullptr};
    if (ENGINE_ctrl_cmd(m_engine, "LOAD_CERT_CTRL", 0, &params, nullptr, 1) != 1 || !params.cert)
        return failure(uri, Pkcs11EngineTr::tr("certificate"));
    ossl::clearErrors();
    return Certificate::adopt(params.cert);
}

} // namespace dcr
