#pragma once

#include "SubmissionPlan.h"
#include "common/Result.h"
#include "history/SubmissionRecord.h"

#include <optional>

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QString>

namespace dcr {

class HistoryStore;

// A registration POST whose answer never arrived although the request may have reached the bank
// (a timeout, a cancel, a connection lost after sending, a process killed while it waited): the
// bank may have created a client nobody here knows the client_id of. Sending the same
// registration again may then create a second client, or be refused as already registered.
struct LostRegistration {
    qint64 historyId = 0;
    QDateTime at; // when it was sent
    QString url;  // the registration endpoint it went to
    QString softwareId;
    QString profile;
    QString failureClass; // timeout, cancelled, reset, network, or interrupted
    QString why;          // the recorded failure, in the user's words

    QJsonObject toJson() const;
};

// Which attempts count: all profiles when profile is empty; any software_id or URL when empty.
struct LostRegistrationScope {
    QString profile;
    QString softwareId;
    QString url;
};

// Whether a row is a registration POST (not a token request, not a client's update) that got no
// answer after it may have left: "interrupted", or a transport failure of class timeout,
// cancelled, reset or network. A failure before anything left (DNS, connection refused, TLS, a
// refused origin; for https, no TLS session in the full row) is no lost answer. Summary rows
// (HistoryStore::page) carry no TLS summary; such a row counts unless the full row says
// otherwise.
bool isLostRegistrationRow(const SubmissionRecord& row);
// Whether a row is a registration POST the bank answered with a 2xx (a client created, or the
// seed's "accepted").
bool isAnsweredRegistration(const SubmissionRecord& row);
// Two registration URLs name the same endpoint: case of scheme and host, the default port, an
// empty path ("/") and a trailing slash aside; the query counts. A URL that is not valid or names
// no host is the same endpoint as nothing, not even itself.
bool sameRegistrationEndpoint(const QString& a, const QString& b);

// The lost attempts among rows (any order) in scope that no later answered registration of the
// same software_id at the same endpoint followed, in any profile; oldest first.
QList<LostRegistration> findLostRegistrations(const QList<SubmissionRecord>& rows,
                                              const LostRegistrationScope& scope = {});

// The history's rows findLostRegistrations needs for a scope: registration POSTs that got no
// answer, and (only when there are any) the answered registrations since the oldest of them, in
// any profile (an answer settles the attempt whichever profile sent it).
// Reads by outcome, so a large history costs a few indexed pages, not a scan of its bodies.
Result<QList<SubmissionRecord>> lostRegistrationRows(HistoryStore& store,
                                                     const LostRegistrationScope& scope);
// The Clients view's rows: every row that names a client (HistoryStore::clientRecords), and the
// profile's registration rows still lost (no answer since, in any profile), each once.
Result<QList<SubmissionRecord>> clientsViewRows(HistoryStore& store, const QString& profile);
Result<QList<LostRegistration>> readLostRegistrations(HistoryStore& store,
                                                      const LostRegistrationScope& scope);

// The attempts a plan would repeat: its software_id at its URL, in any profile (dcrctl --url
// targets have none). nullopt for anything but a registration POST with a software_id.
std::optional<LostRegistrationScope> lostRegistrationScope(const SubmissionPlan& plan);
// The lost attempts a plan would repeat (empty for anything but a registration POST). Refused at
// once while a shared history's server is not connected: a front end asks before a send, on its
// window's thread in the console, and must never wait there for an absent server.
Result<QList<LostRegistration>> lostRegistrationsBefore(HistoryStore& store,
                                                        const SubmissionPlan& plan);
// An "already registered" answer (RegistrationOutcome::alreadyRegistered) to a plan: its fix then
// names the lost attempt the bank may hold the client of (alreadyRegisteredLink). Otherwise, or
// when the history cannot tell, the outcome is left as classified.
void linkAlreadyRegistered(RegistrationOutcome& outcome, HistoryStore& store,
                           const SubmissionPlan& plan);

// What is said before another POST of the same registration: "an earlier registration at 10:02
// got no answer; the bank may hold a client for it — see history #41 (dcrctl history show 41)",
// naming the profile it was sent with when that is not sendingProfile.
QString lostRegistrationWarning(const LostRegistration& lost, const QString& sendingProfile = {});
// What the user can do about it.
QString lostRegistrationAdvice(const LostRegistration& lost);
// The Clients views' status cell: "answer lost: registration at 2026-12-02 10:02 got no answer
// (timeout), history #41".
QString describeLostRegistration(const LostRegistration& lost);
// Appended to an "already registered" answer's fix: "the bank may have created a client on
// history #41 (…)"; empty when there is no lost attempt.
QString alreadyRegisteredLink(const QList<LostRegistration>& lost);

} // namespace dcr
