#include "ClientStatus.h"

#include <QCoreApplication>
#include <QJsonDocument>
#include <QJsonObject>

namespace dcr {

namespace {

struct ClientStatusTr {
    Q_DECLARE_TR_FUNCTIONS(ClientStatus)
};

QString when(const QDateTime& t) {
    return t.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

bool succeeded(int status) {
    return status >= 200 && status < 300;
}

// RFC 6749 §5.2: the token endpoint does not know or accept the client (unauthorized_client is a
// client it knows, refused one grant type: no evidence about the client itself).
bool refusesTheClient(const QString& tokenError) {
    return tokenError == QStringLiteral("invalid_client");
}

QString tokenError(const SubmissionRecord& row) {
    return QJsonDocument::fromJson(row.responseBody)
        .object()
        .value(QStringLiteral("error"))
        .toString();
}

bool bearerTokenRefused(const SubmissionRecord& row) {
    if (tokenError(row) == QStringLiteral("invalid_token"))
        return true;
    for (const auto& [name, value] : row.responseHeaders)
        if (name.compare("WWW-Authenticate", Qt::CaseInsensitive) == 0 &&
            value.contains("invalid_token"))
            return true;
    return false;
}

// What the bank said about the client in this row, and what that row was in the user's words.
std::pair<ClientStatus, QString> verdictOf(const SubmissionRecord& row) {
    const int status = row.responseStatus;
    if (isTokenRequestRow(row)) {
        if (succeeded(status))
            return {ClientStatus::Active, ClientStatusTr::tr("token issued, HTTP %1").arg(status)};
        const QString error = tokenError(row);
        const QString what =
            error.isEmpty()
                ? ClientStatusTr::tr("token refused, HTTP %1").arg(status)
                : ClientStatusTr::tr("token refused, HTTP %1, %2").arg(status).arg(error);
        return {refusesTheClient(error) ? ClientStatus::Refused : ClientStatus::Unknown, what};
    }
    const QString what =
        ClientStatusTr::tr("%1 answered HTTP %2").arg(QString::fromLatin1(row.method)).arg(status);
    if (succeeded(status))
        return {row.method == "DELETE" ? ClientStatus::Deleted : ClientStatus::Active, what};
    // RFC 6750 §3.1 invalid_token: the bearer token was refused (expired, revoked, mistyped),
    // which says nothing about whether the client itself still exists.
    if ((status == 401 || status == 403) && bearerTokenRefused(row))
        return {ClientStatus::Unknown,
                ClientStatusTr::tr("%1 (the access token was refused: invalid_token)").arg(what)};
    if (status == 401 || status == 403 || status == 404)
        return {ClientStatus::Refused, what};
    return {ClientStatus::Unknown, what};
}

} // namespace

QString clientStatusName(ClientStatus status) {
    switch (status) {
    case ClientStatus::Active:
        return QStringLiteral("active");
    case ClientStatus::Deleted:
        return QStringLiteral("deleted");
    case ClientStatus::Refused:
        return QStringLiteral("refused");
    case ClientStatus::Unknown:
        return QStringLiteral("unknown");
    }
    return QStringLiteral("unknown");
}

bool isTokenRequestRow(const SubmissionRecord& row) {
    return row.method == "POST" &&
           row.contentType.trimmed().toLower().startsWith("application/x-www-form-urlencoded");
}

std::optional<ClientEvidence> evidenceFrom(const SubmissionRecord& row,
                                           const std::optional<ClientEvidence>& before) {
    // No answer, no evidence: a failure of ours or of the network says nothing about the client.
    if (row.state != QStringLiteral("completed") || row.responseStatus == 0 ||
        !row.failureClass.isEmpty())
        return std::nullopt;
    auto [status, what] = verdictOf(row);
    ClientEvidence e;
    e.at = row.completed.isValid() ? row.completed : row.created;
    e.historyId = row.id;
    e.what = what;
    const bool wasDeleted = before && before->status == ClientStatus::Deleted;
    if (status == ClientStatus::Deleted) {
        e.deletedAt = e.at;
        e.deletedHistoryId = row.id;
    } else if (wasDeleted && status != ClientStatus::Active) {
        // Refused or unclear after a confirmed delete: still deleted, now checked again. Only
        // the bank answering for the client again (a 2xx) undoes a delete.
        status = ClientStatus::Deleted;
        e.deletedAt = before->deletedAt;
        e.deletedHistoryId = before->deletedHistoryId;
    }
    e.status = status;
    return e;
}

bool isStale(const ClientEvidence& evidence, const QDateTime& now) {
    // Whole 24-hour days, not calendar dates (daysTo counts midnights).
    return !evidence.at.isValid() ||
           evidence.at.secsTo(now) >= ClientStatusStaleAfterDays * 24 * 60 * 60;
}

QString describeClientStatus(const ClientEvidence& evidence, const QDateTime& now) {
    const QString name = clientStatusName(evidence.status);
    if (!evidence.at.isValid())
        return ClientStatusTr::tr("%1, never checked").arg(name);
    if (isStale(evidence, now))
        return ClientStatusTr::tr("%1, not checked since %2 (%3)")
            .arg(name, when(evidence.at), evidence.what);
    return ClientStatusTr::tr("%1 %2 (%3)").arg(name, when(evidence.at), evidence.what);
}

QString tokenRefusalReason(const std::optional<ClientEvidence>& before) {
    if (!before)
        return {};
    switch (before->status) {
    case ClientStatus::Deleted:
        return ClientStatusTr::tr(
                   "this client is deleted at the bank (the history shows its DELETE confirmed on "
                   "%1, history #%2); register a new client")
            .arg(when(before->deletedAt))
            .arg(before->deletedHistoryId);
    case ClientStatus::Refused:
        return ClientStatusTr::tr("the bank already refused this client on %1 (%2, history #%3)")
            .arg(when(before->at), before->what)
            .arg(before->historyId);
    case ClientStatus::Active:
    case ClientStatus::Unknown:
        break;
    }
    return {};
}

} // namespace dcr
