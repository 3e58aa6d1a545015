#include "JsonText.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dcr::ui {

QString compactJsonText(const QJsonValue& value) {
    if (value.isUndefined())
        return {};
    // QJsonDocument only serialises arrays and objects: wrap the value, then drop the brackets.
    const QByteArray doc = QJsonDocument(QJsonArray{value}).toJson(QJsonDocument::Compact);
    return QString::fromUtf8(doc.mid(1, doc.size() - 2));
}

} // namespace dcr::ui
