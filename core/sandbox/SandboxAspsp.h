#pragma once

#include "SandboxKit.h"
#include "SandboxTokens.h"
#include "registration/RegistrationOutcome.h"
#include "registration/SandboxMode.h"

#include <QHash>
#include <QUrl>

#include <algorithm>
#include <functional>
#include <optional>

namespace dcr {

// How the OBIE mode authorises GET/PUT/DELETE /register/{ClientId}: OBIE DCR 3.3 with a
// client_credentials access token from /token (default), or RFC 7592 with the
// registration_access_token returned at registration.
enum class SandboxLifecycleAuth { AccessToken, RegistrationAccessToken };

struct SandboxRequest {
    QByteArray method;
    QString path;
    HeaderList headers;
    QByteArray body;
    Certificate clientCertificate; // null when the client presented none, or one refused
    // Why the certificate the client presented was not accepted (its chain does not verify
    // against the kit's CA, it has expired, ...); empty when none was presented or it verified.
    QString clientCertificateRefused;
};

struct SandboxResponse {
    SandboxResponse() = default;
    SandboxResponse(int status_, QByteArray contentType_, QByteArray body_)
        : status(status_)
        , contentType(std::move(contentType_))
        , body(std::move(body_)) {}
    int status = 200;
    QByteArray contentType = "application/json";
    QByteArray body;
    QByteArray wwwAuthenticate; // RFC 6750 §3 challenge on a 401
};

// The local ASPSP's behaviour, independent of sockets: the seed contract in Seed mode, OBIE DCR
// 3.3 in Obie mode, Open Finance Brasil DCR/DCM in Ofb mode (SandboxOfbAnswers) and Australia's
// CDR in Cdr mode (SandboxCdrAnswers). It verifies the request signature against the TPP's JWKS and
// the SSA against the directory key, then applies the same preflight rules the console runs.
class SandboxAspsp {
public:
    using Clock = std::function<QDateTime()>;
    SandboxAspsp(SandboxKit kit, SandboxMode mode, Clock clock = &QDateTime::currentDateTimeUtc);

    void setBaseUrl(const QUrl& url) { m_baseUrl = url; }
    QUrl baseUrl() const { return m_baseUrl; }
    SandboxMode mode() const { return m_mode; }
    const SandboxKit& kit() const { return m_kit; }
    static QString seedRegisterPath() {
        return QStringLiteral("/api/open-banking/v3.1/tpp/register");
    }
    QString registrationPath() const;

    void setLifecycleAuth(SandboxLifecycleAuth auth) { m_lifecycleAuth = auth; }
    SandboxLifecycleAuth lifecycleAuth() const { return m_lifecycleAuth; }
    QUrl tokenEndpoint() const;
    QString issuer() const; // the base URL with path "/", as discovery names it

    // A deliberately careless ASPSP for proving that a test plan can fail: every registration and
    // update is accepted (200 in seed mode, 201 otherwise) without any check, replays included;
    // in the CDR mode any bearer manages any client; in every mode DELETE answers 204 and keeps
    // the client (so read-after-delete fails against it).
    void setLax(bool lax) { m_lax = lax; }
    bool lax() const { return m_lax; }

    // Discovery and the JWKS are public, as at a bank: a client fetches them before it has any
    // identity there (the UK conformance tool reads discovery anonymously). Registration, token
    // and client paths need a verified client certificate; with mutual TLS everywhere, every
    // path does (SandboxServer then refuses a TLS client without one during the handshake).
    void setMtlsEverywhere(bool everywhere) { m_mtlsEverywhere = everywhere; }
    bool mtlsEverywhere() const { return m_mtlsEverywhere; }
    bool needsClientCertificate(const QByteArray& method, const QString& path) const;

    SandboxResponse handle(const SandboxRequest& request);
    int registrationCount() const { return m_registrations; }

    // #26: the most clients held at once (about 4 KB each); registering one more drops the
    // oldest (see makeRoomForAClient). What is held now, for tests and the bound.
    static constexpr int DefaultMaxClients = 1000;
    void setMaxClients(int count) { m_maxClients = std::max(1, count); }
    int maxClients() const { return m_maxClients; }
    int heldClients() const { return static_cast<int>(m_clients.size()); }
    int droppedClients() const { return m_droppedClients; }
    const SandboxTokens& tokens() const { return m_tokens; }

private:
    struct Client {
        QJsonObject metadata; // the request's claims and the SSA's, replaced by an update
        // What the server issued (client_id_issued_at, client_secret, client_secret_expires_at):
        // an update keeps it (RFC 7592 §2.2 lets a client neither set nor replace its secret).
        QJsonObject issued;
        QString accessToken;
    };
    struct Rejection {
        QString seedClass; // Related Errors class
        QString rfcError;  // RFC 7591 error code
        QString text;
        int status = 400; // outside the seed mode (whose class decides it)
    };

    std::optional<Rejection> validate(const SandboxRequest& request, QJsonObject* claimsOut) const;
    std::optional<Rejection> validateSeedOrObie(const SandboxRequest& request,
                                                QJsonObject* claimsOut) const;
    std::optional<Rejection> duplicateRegistration(const QJsonObject& claims) const;
    // Open Finance Brasil always, OBIE when told: RFC 7592's registration_access_token.
    bool usesRegistrationAccessToken() const;
    SandboxResponse reject(const Rejection& r) const;
    SandboxResponse registerClient(const SandboxRequest& request);
    SandboxResponse clientOperation(const SandboxRequest& request, const QString& clientId);
    SandboxResponse token(const SandboxRequest& request);
    std::optional<QString> authenticateClient(const SandboxRequest& request,
                                              const QHash<QString, QString>& form, QString* why);
    bool authorised(const SandboxRequest& request, const QString& clientId) const;
    SandboxResponse discovery() const;
    SandboxResponse notFound(const QString& path) const;
    SandboxResponse clientCertificateRequired(const SandboxRequest& request) const;
    QJsonObject clientJson(const QString& clientId, const Client& client) const;
    SandboxResponse updateClient(const SandboxRequest& request, const QString& clientId,
                                 Client& client);
    void makeRoomForAClient();
    // Said with every "unknown client" answer once a client was dropped: empty until then.
    QString droppedClientsNote() const;
    std::optional<Rejection> checkUpdateIdentity(const QJsonObject& claims, const QString& clientId,
                                                 const Client& client) const;

    SandboxKit m_kit;
    SandboxMode m_mode;
    Clock m_clock;
    QUrl m_baseUrl;
    QHash<QString, Client> m_clients;
    QStringList m_clientOrder; // the held clients' ids, oldest first
    int m_droppedClients = 0;
    int m_maxClients = DefaultMaxClients;
    SandboxTokens m_tokens;
    SandboxLifecycleAuth m_lifecycleAuth = SandboxLifecycleAuth::AccessToken;
    int m_registrations = 0;
    bool m_lax = false;
    bool m_mtlsEverywhere = false;
};

} // namespace dcr
