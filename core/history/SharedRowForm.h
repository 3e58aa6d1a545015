#pragma once

#include "SubmissionRecord.h"

namespace dcr {

// The form a row takes in a shared (PostgreSQL) history: what others may read of it. Secrets
// (client_secret, registration_access_token …) are masked where parsing can locate them; a body
// that cannot be parsed yet may hold one is withheld as a whole. The clear row stays on this
// machine (SharedHistory keeps it in the local secret store).
namespace shared_row_form {

// Whether the row holds something the shared copy must not: a secret, or a body that cannot be
// masked.
bool carriesSecrets(const SubmissionRecord& full);
// The shared copy of a row; holder ("user@host") is named as the one who keeps the secrets when
// anything was masked or withheld.
SubmissionRecord of(const SubmissionRecord& full, const QString& holder);

} // namespace shared_row_form

} // namespace dcr
