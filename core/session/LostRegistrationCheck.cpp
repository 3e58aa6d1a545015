#include "LostRegistrationCheck.h"

#include "Session.h"

namespace dcr {

LostRegistrationCheck::LostRegistrationCheck(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {}

LostRegistrationCheck::Finding
LostRegistrationCheck::judge(const Result<QList<LostRegistration>>& lost, const QString& softwareId,
                             const QString& sendingProfile, const QString& historyLocation) {
    if (!lost)
        return {Finding::Kind::Unchecked,
                tr("earlier registrations of software_id %1 that got no answer could not be "
                   "looked for in the history (%2): %3; the bank may already hold a client for "
                   "it.")
                    .arg(softwareId, historyLocation, lost.error().message)};
    if (lost->isEmpty())
        return {};
    QString text = lostRegistrationWarning(lost->last(), sendingProfile);
    if (lost->size() > 1)
        text += tr(" (%n earlier one(s) too)", nullptr, static_cast<int>(lost->size() - 1));
    return {Finding::Kind::Lost, text};
}

LostRegistrationCheck::Finding LostRegistrationCheck::checkNow(Session& session,
                                                               const SubmissionPlan& plan) {
    const auto scope = lostRegistrationScope(plan);
    if (!scope || !session.hasHistory())
        return {};
    return judge(session.lostRegistrationsFor(plan), scope->softwareId, plan.profile,
                 session.historyLocation());
}

void LostRegistrationCheck::start(const SubmissionPlan& plan, Done done) {
    m_pending.reset();
    const auto scope = lostRegistrationScope(plan);
    HistoryReader* reader = m_session->historyReader(); // null only without a history
    if (!scope || !reader) {
        done({});
        return;
    }
    connect(reader, &HistoryReader::answered, this, &LostRegistrationCheck::onAnswer,
            Qt::UniqueConnection);
    const quint64 ticket =
        reader->requestRecords(HistoryLane::LostCheck, [scope = *scope](HistoryStore& store) {
            return lostRegistrationRows(store, scope);
        });
    m_pending = Pending{ticket, plan.profile, *scope, std::move(done)};
}

void LostRegistrationCheck::cancel() {
    m_pending.reset(); // the reader's answer, when it comes, matches no ticket
}

void LostRegistrationCheck::onAnswer(const HistoryAnswer& answer) {
    if (!m_pending || answer.ticket != m_pending->ticket)
        return;
    const Pending pending = std::move(*m_pending);
    m_pending.reset();
    Result<QList<LostRegistration>> lost{ErrorKind::StorageUnavailable,
                                         tr("the history reader gave no answer")};
    if (answer.records())
        lost = findLostRegistrations(*answer.records(), pending.scope);
    else if (answer.error())
        lost = *answer.error();
    pending.done(
        judge(lost, pending.scope.softwareId, pending.profile, m_session->historyLocation()));
}

} // namespace dcr
