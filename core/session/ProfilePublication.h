#pragma once

#include "common/Result.h"
#include "transport/Profile.h"

#include <QCoreApplication>
#include <QJsonObject>
#include <QStringList>

namespace dcr {

// What of a profile may go to a team history, and what may come back from it (#25.4). A profile
// holds paths and choices, but a value typed into it may still be a secret: a PEM key pasted into
// a key field, a PIN in a pkcs11: URI, a password in a URL, a token in a URL's query. Publishing
// strips what can be dropped without changing the profile's meaning (a pkcs11: URI's pin-value
// and pin-source) and refuses the rest, naming the field; keys travel only as file paths or
// pkcs11: URIs. Importing reads the JSON back with the same checks plus Profile's own (every
// field's type and range), so a row somebody wrote by hand cannot bring a secret or a bad value.
class ProfilePublication {
    Q_DECLARE_TR_FUNCTIONS(ProfilePublication)
public:
    // The longest key path or URI a published profile may carry.
    static constexpr int MaxKeySourceLength = 4096;
    // The largest published profile read back.
    static constexpr int MaxProfileFields = 64;

    struct Publishable {
        QJsonObject json; // what goes to the team history
        QStringList
            removed; // what was stripped, as the user should read it ("signing_key: pin-value")
    };

    static Result<Publishable> publishable(const Profile& profile);
    // A published profile's JSON as a local profile named `name`; the error names the field.
    static Result<Profile> imported(const QJsonObject& json, const QString& name);

private:
    static Status checkFields(const QJsonObject& json);
};

} // namespace dcr
