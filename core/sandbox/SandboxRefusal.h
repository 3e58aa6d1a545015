#pragma once

#include "registration/RegistrationOutcome.h"

#include <QByteArray>
#include <QString>

namespace dcr {

// Why the sandbox refuses a registration request, as an ecosystem answers it: the HTTP status
// (400 unless the ecosystem says otherwise) and RFC 7591 §3.2.2's error and error_description.
struct SandboxRefusal {
    int status = 400;
    QString error;
    QString description;
};

// The value of a request header (the first with that name, case-insensitively); empty if absent.
inline QByteArray sandboxHeader(const HeaderList& headers, const QByteArray& name) {
    for (const auto& [k, v] : headers)
        if (k.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

// The request's media type, lower case, without parameters ("application/jwt").
inline QByteArray sandboxMediaType(const HeaderList& headers) {
    return sandboxHeader(headers, "content-type").split(';').first().trimmed().toLower();
}

} // namespace dcr
