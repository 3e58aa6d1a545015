#pragma once

#include "Certificate.h"
#include "Key.h"
#include "common/Result.h"

#include <QList>
#include <QStringList>

namespace dcr {

struct JwkSetEntry {
    Key key;
    QString kid;
    QString alg;
    QString use;
    QList<Certificate> x5c;
};

// A parsed JWKS. Keys this tool cannot use (unknown kty, other curves) are skipped with a
// warning rather than failing the whole set, because directories publish mixed sets.
class JwkSet {
public:
    static Result<JwkSet> parse(const QByteArray& json);
    static Result<JwkSet> fromJson(const QJsonObject& object);
    static JwkSet single(const Key& key, const QString& kid = {});

    const QList<JwkSetEntry>& entries() const { return m_entries; }
    const QStringList& warnings() const { return m_warnings; }
    bool isEmpty() const { return m_entries.isEmpty(); }

    // The key for a JWS header's kid. An empty kid selects the only key of a one-key set.
    Result<JwkSetEntry> select(const QString& kid) const;

    QByteArray toJson() const;

private:
    QList<JwkSetEntry> m_entries;
    QStringList m_warnings;
};

} // namespace dcr
