#include "RegisteredClient.h"

#include "jose/Jws.h"

#include <QJsonDocument>

namespace dcr {

namespace {

// The client metadata of an answer: a JSON body, or the payload of a signed (JWT) one.
QJsonObject answerObject(const SubmissionRecord& r) {
    const QByteArray body = r.responseBody.trimmed();
    if (body.startsWith('{'))
        return QJsonDocument::fromJson(body).object();
    if (auto jws = Jws::parse(body))
        return jws->claims();
    return {};
}

bool succeeded(const SubmissionRecord& r) {
    return r.responseStatus >= 200 && r.responseStatus < 300;
}

} // namespace

QJsonObject RegisteredClient::toJson() const {
    return QJsonObject{
        {QStringLiteral("profile"), profile},
        {QStringLiteral("client_id"), clientId},
        {QStringLiteral("registration_client_uri"), registrationClientUri.toString()},
        {QStringLiteral("token_endpoint_auth_method"), authMethod},
        {QStringLiteral("status"), clientStatusName(status)},
        {QStringLiteral("status_since"),
         evidence.at.isValid() ? evidence.at.toString(Qt::ISODate) : QString()},
        {QStringLiteral("status_evidence"), evidence.what},
        {QStringLiteral("status_history_id"), evidence.historyId},
        {QStringLiteral("status_stale"), isStale(evidence, QDateTime::currentDateTimeUtc())},
        {QStringLiteral("registered"), registered.toString(Qt::ISODate)},
        {QStringLiteral("last_checked"),
         lastChecked.isValid() ? lastChecked.toString(Qt::ISODate) : QString()},
        {QStringLiteral("registration_history_id"), registrationHistoryId},
        {QStringLiteral("last_history_id"), lastHistoryId},
        {QStringLiteral("has_registration_access_token"), hasRegistrationAccessToken}};
}

QList<RegisteredClient> deriveRegisteredClients(const QList<SubmissionRecord>& rows) {
    QList<RegisteredClient> clients;
    auto find = [&clients](const QString& profile, const QString& id) -> RegisteredClient* {
        for (auto& c : clients)
            if (c.profile == profile && c.clientId == id)
                return &c;
        return nullptr;
    };
    for (const SubmissionRecord& r : rows) {
        if (r.clientId.isEmpty() || r.state != QStringLiteral("completed"))
            continue;
        const QJsonObject answer = answerObject(r);
        RegisteredClient* c = find(r.profile, r.clientId);
        const bool tokenRequest = isTokenRequestRow(r);
        if (r.method == "POST" && !tokenRequest) {
            if (!succeeded(r))
                continue;
            if (!c) {
                clients.append(RegisteredClient{});
                c = &clients.last();
                c->profile = r.profile;
                c->clientId = r.clientId;
            }
            c->registered = r.created;
            c->registrationHistoryId = r.id;
            c->evidence = ClientEvidence{};
        } else if (!c) {
            continue; // a read, delete or token of a client registered elsewhere
        }
        const std::optional<ClientEvidence> before =
            c->evidence.historyId != 0 ? std::optional(c->evidence) : std::nullopt;
        if (auto learnt = evidenceFrom(r, before)) {
            c->evidence = *learnt;
            c->status = learnt->status;
        }
        if (r.method != "POST" || tokenRequest)
            c->lastChecked = r.completed.isValid() ? r.completed : r.created;
        c->lastHistoryId = r.id;
        if (tokenRequest)
            continue; // a token answer holds no client metadata
        const QString uri = answer.value(QStringLiteral("registration_client_uri")).toString();
        if (!uri.isEmpty())
            c->registrationClientUri = QUrl(uri);
        const QString method =
            answer.value(QStringLiteral("token_endpoint_auth_method")).toString();
        if (!method.isEmpty())
            c->authMethod = method;
        else if (c->authMethod.isEmpty())
            c->authMethod =
                r.requestClaims.value(QStringLiteral("token_endpoint_auth_method")).toString();
        if (!answer.value(QStringLiteral("registration_access_token")).toString().isEmpty())
            c->hasRegistrationAccessToken = !r.secretsForgotten && !r.secretsElsewhere;
    }
    return clients;
}

std::optional<ClientEvidence> newestClientEvidence(const QList<SubmissionRecord>& rows,
                                                   const QString& clientId, qint64 beforeRow) {
    QList<SubmissionRecord> before = rows;
    if (beforeRow != 0)
        before.removeIf([beforeRow](const SubmissionRecord& r) { return r.id == beforeRow; });
    for (const RegisteredClient& c : deriveRegisteredClients(before))
        if (c.clientId == clientId && c.evidence.historyId != 0)
            return c.evidence;
    return std::nullopt;
}

std::optional<QByteArray> newestRegistrationAccessToken(const QList<SubmissionRecord>& rows,
                                                        const QString& profile,
                                                        const QString& clientId) {
    for (auto it = rows.crbegin(); it != rows.crend(); ++it) {
        // A shared row whose secrets another machine holds has only a masked token here.
        if (it->profile != profile || it->clientId != clientId || it->secretsForgotten ||
            it->secretsElsewhere || !succeeded(*it) || isTokenRequestRow(*it))
            continue;
        const QString token =
            answerObject(*it).value(QStringLiteral("registration_access_token")).toString();
        if (!token.isEmpty())
            return token.toUtf8();
    }
    return std::nullopt;
}

} // namespace dcr
