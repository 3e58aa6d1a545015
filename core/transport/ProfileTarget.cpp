#include "ProfileTarget.h"

#include "EndpointUrl.h"
#include "Profile.h"

#include <QCoreApplication>

namespace dcr {

namespace {
struct ProfileTargetTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::Session) // the words the session has always said
};
} // namespace

Result<RequestBodyFormat> checkProfileTarget(const Profile& profile) {
    if (auto readable = profile.readable(); !readable) // a field fromJson could not read
        return readable.error();
    const std::optional<RequestBodyFormat> format = profile.bodyFormat;
    if (!contentTypeFits(*format, profile.contentType))
        return Error{ErrorKind::InputUnreadable,
                     *format == RequestBodyFormat::Json
                         ? ProfileTargetTr::tr(
                               "the Content-Type must be application/json for a JSON body (RFC "
                               "7591 §3.1), not %1")
                               .arg(QString::fromLatin1(profile.contentType))
                         : ProfileTargetTr::tr(
                               "the Content-Type must be application/jwt or application/jose for "
                               "a signed JWT body, not %1 (a JSON body needs --body json, or the "
                               "profile's body format json)")
                               .arg(QString::fromLatin1(profile.contentType))};
    if (profile.embeddedSandbox)
        return *format; // the sandbox's own https endpoint
    if (profile.registrationUrl.isEmpty())
        return Error{
            ErrorKind::InputUnreadable,
            profile.name.isEmpty()
                ? ProfileTargetTr::tr("no registration endpoint: give a URL")
                : ProfileTargetTr::tr("profile \"%1\" has no registration URL").arg(profile.name)};
    if (auto usable = checkEndpointUrl(
            profile.registrationUrl,
            profile.name.isEmpty()
                ? ProfileTargetTr::tr("the registration URL")
                : ProfileTargetTr::tr("profile \"%1\": the registration URL").arg(profile.name));
        !usable)
        return usable.error();
    return *format;
}

} // namespace dcr
