#include "HistoryQuery.h"

namespace dcr {

const QStringList& historyOutcomeKinds() {
    static const QStringList kinds = {QStringLiteral("accepted"),    QStringLiteral("registered"),
                                      QStringLiteral("retrieved"),   QStringLiteral("updated"),
                                      QStringLiteral("deleted"),     QStringLiteral("error"),
                                      QStringLiteral("unexpected"),  QStringLiteral("transport"),
                                      QStringLiteral("interrupted"), QStringLiteral("sending")};
    return kinds;
}

} // namespace dcr
