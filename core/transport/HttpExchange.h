#pragma once

#include "common/Error.h"
#include "registration/RegistrationOutcome.h"

#include <QDateTime>
#include <QJsonObject>
#include <QMetaType>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace dcr {

// One HTTP request and what came back (or why nothing did), captured as a value so it can be
// shown, stored and exported without the network objects that produced it.
struct HttpExchange {
    QByteArray method;
    QUrl url;
    HeaderList requestHeaders;
    QByteArray requestBody;

    int status = 0;
    QByteArray reason;
    HeaderList responseHeaders;
    QByteArray responseBody;
    bool truncated = false; // the body was cut at the size cap

    QDateTime started;
    qint64 elapsedMs = 0;
    qint64 firstByteMs = -1;

    QString tlsProtocol;
    QString tlsCipher;
    QStringList peerChain; // subject DNs, leaf first
    bool insecure = false; // TLS verification was switched off for this exchange

    std::optional<Error> failure; // transport failure; status is 0 when nothing was received

    bool completed() const { return !failure.has_value(); }
    QString responseHeader(const QByteArray& name) const;
    QJsonObject toJson(bool revealSecrets = false) const;
};

// Names that hold credentials in DCR responses and requests.
bool isSecretField(const QString& name);
// Replaces the values of secret fields in a JSON body (and Authorization headers) with a mask.
QByteArray maskSecretsInJson(const QByteArray& body);
QByteArray maskHeaderValue(const QByteArray& name, const QByteArray& value);
QString failureClassName(ErrorKind kind);

} // namespace dcr

Q_DECLARE_METATYPE(dcr::HttpExchange)
