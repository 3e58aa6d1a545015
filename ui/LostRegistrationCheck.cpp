#include "LostRegistrationCheck.h"

#include "session/Session.h"

namespace dcr::ui {

LostRegistrationCheck::LostRegistrationCheck(Session* session, QObject* parent)
    : QObject(parent)
    , m_session(session) {}

void LostRegistrationCheck::start(const SubmissionPlan& plan, Done done) {
    m_pending.reset();
    const auto scope = lostRegistrationScope(plan);
    if (!scope) {
        done(std::nullopt);
        return;
    }
    HistoryReader* reader = m_session->historyReader();
    if (!reader) {
        done(unchecked(tr("the history is not open")));
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

void LostRegistrationCheck::onAnswer(const HistoryAnswer& answer) {
    if (!m_pending || answer.ticket != m_pending->ticket)
        return;
    const Pending pending = std::move(*m_pending);
    m_pending.reset();
    if (!answer.records()) {
        pending.done(unchecked(answer.error() ? answer.error()->message : tr("no answer")));
        return;
    }
    const QList<LostRegistration> lost = findLostRegistrations(*answer.records(), pending.scope);
    if (lost.isEmpty()) {
        pending.done(std::nullopt);
        return;
    }
    QString text = lostRegistrationWarning(lost.last(), pending.profile);
    if (lost.size() > 1)
        text += tr(" (%n earlier one(s) too)", nullptr, static_cast<int>(lost.size() - 1));
    pending.done(Notice{Notice::Level::Warning, text});
}

Notice LostRegistrationCheck::unchecked(const QString& why) const {
    return Notice{Notice::Level::Warning,
                  tr("Earlier registrations of this software that got no answer could not be "
                     "looked for in the history (%1): %2. The bank may already hold a client "
                     "for it; register again unchecked?")
                      .arg(m_session->historyLocation(), why)};
}

} // namespace dcr::ui
