#include "DiscoveryOutcome.h"

namespace dcr {

DiscoveryOutcome DiscoveryOutcome::from(const QUrl& url, const HttpExchange& e) {
    DiscoveryOutcome outcome;
    outcome.url = url;
    outcome.httpStatus = e.status;
    outcome.responseBody = e.responseBody;
    if (!e.completed()) {
        outcome.error = *e.failure;
    } else if (auto doc = DiscoveryDocument::parse(e.responseBody)) {
        outcome.document = *doc;
    } else {
        outcome.error = Error{
            doc.error().kind,
            QStringLiteral("the discovery document is unusable: %1").arg(doc.error().message)};
    }
    return outcome;
}

QString DiscoveryOutcome::summary() const {
    if (document)
        return QStringLiteral("Discovery: registration endpoint %1, %2 metadata lists")
            .arg(document->registrationEndpoint.toString())
            .arg(document->supported.size());
    return QStringLiteral("Discovery failed: %1")
        .arg(error ? error->message : QStringLiteral("no answer"));
}

} // namespace dcr
