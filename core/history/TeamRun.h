#pragma once

#include <QDateTime>
#include <QJsonObject>
#include <QString>

namespace dcr {

// A test run's summary as a team history shares it (table test_runs, schema version 7): who ran
// it (the writer identity of the store that shared it, never what the summary itself claims),
// where, what against, the counts a list shows, and the whole summary (per-scenario results) as
// JSON with its secrets masked (TeamEvidence::sharedSummary). The history floor does not know
// what a test run is: the test plan floor fills and reads `summary`.
struct TeamRun {
    qint64 id = 0; // the server's row id
    QString runId; // the run's own id (8 hex digits), unique in the table
    QString writerUser;
    QString writerHost; // the machine it ran on
    QDateTime started;
    QDateTime finished;
    QString plan;
    QString profile;
    QString target; // where the requests went (the profile's registration URL)
    QString spec;
    int passed = 0;
    int failed = 0;
    int skipped = 0;
    int errors = 0;
    QString endNote; // "cancelled", "stopped: …", or empty
    QJsonObject summary;

    // "user@host", as WriterIdentity::person() says it.
    QString person() const { return writerUser + u'@' + writerHost; }
};

} // namespace dcr
