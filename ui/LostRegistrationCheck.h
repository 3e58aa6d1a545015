#pragma once

#include "common/Notice.h"
#include "history/HistoryReader.h"
#include "session/LostRegistrations.h"
#include "session/SubmissionPlan.h"

#include <QObject>

#include <functional>
#include <optional>

namespace dcr {
class Session;
}

namespace dcr::ui {

// Looks in the history, on its reader's thread, for earlier registrations of a plan whose answer
// was lost (#25.2) before the console sends it: a slow or silent shared server never freezes the
// window. What it finds, or that it could not look, comes back as the warning to ask about.
class LostRegistrationCheck : public QObject {
    Q_OBJECT
public:
    // nullopt: nothing to say, send. A Warning: ask before sending (also when the history could
    // not be read: unchecked is not "nothing lost").
    using Done = std::function<void(const std::optional<Notice>& warning)>;

    explicit LostRegistrationCheck(Session* session, QObject* parent = nullptr);

    // done runs once, on this thread: at once when the plan repeats no registration, else when
    // the reader answers. A newer start() replaces a check still running (its done never runs).
    void start(const SubmissionPlan& plan, Done done);
    bool isRunning() const { return m_pending.has_value(); }

private:
    struct Pending {
        quint64 ticket = 0;
        QString profile; // the plan's, named in the warning when the attempt was another's
        LostRegistrationScope scope;
        Done done;
    };
    void onAnswer(const HistoryAnswer& answer);
    Notice unchecked(const QString& why) const;

    Session* m_session;
    std::optional<Pending> m_pending;
};

} // namespace dcr::ui
