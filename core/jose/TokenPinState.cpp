#include "TokenPinState.h"

#include "Pkcs11Module.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct TokenPinStateTr {
    Q_DECLARE_TR_FUNCTIONS(TokenPinState)
};

using pkcs11::fixedText;

// The URI's token attributes (RFC 7512 section 2.3) against what C_GetTokenInfo reports; an
// attribute the URI leaves out matches anything.
bool tokenMatches(const Pkcs11Uri& uri, CK_SLOT_ID slot, const CK_TOKEN_INFO& info) {
    const auto same = [&](const char* name, const unsigned char* field, size_t size) {
        const QString attribute = QString::fromLatin1(name);
        return !uri.hasPath(attribute) ||
               uri.pathValue(attribute) == fixedText(field, size).toUtf8();
    };
    if (uri.hasPath(QStringLiteral("slot-id")) &&
        uri.pathValue(QStringLiteral("slot-id")) != QByteArray::number(qulonglong(slot)))
        return false;
    return same("token", info.label, sizeof info.label) &&
           same("manufacturer", info.manufacturerID, sizeof info.manufacturerID) &&
           same("serial", info.serialNumber, sizeof info.serialNumber) &&
           same("model", info.model, sizeof info.model);
}

// Whether this process already holds a user session with the token. PKCS#11 login state is per
// application and token, so a session of our own sees the login OpenSSL's engine made.
bool hasUserSession(CK_FUNCTION_LIST_PTR f, CK_SLOT_ID slot) {
    CK_SESSION_HANDLE session = 0;
    if (f->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &session) != CKR_OK)
        return false;
    CK_SESSION_INFO info{};
    const bool user = f->C_GetSessionInfo(session, &info) == CKR_OK &&
                      (info.state == CKS_RO_USER_FUNCTIONS || info.state == CKS_RW_USER_FUNCTIONS);
    // Never the last session while logged in (the engine keeps its own), so closing it does not
    // log the token out.
    f->C_CloseSession(session);
    return user;
}

} // namespace

Result<TokenPinState> TokenPinState::read(const QString& modulePath, const Pkcs11Uri& uri) {
    auto functions = pkcs11::openModule(modulePath);
    if (!functions)
        return Error{functions.error().kind,
                     QStringLiteral("%1: %2").arg(uri.displayString(), functions.error().message)};
    CK_FUNCTION_LIST_PTR f = *functions;
    auto slotIds = pkcs11::slotsWithToken(f, modulePath);
    if (!slotIds)
        return Error{slotIds.error().kind,
                     QStringLiteral("%1: %2").arg(uri.displayString(), slotIds.error().message)};
    TokenPinState state;
    int matched = 0;
    for (CK_SLOT_ID slot : *slotIds) {
        CK_TOKEN_INFO info{};
        if (f->C_GetTokenInfo(slot, &info) != CKR_OK || !tokenMatches(uri, slot, info))
            continue;
        const bool first = matched++ == 0;
        const bool needsLogin = (info.flags & CKF_LOGIN_REQUIRED) != 0;
        const bool isLoggedIn = needsLogin && hasUserSession(f, slot);
        const bool isLocked = (info.flags & CKF_USER_PIN_LOCKED) != 0;
        state.token = first ? fixedText(info.label, sizeof info.label) : state.token;
        state.loginRequired = first ? needsLogin : (state.loginRequired || needsLogin);
        state.loggedIn = first ? isLoggedIn : (state.loggedIn && isLoggedIn);
        state.locked = first ? isLocked : (state.locked && isLocked);
        state.finalTry = state.finalTry || (info.flags & CKF_USER_PIN_FINAL_TRY) != 0;
        state.countLow = state.countLow || (info.flags & CKF_USER_PIN_COUNT_LOW) != 0;
    }
    if (matched == 0)
        return Error{
            ErrorKind::TokenObjectNotFound,
            TokenPinStateTr::tr("%1: no token in module %2 matches this URI (is it plugged "
                                "in? list them with: dcrctl keys 'pkcs11:')")
                .arg(uri.displayString(), modulePath)};
    state.ambiguous = matched > 1;
    return state;
}

QString TokenPinState::triesText() const {
    if (locked)
        return TokenPinStateTr::tr("the token's user PIN is locked (CKF_USER_PIN_LOCKED)");
    if (finalTry)
        return TokenPinStateTr::tr("the token locks after one more wrong PIN "
                                   "(CKF_USER_PIN_FINAL_TRY)");
    if (countLow)
        return TokenPinStateTr::tr("a wrong PIN was entered recently (CKF_USER_PIN_COUNT_LOW)");
    return {};
}

Error TokenPinState::lockedError(const QString& uriDisplay, const QString& how) {
    return Error{ErrorKind::TokenPinLocked,
                 TokenPinStateTr::tr("%1: the token's user PIN is locked (%2) after too many wrong "
                                     "PINs; the token's security officer must unlock it (e.g. "
                                     "softhsm2-util/pkcs11-tool --init-pin)")
                     .arg(uriDisplay, how)};
}

} // namespace dcr
