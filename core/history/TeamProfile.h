#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace dcr {

// A profile published to a team history (table team_profiles, schema version 7): its name, who
// published it and when, and the profile's JSON, which the session checked holds no secret before
// it was handed here (ProfilePublication). One row per name: publishing again replaces it.
struct TeamProfile {
    QString name;
    QString publisherUser;
    QString publisherHost;
    QDateTime publishedAt;
    QJsonObject profile;

    QString publisher() const { return publisherUser + u'@' + publisherHost; }
};

} // namespace dcr
