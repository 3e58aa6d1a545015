#pragma once

#include <QJsonValue>
#include <QString>

namespace dcr::ui {

// A JSON value as compact JSON text: 42, "text", [1,2], {"a":1}, true, null. Undefined gives "".
QString compactJsonText(const QJsonValue& value);

} // namespace dcr::ui
