#pragma once

#include <QtGlobal>

namespace dcr {

// Where a row of a history is: in the history itself, or, for a shared history, in this
// machine's outbox (written while the server was unreachable, uploaded when it returns). The
// store's public API still carries a row as one number, as the front ends show and pass it (an
// outbox row's number is negative); that encoding is made and read here only.
struct HistoryRowId {
    enum class Place { History, Outbox };

    Place place = Place::History;
    qint64 row = 0; // the row's id in its own table

    static HistoryRowId inHistory(qint64 row) { return {Place::History, row}; }
    static HistoryRowId inOutbox(qint64 row) { return {Place::Outbox, row}; }
    // From the number the public API carries.
    static HistoryRowId fromKey(qint64 key) { return key < 0 ? inOutbox(-key) : inHistory(key); }
    // The number the public API carries.
    qint64 key() const { return place == Place::Outbox ? -row : row; }
    bool isInOutbox() const { return place == Place::Outbox; }
};

} // namespace dcr
