#include "JwsAlgorithm.h"

#include <QStringList>

namespace dcr {

QString algorithmName(JwsAlgorithm alg) {
    switch (alg) {
    case JwsAlgorithm::PS256:
        return QStringLiteral("PS256");
    case JwsAlgorithm::RS256:
        return QStringLiteral("RS256");
    case JwsAlgorithm::ES256:
        return QStringLiteral("ES256");
    case JwsAlgorithm::HS256:
        return QStringLiteral("HS256");
    }
    return {};
}

std::optional<JwsAlgorithm> algorithmFromName(const QString& name) {
    for (auto alg :
         {JwsAlgorithm::PS256, JwsAlgorithm::RS256, JwsAlgorithm::ES256, JwsAlgorithm::HS256})
        if (algorithmName(alg) == name)
            return alg;
    return std::nullopt;
}

QList<JwsAlgorithm> asymmetricAlgorithms() {
    return {JwsAlgorithm::PS256, JwsAlgorithm::RS256, JwsAlgorithm::ES256};
}

std::optional<QList<JwsAlgorithm>> parseAlgorithmList(const QString& list, QString* bad) {
    QList<JwsAlgorithm> out;
    for (const QString& part : list.split(u',', Qt::SkipEmptyParts)) {
        auto alg = algorithmFromName(part.trimmed());
        if (!alg) {
            if (bad)
                *bad = part.trimmed();
            return std::nullopt;
        }
        out << *alg;
    }
    return out;
}

} // namespace dcr
