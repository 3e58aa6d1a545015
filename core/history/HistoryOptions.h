#pragma once

#include "HistoryClock.h"
#include "WriterIdentity.h"

#include <QString>

#include <memory>

namespace dcr {

struct HistoryOptions {
    int busyTimeoutMs = 5000; // SQLite: how long to wait for another writer
    // PostgreSQL: the local SQLite file that keeps the outbox (rows written while the server was
    // unreachable) and this machine's secrets. Required for a shared history. One file per
    // shared database: "history-local.sqlite" becomes "history-local-<8 hex>.sqlite", named
    // after host, port and database, so an outbox is only ever uploaded where it belongs.
    QString localPath;
    // Who writes; tests pretend to be somebody else. Empty user: this process.
    WriterIdentity writer;
    // After the server was found unreachable, writes go to the outbox without trying it again
    // for this long, so that sending never waits on a connect timeout twice in a row.
    int offlineRetryMs = 10000;
    // false: once the server was found away, this store never tries it again by itself (a
    // connect to a silent host waits connect_timeout); the owner probes from another thread
    // (HistoryReader::requestProbe) and calls reconnect() when the server answers. The session
    // does this, so the window never waits on a connect.
    bool reconnectInline = true;
    // false: a shared history opens without connecting (state NotYetConnected): writes go to the
    // outbox, as when the server is away, until reconnect() succeeds. The console opens so and
    // lets its reader thread make the first connection, so its start never waits on a connect.
    bool connectAtOpen = true;
    // Whether connecting marks this user's stale "sending" rows interrupted (see open()). The
    // reader's read-only connection leaves that to the store that writes, which reports it.
    bool sweepInterrupted = true;
    // The time rows are stamped with and offlineRetryMs is counted on; null: the wall clock.
    // Tests pass a ManualHistoryClock and advance it instead of waiting.
    std::shared_ptr<const HistoryClock> clock;

    const HistoryClock& clockOrSystem() const { return clock ? *clock : *HistoryClock::system(); }
};

} // namespace dcr
