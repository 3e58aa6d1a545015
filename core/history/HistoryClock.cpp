#include "HistoryClock.h"

namespace dcr {

namespace {

class SystemClock : public HistoryClock {
public:
    qint64 nowMs() const override { return QDateTime::currentMSecsSinceEpoch(); }
};

} // namespace

std::shared_ptr<const HistoryClock> HistoryClock::system() {
    static const auto clock = std::make_shared<const SystemClock>();
    return clock;
}

ManualHistoryClock::ManualHistoryClock()
    : m_nowMs(QDateTime::currentMSecsSinceEpoch()) {}

} // namespace dcr
