#pragma once

#include "jose/DnComparison.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>

namespace dcr {

class Certificate;

// The subject DN a bank echoes back in a client's metadata (tls_client_auth_subject_dn, or OBIE
// 3.1's tls_client_auth_dn), compared by meaning with the transport certificate the request was
// sent with. A bank that stored another DN than the certificate's (one without
// organizationIdentifier, as Go before 1.15 wrote it) refuses that certificate later, at the
// token endpoint, where nothing says why; the registration's answer is the place to say it.
struct EchoedSubjectDn {
    QString claim;              // the metadata member the bank wrote it in
    QString echoed;             // as the bank wrote it
    QString certificateSubject; // the certificate's subject, RFC 4514 with attribute names
    QString unreadable;         // why the echoed DN could not be read; empty when it was
    QStringList differences;    // one sentence each: "the bank's DN lacks 2.5.4.97 ..."

    bool sameByMeaning() const { return unreadable.isEmpty() && differences.isEmpty(); }
    // Everything wrong with it, one sentence a line; empty when it is the same by meaning.
    QStringList problems() const;
    QJsonObject toJson() const;
};

// Each subject DN claim of `client` (a registered client's metadata) compared with `certificate`.
// Empty when the client carries none, or when no certificate is known (a request sent without
// mutual TLS): there is nothing to compare with.
QList<EchoedSubjectDn> compareEchoedSubjectDns(const QJsonObject& client,
                                               const Certificate& certificate);

// The differences of DnComparison, said of the bank's DN rather than "the given DN".
QString bankDnDifference(const DnDifference& difference);

} // namespace dcr
