#pragma once

#include "common/Result.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>

namespace dcr {

// An RFC 7512 "pkcs11:" URI naming a key or certificate in a hardware token, e.g.
// pkcs11:token=prod-hsm;object=tpp-signing;type=private?pin-value=1234
// Path attributes select the object; the query may carry pin-value, pin-source (a file holding
// the PIN) and module-path. The PIN is never part of what this class shows: displayString() drops
// it, so errors and logs can name the URI safely.
class Pkcs11Uri {
public:
    static bool looksLike(const QString& text); // starts with "pkcs11:" (case-insensitive)
    static Result<Pkcs11Uri> parse(const QString& text);

    // The decoded value of a path attribute ("token", "object", "type", "id", ...); empty if
    // absent.
    QByteArray pathValue(const QString& name) const;
    bool hasPath(const QString& name) const;
    QByteArray pinValue() const { return m_pinValue; }
    QString pinSource() const { return m_pinSource; }
    QString modulePath() const { return m_modulePath; }

    // The URI without pin-value (and without pin-source's file content, which it never holds).
    QString displayString() const;
    // The URI handed to OpenSSL's pkcs11 engine: path attributes only, with type= set to the
    // given object type ("private", "public", "cert") when the URI does not name one.
    QString engineUri(const QString& type) const;
    // The same URI selecting another object type with the same token/object/id.
    Pkcs11Uri withType(const QString& type) const;

private:
    QList<QPair<QString, QByteArray>> m_path; // decoded values, in order
    QByteArray m_pinValue;
    QString m_pinSource;
    QString m_modulePath;
};

// "pkcs11:" URI attribute value encoding (RFC 7512 2.3: pchar minus the delimiters, everything
// else percent-encoded).
QString pkcs11PercentEncode(const QByteArray& value);

// Removes a pin-value query attribute from any text that looks like a pkcs11: URI (a no-op for file
// paths), so profiles and messages never hold a PIN.
QString withoutPinValue(const QString& keySource);

} // namespace dcr
