#pragma once

#include "Preflight.h"
#include "jose/VerificationKey.h"

#include <optional>

namespace dcr {

struct InspectionOptions {
    std::optional<VerificationKey> requestKey; // verifies the request signature when given
    std::optional<VerificationKey> ssaKey;     // verifies the SSA signature when given
    SupportedValues supported;
    // A JWS whose signature part or algorithm cannot be read (corrupt, cut, "none") is inspected by
    // its claims, with that as its invalid signature verdict, instead of being refused. The
    // console's inspector wants that; dcrctl lint refuses such input as malformed.
    bool inspectBrokenSignature = false;
    // A bank's inspector: without a requestKey, the request's signature is checked against the
    // keys its own SSA carries by value (software_jwks), else against fetchedSoftwareJwks (what
    // a person fetched from the SSA's software_jwks_endpoint). Nothing is fetched here.
    bool requestKeysFromSsa = false;
    std::optional<JwkSet> fetchedSoftwareJwks;
};

// Everything known about one registration request: the bank-staff "what did we receive" view and
// the TPP's "what am I about to send" view share it.
struct RequestInspection {
    std::optional<Jws> jws; // absent when inspecting a bare claims object
    PreflightInput input;
    QList<PreflightFinding> findings;
    // What the request's signature was checked against when it came from its SSA
    // (requestKeysFromSsa): "the SSA's software_jwks", …; empty otherwise.
    QString requestKeysSource;
    // Which key of which key set verified the request and the SSA (signatureKeys()): "SSA
    // verified by the directory's key kid=… (RFC 7638 thumbprint …) in the directory's JWKS".
    QStringList signatureKeys;
};

// Whether an SSA carries software_jwks by value: present and not null (a null one is absent, so
// its software_jwks_endpoint is the keys' source). The inspection's verdict and the bank checks'
// "may the endpoint be fetched" ask this one test.
bool carriesSoftwareJwks(const SoftwareStatement& ssa);

// Parses a compact JWT (or, with isClaimsJson, a JSON claims object), decodes the SSA, checks
// the signatures the options allow, and runs preflight.
Result<RequestInspection> inspectRequest(const QByteArray& bytes, bool isClaimsJson,
                                         const InspectionOptions& options,
                                         const Preflight& preflight);

// The same for a request already in memory.
RequestInspection inspectRequest(const RegistrationRequest& request, const std::optional<Jws>& jws,
                                 const InspectionOptions& options, const Preflight& preflight);

} // namespace dcr
