#include "DiscoveryOutcome.h"

namespace dcr {

QString DiscoveryOutcome::summary() const {
    if (document)
        return QStringLiteral("Discovery: registration endpoint %1, %2 metadata lists")
            .arg(document->registrationEndpoint.toString())
            .arg(document->supported.size());
    return QStringLiteral("Discovery failed: %1")
        .arg(error ? error->message : QStringLiteral("no answer"));
}

} // namespace dcr
