#pragma once

#include "SubmissionRecord.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dcr {

// Every value a row's outcome can take, in the order the filters offer them.
const QStringList& historyOutcomeKinds();

struct HistoryQuery {
    QString text;    // matches software_id, client name, URL, status, error class/text, note, tags
    QString outcome; // accepted, registered, error, unexpected, transport, interrupted, sending
    QString profile;
    QDateTime from;
    QDateTime to;
    QString writer = {}; // who sent it: a login ("alice") or "alice@host"
    // Exact matches, for a caller that needs one software's registrations (LostRegistrations.h)
    // without reading every row: empty matches any.
    QString softwareId = {};
    QByteArray method = {};
};

// Keyset paging position: the (created, id) of the last row of the previous page.
struct HistoryCursor {
    qint64 createdMs = 0;
    qint64 id = 0;
};

struct HistoryPage {
    QList<SubmissionRecord> rows; // summary columns only (no bodies); use get() for a full row
    std::optional<HistoryCursor> next;
};

} // namespace dcr
