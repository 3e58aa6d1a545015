#include "HumanAge.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// User-facing text, translated in this file's context.
struct HumanAgeTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::HumanAge)
};

constexpr qint64 Minute = 60;
constexpr qint64 Hour = 60 * Minute;
constexpr qint64 Day = 24 * Hour;
constexpr qint64 Month = 30 * Day;
constexpr qint64 Year = 365 * Day;

// English singular and plural as two source texts (no translation is loaded by default, and
// "%n year(s)" would show as it is written).
QString count(qint64 n, const char* one, const char* many) {
    return n == 1 ? HumanAgeTr::tr(one) : HumanAgeTr::tr(many).arg(n);
}

} // namespace

QString humanDuration(qint64 seconds) {
    const qint64 s = seconds < 0 ? -seconds : seconds;
    if (s < Minute)
        return count(s, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 second"),
                     QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 seconds"));
    if (s < Hour)
        return count(s / Minute, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 minute"),
                     QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 minutes"));
    if (s < Day)
        return count(s / Hour, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 hour"),
                     QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 hours"));
    if (s < Month)
        return count(s / Day, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 day"),
                     QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 days"));
    if (s < Year)
        return count(s / Month, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 month"),
                     QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 months"));
    return count(s / Year, QT_TRANSLATE_NOOP("dcr::HumanAge", "1 year"),
                 QT_TRANSLATE_NOOP("dcr::HumanAge", "%1 years"));
}

QString humanAge(qint64 secondsAgo) {
    if (secondsAgo == 0)
        return HumanAgeTr::tr("now");
    return secondsAgo > 0 ? HumanAgeTr::tr("%1 ago").arg(humanDuration(secondsAgo))
                          : HumanAgeTr::tr("in %1").arg(humanDuration(secondsAgo));
}

} // namespace dcr
