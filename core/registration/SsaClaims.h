#pragma once

#include "RegistrationRequest.h"
#include "SoftwareStatement.h"

namespace dcr {

// The claims a software statement decides, written over a request's: the SSA itself
// (software_statement), software_id and iss (its software_id: the TPP signs as that software),
// redirect_uris (the SSA's registered ones) and scope ("openid" plus what its roles allow). What
// the SSA does not decide is kept as it was. The console's "Fill the form from this SSA".
RegistrationRequest withClaimsFromSsa(RegistrationRequest request, const SoftwareStatement& ssa);

} // namespace dcr
