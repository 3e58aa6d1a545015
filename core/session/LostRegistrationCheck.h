#pragma once

#include "LostRegistrations.h"
#include "SubmissionPlan.h"
#include "common/Result.h"
#include "history/HistoryReader.h"

#include <QObject>

#include <functional>
#include <optional>

namespace dcr {

class Session;

// Before a registration is sent again (issue #25.2): whether to ask first, and what to say. The
// one rule both front ends follow: an earlier registration POST of the same software_id at the
// same endpoint whose answer was lost is said (the newest, and how many more) and asked about; a
// history that could not be read is said and asked about too, since unchecked is not "nothing
// lost". dcrctl submit reads on its own thread (checkNow) and refuses unless --register-again;
// the console reads on the history reader's thread (start) so a slow shared server never holds
// its window, and asks.
class LostRegistrationCheck : public QObject {
    Q_OBJECT
public:
    struct Finding {
        enum class Kind {
            Clear,     // nothing to ask: no lost attempt, or nothing a check applies to
            Lost,      // an earlier attempt's answer was lost: the bank may hold a client
            Unchecked, // the history could not be read: asked like Lost
        };
        Kind kind = Kind::Clear;
        QString text; // what is said before asking; empty when Clear
        bool mustAsk() const { return kind != Kind::Clear; }
    };
    using Done = std::function<void(const Finding& finding)>;

    explicit LostRegistrationCheck(Session* session, QObject* parent = nullptr);

    // The rule on what was read for a plan of softwareId sent with sendingProfile, or on why it
    // could not be read (historyLocation names the history then).
    static Finding judge(const Result<QList<LostRegistration>>& lost, const QString& softwareId,
                         const QString& sendingProfile, const QString& historyLocation);
    // Reads on the calling thread. Clear for anything but a registration POST with a
    // software_id, and when the session has no history: nothing recorded is sent then
    // (Session::submit refuses, saying why), and an unrecorded send (dcrctl --no-history) was
    // chosen to be neither recorded nor checked.
    static Finding checkNow(Session& session, const SubmissionPlan& plan);

    // Reads on the history reader's thread; done runs once, on this object's thread: at once
    // (inside start) when checkNow would be Clear without reading, else when the reader answers.
    // A newer start() or cancel() drops a check still running: its done never runs.
    void start(const SubmissionPlan& plan, Done done);
    void cancel();
    bool isRunning() const { return m_pending.has_value(); }

private:
    struct Pending {
        quint64 ticket = 0;
        QString profile; // the plan's, named in the warning when the attempt was another's
        LostRegistrationScope scope;
        Done done;
    };
    void onAnswer(const HistoryAnswer& answer);

    Session* m_session;
    std::optional<Pending> m_pending;
};

} // namespace dcr
