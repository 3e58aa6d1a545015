#pragma once

#include "registration/Preflight.h"
#include "registration/RequestBodyFormat.h"
#include "transport/Profile.h"

#include <QJsonObject>
#include <QList>
#include <QStringList>

namespace dcr {

// How one DCR ecosystem registers clients, as data: what a new profile made from it holds and
// which claims its requests must carry. The table (ecosystemPresets()) is the one place these
// facts live; the console's "New from preset", `dcrctl profile add --preset` and the
// "Ecosystem presets" table of docs/reference.md all follow it.
struct EcosystemPreset {
    QString id;    // uk-obie, open-finance-brasil, cdr-au, rfc7591
    QString title; // for people
    RequestBodyFormat bodyFormat = RequestBodyFormat::Jwt;
    QByteArray contentType;
    SpecVersion specVersion = SpecVersion::Seed;       // what preflight checks against
    LifecycleAuth lifecycleAuth = LifecycleAuth::Obie; // a client_credentials token, or the RAT
    // How the profile authenticates at the token endpoint.
    ClientAuthMethod tokenAuthMethod = ClientAuthMethod::PrivateKeyJwt;
    // The SSA issuer of the ecosystem's directory; empty: the spec's own (specDirectoryIssuers).
    QString directoryIssuer;
    QString tokenScope; // the scope of the lifecycle token; empty: none asked
    // Claims every request of the ecosystem must carry (besides the spec's), checked by preflight.
    QStringList requiredClaims;
    // Values the ecosystem fixes, filled into a new form where the claim is still empty.
    QJsonObject claimDefaults;
    QString source; // where these facts come from

    // The profile with this preset's choices; everything else (name, URLs, files) is kept.
    Profile applyTo(Profile profile) const;
    // The draft with claimDefaults filled in where the claim is absent.
    QJsonObject fillDefaults(QJsonObject claims) const;
};

const QList<EcosystemPreset>& ecosystemPresets();
// nullptr for an unknown or empty id.
const EcosystemPreset* findEcosystemPreset(const QString& id);
// "uk-obie, open-finance-brasil, rfc7591", for messages.
QString ecosystemPresetIds();

// What preflight checks a profile's requests against: its spec, body format, trusted directory
// (empty: PreflightOptions' default) and aud, the required claims of its preset, and the ASPSP's
// advertised values. The one mapping: the session's (which adds a loaded transport certificate)
// and `dcrctl lint --preset` (a profile made from the preset alone) both use it.
PreflightOptions preflightOptionsFor(const Profile& profile, const SupportedValues& supported = {});

} // namespace dcr
