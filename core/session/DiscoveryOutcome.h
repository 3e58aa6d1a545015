#pragma once

#include "transport/DiscoveryDocument.h"
#include "transport/HttpExchange.h"

#include <optional>

namespace dcr {

// The result of fetching an ASPSP's discovery document, as a value: the console shows it, the
// form takes its supported values, nobody parses the summary text.
struct DiscoveryOutcome {
    std::optional<DiscoveryDocument> document; // set when fetched and usable
    std::optional<Error> error;                // why not: no URL, transport, unusable document
    QUrl url;                                  // what was fetched; empty: nothing was sent
    int httpStatus = 0;                        // the answer's status, 0 without one
    QByteArray responseBody;                   // as received (evidence for a test run)
    bool ok() const { return document.has_value(); }
    // The answer to a GET of url: the document when it parses, else why not.
    static DiscoveryOutcome from(const QUrl& url, const HttpExchange& exchange);
    QString summary() const;
};

} // namespace dcr
