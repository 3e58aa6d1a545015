#pragma once

#include "history/SubmissionRecord.h"

#include <QDateTime>
#include <QString>

#include <optional>

namespace dcr {

// What the history last learnt from the bank about a registered client. Never a guess from the
// registration alone: a client registered last month may have been deleted at the bank since, so
// each answer the bank gave about it (a read, update, delete or token request) is evidence, and
// the newest evidence decides.
enum class ClientStatus {
    Active,  // the bank answered for the client: registered, read, updated or gave it a token
    Deleted, // the bank confirmed a DELETE (and anything refused since only confirms it)
    Refused, // the bank refused the client: 401/403/404, or invalid_client from the token endpoint
    Unknown, // the newest answer says neither (a 5xx, an unexpected status, another token error)
};

QString clientStatusName(ClientStatus status);

// Evidence older than this is shown as "not checked since …": banks delete or suspend clients on
// their own (a certificate revoked, a TPP deauthorised), so a week-old "active" is a memory, not
// a fact.
inline constexpr qint64 ClientStatusStaleAfterDays = 7;

// The newest evidence about a client and where the history holds it.
struct ClientEvidence {
    ClientStatus status = ClientStatus::Unknown;
    QDateTime at;         // when the bank answered
    qint64 historyId = 0; // the row that holds the answer
    QString what;         // "DELETE answered HTTP 204", in the user's words
    // The bank's confirmed DELETE, kept while the client stays deleted: a later refusal is
    // reported as "deleted at the bank" with the date of the delete.
    QDateTime deletedAt;
    qint64 deletedHistoryId = 0;
};

// A client_credentials token request (RFC 6749 §4.4): the only form-encoded POST the console
// sends, and never a registration.
bool isTokenRequestRow(const SubmissionRecord& row);

// What one row teaches about its client, given the evidence before it (nullopt: none yet).
// nullopt when the row holds no answer (still sending, interrupted, a transport failure, a
// request refused before it left): nothing was learnt and the status stays as it was.
std::optional<ClientEvidence> evidenceFrom(const SubmissionRecord& row,
                                           const std::optional<ClientEvidence>& before);

// Whether the evidence is older than ClientStatusStaleAfterDays at `now`.
bool isStale(const ClientEvidence& evidence, const QDateTime& now);

// The status as the Clients views show it: "deleted 2026-12-02 21:03 (DELETE answered HTTP 204)",
// or, when stale, "active, not checked since 2026-11-20 10:00 (…)".
QString describeClientStatus(const ClientEvidence& evidence, const QDateTime& now);

// Why a token endpoint refused a client, from the history's evidence before the refusal: "this
// client is deleted at the bank (…)" when the history says so; empty when the history gives no
// reason (the refusal then speaks for itself).
QString tokenRefusalReason(const std::optional<ClientEvidence>& before);

} // namespace dcr
