#include "LostRegistrations.h"

#include "ClientStatus.h"
#include "history/HistoryStore.h"

#include <QCoreApplication>
#include <QSet>
#include <QUrl>

#include <algorithm>
#include <optional>

namespace dcr {

namespace {

struct LostRegistrationsTr {
    Q_DECLARE_TR_FUNCTIONS(LostRegistrations)
};

// Failure classes (failureClassName) that may come after the request left: the bank may have
// read it and acted on it. DNS, connection-refused, tls, tls-refused and origin-refused end
// before a byte of it is sent; oversize means an answer came.
bool mayHaveLeft(const QString& failureClass) {
    static const QSet<QString> classes{QStringLiteral("timeout"), QStringLiteral("cancelled"),
                                       QStringLiteral("reset"), QStringLiteral("network")};
    return classes.contains(failureClass);
}

bool isRegistrationPost(const SubmissionRecord& row) {
    // A registration names no client before the answer does; a PUT or a token request is no
    // registration.
    return row.method == "POST" && !isTokenRequestRow(row) && !row.softwareId.isEmpty();
}

bool inScope(const SubmissionRecord& row, const LostRegistrationScope& scope) {
    return (scope.profile.isEmpty() || row.profile == scope.profile) &&
           (scope.softwareId.isEmpty() || row.softwareId == scope.softwareId) &&
           (scope.url.isEmpty() || sameRegistrationEndpoint(row.url, scope.url));
}

bool isLater(const SubmissionRecord& later, const SubmissionRecord& earlier) {
    return later.created > earlier.created ||
           (later.created == earlier.created && later.id > earlier.id);
}

LostRegistration lostFrom(const SubmissionRecord& row) {
    LostRegistration lost;
    lost.historyId = row.id;
    lost.at = row.created;
    lost.url = row.url;
    lost.softwareId = row.softwareId;
    lost.profile = row.profile;
    const bool interrupted = row.state == QStringLiteral("interrupted");
    lost.failureClass = interrupted ? QStringLiteral("interrupted") : row.failureClass;
    lost.why = row.failureMessage.isEmpty() ? lost.failureClass : row.failureMessage;
    return lost;
}

// "10:02" today, "2026-12-01 10:02" another day: the words the user reads in the history.
QString whenSent(const QDateTime& at) {
    const QDateTime local = at.toLocalTime();
    return local.date() == QDate::currentDate()
               ? local.toString(QStringLiteral("HH:mm"))
               : local.toString(QStringLiteral("yyyy-MM-dd HH:mm"));
}

// Every row of a query, page after page (summary columns).
Status forEachRow(HistoryStore& store, const HistoryQuery& query,
                  const std::function<Status(const SubmissionRecord&)>& visit) {
    std::optional<HistoryCursor> after;
    do {
        auto page = store.page(query, after, 200);
        if (!page)
            return page.error();
        for (const SubmissionRecord& row : page->rows)
            if (auto ok = visit(row); !ok)
                return ok;
        after = page->next;
    } while (after);
    return {};
}

// The lost attempts in scope, read in full (a summary row has no TLS summary).
Result<QList<SubmissionRecord>> lostCandidates(HistoryStore& store,
                                               const LostRegistrationScope& scope) {
    QList<SubmissionRecord> found;
    for (const QString& outcome : {QStringLiteral("transport"), QStringLiteral("interrupted")}) {
        HistoryQuery query;
        query.outcome = outcome;
        query.profile = scope.profile;
        query.softwareId = scope.softwareId;
        query.method = "POST";
        auto ok = forEachRow(store, query, [&](const SubmissionRecord& row) -> Status {
            if (!inScope(row, scope) || !isLostRegistrationRow(row))
                return {};
            auto full = store.get(row.id);
            if (!full)
                return full.error();
            if (isLostRegistrationRow(*full))
                found << *full;
            return {};
        });
        if (!ok)
            return ok.error();
    }
    return found;
}

} // namespace

QJsonObject LostRegistration::toJson() const {
    return QJsonObject{{QStringLiteral("status"), QStringLiteral("answer lost")},
                       {QStringLiteral("history_id"), historyId},
                       {QStringLiteral("sent"), at.toString(Qt::ISODate)},
                       {QStringLiteral("url"), url},
                       {QStringLiteral("software_id"), softwareId},
                       {QStringLiteral("profile"), profile},
                       {QStringLiteral("failure_class"), failureClass},
                       {QStringLiteral("why"), why},
                       {QStringLiteral("advice"), lostRegistrationAdvice(*this)}};
}

bool isLostRegistrationRow(const SubmissionRecord& row) {
    if (!isRegistrationPost(row) || !row.clientId.isEmpty())
        return false;
    // Killed while it waited: whether the request left is unknown, so it may have.
    if (row.state == QStringLiteral("interrupted"))
        return true;
    if (row.state != QStringLiteral("completed") || row.outcome != QStringLiteral("transport") ||
        !mayHaveLeft(row.failureClass))
        return false;
    // Over https the request is written once the TLS session stands; a full row without one
    // failed before that. A summary row has no TLS summary to tell.
    const bool https = QUrl(row.url).scheme() == QStringLiteral("https");
    const bool fullRow = !row.requestJwt.isEmpty();
    return !(https && fullRow && row.tlsSummary.isEmpty());
}

bool isAnsweredRegistration(const SubmissionRecord& row) {
    return isRegistrationPost(row) && row.state == QStringLiteral("completed") &&
           row.failureClass.isEmpty() && row.responseStatus >= 200 && row.responseStatus < 300;
}

namespace {

// The endpoint a registration URL names, or nullopt when it names none (not a valid URL, no
// scheme or host). Scheme and host compare without case, the default port as absent, an empty
// path as "/" and a trailing slash aside; the query is kept (?tenant=a and ?tenant=b are two
// endpoints).
std::optional<QString> endpointOf(const QString& url) {
    const QUrl u(url.trimmed(), QUrl::StrictMode);
    if (!u.isValid() || u.scheme().isEmpty() || u.host().isEmpty())
        return std::nullopt;
    const QString scheme = u.scheme().toLower();
    const int defaultPort = scheme == QStringLiteral("https") ? 443 : 80;
    QString path = u.adjusted(QUrl::StripTrailingSlash).path(QUrl::FullyEncoded);
    if (path.isEmpty())
        path = QStringLiteral("/");
    QString endpoint = QStringLiteral("%1://%2:%3%4")
                           .arg(scheme, u.host().toLower())
                           .arg(u.port(defaultPort))
                           .arg(path);
    if (u.hasQuery())
        endpoint += u'?' + u.query(QUrl::FullyEncoded);
    return endpoint;
}

} // namespace

bool sameRegistrationEndpoint(const QString& a, const QString& b) {
    const auto endpointA = endpointOf(a);
    return endpointA && endpointA == endpointOf(b);
}

QList<LostRegistration> findLostRegistrations(const QList<SubmissionRecord>& rows,
                                              const LostRegistrationScope& scope) {
    QList<SubmissionRecord> candidates;
    for (const SubmissionRecord& row : rows)
        if (inScope(row, scope) && isLostRegistrationRow(row))
            candidates << row;
    std::sort(candidates.begin(), candidates.end(),
              [](const SubmissionRecord& a, const SubmissionRecord& b) { return isLater(b, a); });
    QList<LostRegistration> out;
    QSet<qint64> seen;
    for (const SubmissionRecord& lost : candidates) {
        if (seen.contains(lost.id))
            continue;
        seen.insert(lost.id);
        const bool answeredSince =
            std::any_of(rows.cbegin(), rows.cend(), [&lost](const SubmissionRecord& r) {
                return isAnsweredRegistration(r) && r.softwareId == lost.softwareId &&
                       sameRegistrationEndpoint(r.url, lost.url) && isLater(r, lost);
            });
        if (!answeredSince)
            out << lostFrom(lost);
    }
    return out;
}

Result<QList<SubmissionRecord>> lostRegistrationRows(HistoryStore& store,
                                                     const LostRegistrationScope& scope) {
    auto rows = lostCandidates(store, scope);
    if (!rows || rows->isEmpty())
        return rows;
    QDateTime oldest = rows->first().created;
    for (const SubmissionRecord& row : *rows)
        oldest = std::min(oldest, row.created);
    // An answered registration before the oldest lost attempt cannot follow any of them.
    for (const QString& outcome : {QStringLiteral("registered"), QStringLiteral("accepted")}) {
        HistoryQuery query;
        query.outcome = outcome;
        query.from = oldest;
        query.softwareId = scope.softwareId;
        query.method = "POST";
        // An answer in any profile settles the attempt: the bank knows the software_id and the
        // endpoint, not the profile (one rule for the Send check and the Clients views).
        const LostRegistrationScope anyProfile{{}, scope.softwareId, scope.url};
        auto ok = forEachRow(store, query, [&](const SubmissionRecord& row) -> Status {
            if (inScope(row, anyProfile) && isAnsweredRegistration(row))
                rows.value() << row;
            return {};
        });
        if (!ok)
            return ok.error();
    }
    return rows;
}

Result<QList<SubmissionRecord>> clientsViewRows(HistoryStore& store, const QString& profile) {
    auto rows = store.clientRecords(profile);
    if (!rows)
        return rows;
    const LostRegistrationScope scope{profile, {}, {}};
    auto lostRows = lostRegistrationRows(store, scope);
    if (!lostRows)
        return lostRows.error();
    // Only the attempts still lost: the answers that settled them may be another profile's,
    // which are no rows of this profile's clients.
    QSet<qint64> ids;
    for (const SubmissionRecord& row : *rows)
        ids.insert(row.id);
    QSet<qint64> stillLost;
    for (const LostRegistration& lost : findLostRegistrations(*lostRows, scope))
        stillLost.insert(lost.historyId);
    for (const SubmissionRecord& row : *lostRows)
        if (stillLost.contains(row.id) && !ids.contains(row.id))
            rows.value() << row;
    return rows;
}

Result<QList<LostRegistration>> readLostRegistrations(HistoryStore& store,
                                                      const LostRegistrationScope& scope) {
    auto rows = lostRegistrationRows(store, scope);
    if (!rows)
        return rows.error();
    return findLostRegistrations(*rows, scope);
}

std::optional<LostRegistrationScope> lostRegistrationScope(const SubmissionPlan& plan) {
    if (plan.operation != RegistrationOperation::Register || plan.method != "POST" || plan.refusal)
        return std::nullopt;
    const QString softwareId = plan.historyStart().softwareId;
    if (softwareId.isEmpty())
        return std::nullopt;
    return LostRegistrationScope{{}, softwareId, plan.url.toString()};
}

Result<QList<LostRegistration>> lostRegistrationsBefore(HistoryStore& store,
                                                        const SubmissionPlan& plan) {
    if (store.serverUnreachable())
        return Error{ErrorKind::StorageUnavailable,
                     LostRegistrationsTr::tr("the shared history is not connected (%1)")
                         .arg(store.connectionProblem())};
    const auto scope = lostRegistrationScope(plan);
    return scope ? readLostRegistrations(store, *scope) : QList<LostRegistration>{};
}

void linkAlreadyRegistered(RegistrationOutcome& outcome, HistoryStore& store,
                           const SubmissionPlan& plan) {
    if (!outcome.alreadyRegistered)
        return;
    const auto scope = lostRegistrationScope(plan);
    if (!scope)
        return;
    auto lost = readLostRegistrations(store, *scope);
    if (!lost || lost->isEmpty())
        return;
    outcome.likelyFix += u' ' + alreadyRegisteredLink(*lost);
}

QString lostRegistrationWarning(const LostRegistration& lost, const QString& sendingProfile) {
    QString text =
        LostRegistrationsTr::tr(
            "an earlier registration of software_id %1 at %2 got no answer (%3); the bank may "
            "hold a client for it — see history #%4 (dcrctl history show %4).")
            .arg(lost.softwareId, whenSent(lost.at), lost.failureClass)
            .arg(lost.historyId);
    if (!lost.profile.isEmpty() && lost.profile != sendingProfile)
        text +=
            u' ' + LostRegistrationsTr::tr("It was sent with profile \"%1\".").arg(lost.profile);
    return text;
}

QString lostRegistrationAdvice(const LostRegistration& lost) {
    return LostRegistrationsTr::tr(
               "If the bank's answer becomes known, read the client by its client_id (dcrctl "
               "client get --client-id ID, or Get in the Clients view); or ask the bank whether "
               "it holds a client for software_id %1 registered at %2; or register again "
               "deliberately (dcrctl submit --register-again, or Register again in the console).")
        .arg(lost.softwareId, lost.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")));
}

QString describeLostRegistration(const LostRegistration& lost) {
    return LostRegistrationsTr::tr(
               "answer lost: registration of %1 at %2 got no answer (%3), history #%4")
        .arg(lost.softwareId, lost.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
             lost.failureClass)
        .arg(lost.historyId);
}

QString alreadyRegisteredLink(const QList<LostRegistration>& lost) {
    if (lost.isEmpty())
        return {};
    const LostRegistration& newest = lost.last();
    return LostRegistrationsTr::tr(
               "The bank may have created a client on history #%1 (a registration of %2 at %3 "
               "that got no answer, %4): ask the bank for its client_id and read it.")
        .arg(newest.historyId)
        .arg(newest.softwareId,
             newest.at.toLocalTime().toString(QStringLiteral("yyyy-MM-dd HH:mm")),
             newest.failureClass);
}

} // namespace dcr
