#include "DiscoveryOutcome.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct DiscoveryOutcomeTr {
    Q_DECLARE_TR_FUNCTIONS(DiscoveryOutcome)
};

} // namespace

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
        outcome.error =
            Error{doc.error().kind, DiscoveryOutcomeTr::tr("the discovery document is unusable: %1")
                                        .arg(doc.error().message)};
    }
    return outcome;
}

QString DiscoveryOutcome::summary() const {
    if (document)
        return DiscoveryOutcomeTr::tr("Discovery: registration endpoint %1, %2 metadata lists")
            .arg(document->registrationEndpoint.toString())
            .arg(document->supported.size());
    return DiscoveryOutcomeTr::tr("Discovery failed: %1")
        .arg(error ? error->message : DiscoveryOutcomeTr::tr("no answer"));
}

} // namespace dcr
