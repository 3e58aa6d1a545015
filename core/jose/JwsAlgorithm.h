#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dcr {

// The algorithms this tool implements. "none" is deliberately absent: it cannot be expressed.
enum class JwsAlgorithm { PS256, RS256, ES256, HS256 };

QString algorithmName(JwsAlgorithm alg);
std::optional<JwsAlgorithm> algorithmFromName(const QString& name);
QList<JwsAlgorithm> asymmetricAlgorithms();
// Parses "PS256,ES256"; returns nullopt and names the bad entry in *bad on error.
std::optional<QList<JwsAlgorithm>> parseAlgorithmList(const QString& list, QString* bad = nullptr);

} // namespace dcr
