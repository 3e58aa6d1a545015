#include "BankCheck.h"

#include <QCoreApplication>

namespace dcr {

QString BankCheck::outcomeName(Outcome outcome) {
    switch (outcome) {
    case Outcome::Passed:
        return QCoreApplication::translate("dcr::BankCheck", "passed");
    case Outcome::Warning:
        return QCoreApplication::translate("dcr::BankCheck", "warning");
    case Outcome::Failed:
        return QCoreApplication::translate("dcr::BankCheck", "failed");
    case Outcome::NotChecked:
        break;
    }
    return QCoreApplication::translate("dcr::BankCheck", "not checked");
}

} // namespace dcr
