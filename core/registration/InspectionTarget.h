#pragma once

#include "Preflight.h"
#include "RegistrationRequest.h"
#include "SpecVersion.h"

#include <QString>

namespace dcr {

// A spec guessed from what a received request carries, and what it was guessed from.
struct SpecGuess {
    SpecVersion spec = SpecVersion::Seed;
    QString reason; // "its jti, which OBIE requires …"
};

// Which contract a received request most likely follows, judged from its own claims only (never
// from the console's profile): CIBA metadata is OBIE 3.3's, tls_client_auth_dn OBIE 3.1's, a jti
// or tls_client_auth_subject_dn OBIE's, and a request with none of these the seed's.
SpecGuess guessSpec(const RegistrationRequest& request);

// What a received (inspected) request is checked against: a spec, guessed or chosen, and the
// receiving bank's id when given. Nothing else is taken from anywhere: a bank's staff see every
// input of the checks in the inspector's banner.
struct InspectionTarget {
    SpecVersion spec = SpecVersion::Seed;
    // While spec is guessSpec's, what it was guessed from; empty once a person chose the spec.
    QString guessedFrom;
    // The receiving bank's id (the aud it issued the TPP); empty: aud is not compared.
    QString bankId;
    // The TPP's transport certificate a person gave (null: the subject DN is not compared), and
    // the file it came from.
    Certificate transportCertificate;
    QString certificateSource;

    static InspectionTarget guessedFor(const RegistrationRequest& request);
    bool isGuess() const { return !guessedFrom.isEmpty(); }
    // "obie-3.3 (guessed from …); aud not compared: no bank id given" (and, with a transport
    // certificate, "; subject DN compared with tpp.pem")
    QString describe() const;
    // The rules of spec for a signed JWT body, aud compared only with a bank id, the subject DN
    // only with a transport certificate.
    PreflightOptions preflightOptions() const;
};

} // namespace dcr
