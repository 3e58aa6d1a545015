#pragma once

#include "common/Result.h"

#include <QUrl>

namespace dcr {

// The one check of a URL a request is sent to (a registration endpoint, a discovery document, a
// client's configuration URL): an absolute http or https URL with a host and a port in 1-65535.
// Every front end asks here before anything is planned, so a bad URL is a usage error that says
// what is wrong with it (dcrctl exit 2) rather than "no endpoint" or a failed request in the
// history. `what` names where the URL came from in the message ("--url", "the profile's
// registration URL").
//
// parseEndpointUrl checks the text as typed (a port out of range makes QUrl drop the whole URL,
// so the text is looked at before QUrl parses it); checkEndpointUrl checks a URL already parsed
// (a saved profile's).
Result<QUrl> parseEndpointUrl(const QString& text, const QString& what);
Status checkEndpointUrl(const QUrl& url, const QString& what);

} // namespace dcr
