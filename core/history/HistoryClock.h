#pragma once

#include <QDateTime>

#include <atomic>
#include <memory>

namespace dcr {

// What time it is for a history store: when a row was begun and answered, and when a shared
// history's away server is tried again (HistoryOptions::offlineRetryMs). The system clock, unless
// a test passes a ManualHistoryClock and moves it on instead of sleeping until a time has passed.
class HistoryClock {
public:
    virtual ~HistoryClock() = default;
    virtual qint64 nowMs() const = 0;
    QDateTime now() const { return QDateTime::fromMSecsSinceEpoch(nowMs(), Qt::UTC); }

    // The wall clock (shared by every store that is given no other).
    static std::shared_ptr<const HistoryClock> system();
};

// A clock that stands still until advance() moves it: a test sets the time a store sees. Safe to
// read from another thread (a HistoryReader's worker reads the clock its options carry).
class ManualHistoryClock : public HistoryClock {
public:
    // Starts at the wall clock's time, so that rows written meanwhile have plausible dates.
    ManualHistoryClock();
    qint64 nowMs() const override { return m_nowMs.load(); }
    void advance(qint64 ms) { m_nowMs.fetch_add(ms); }

private:
    std::atomic<qint64> m_nowMs;
};

} // namespace dcr
