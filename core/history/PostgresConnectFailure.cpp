#include "PostgresConnectFailure.h"

#include "WriterIdentity.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct PostgresConnectFailureTr {
    Q_DECLARE_TR_FUNCTIONS(PostgresConnectFailure)
};

bool has(const QString& text, const char* pattern) {
    return QRegularExpression(QString::fromLatin1(pattern),
                              QRegularExpression::CaseInsensitiveOption)
        .match(text)
        .hasMatch();
}

// The user libpq logs in as: the URL's, else $PGUSER, else the login name.
QString loginUser(const HistoryLocation& location) {
    if (!location.user.isEmpty())
        return location.user;
    const QString fromEnvironment = qEnvironmentVariable("PGUSER");
    return fromEnvironment.isEmpty() ? WriterIdentity::current().user : fromEnvironment;
}

// Where libpq looks for the password: named, so the user edits the right file.
QString passwordFileAdvice(const HistoryLocation& location, const QString& user) {
    const QString passFile = qEnvironmentVariable("PGPASSFILE");
    return PostgresConnectFailureTr::tr(
               "put the password in ~/.pgpass or $PGPASSFILE%1, as a line "
               "%2:%3:%4:%5:PASSWORD, mode 0600 (libpq ignores a file others can read)")
        .arg(passFile.isEmpty() ? QString()
                                : PostgresConnectFailureTr::tr(" (now %1)").arg(passFile),
             location.host)
        .arg(location.port)
        .arg(location.database, user);
}

} // namespace

PostgresConnectFailure PostgresConnectFailure::classify(const QString& libpqMessage) {
    PostgresConnectFailure f;
    f.serverText = libpqMessage.simplified();
    const QString& t = f.serverText;
    if (has(t, "no password supplied"))
        f.reason = Reason::PasswordMissing;
    else if (has(t, "password authentication failed"))
        f.reason = Reason::PasswordRejected;
    else if (has(t, "no pg_hba\\.conf entry|pg_hba\\.conf rejects connection"))
        f.reason = Reason::NotAllowed;
    else if (has(t, "database \"[^\"]*\" does not exist"))
        f.reason = Reason::DatabaseMissing;
    else if (has(t, "role \"[^\"]*\" does not exist"))
        f.reason = Reason::RoleMissing;
    else if (has(t, "authentication failed|permission denied for database|does not have "
                    "CONNECT privilege|not permitted to log in"))
        f.reason = Reason::OtherRefusal;
    return f;
}

Error PostgresConnectFailure::toError(const HistoryLocation& location) const {
    if (!loginRefused())
        return {ErrorKind::StorageUnavailable,
                PostgresConnectFailureTr::tr(
                    "cannot reach the PostgreSQL history at %1: %2 (check that the "
                    "server runs and accepts connections from this machine, and the "
                    "host and port of the URL)")
                    .arg(location.display(), serverText)};
    const QString user = loginUser(location);
    QString what;
    QString fix;
    switch (reason) {
    case Reason::PasswordMissing:
        what = PostgresConnectFailureTr::tr("no password for user \"%1\" was found").arg(user);
        fix = passwordFileAdvice(location, user);
        break;
    case Reason::PasswordRejected:
        what = PostgresConnectFailureTr::tr(
                   "the password of user \"%1\" was rejected (or the role does not "
                   "exist)")
                   .arg(user);
        fix = passwordFileAdvice(location, user) +
              PostgresConnectFailureTr::tr(
                  "; a missing role is created by the administrator: sudo -u postgres "
                  "createuser --pwprompt %1")
                  .arg(user);
        break;
    case Reason::NotAllowed:
        what = PostgresConnectFailureTr::tr(
                   "the server does not let user \"%1\" connect from this machine to "
                   "database \"%2\" (pg_hba.conf)")
                   .arg(user, location.database);
        fix = PostgresConnectFailureTr::tr(
                  "ask the database administrator to add a line for it to pg_hba.conf, "
                  "e.g. hostssl %1 %2 <this machine's address> scram-sha-256, and to "
                  "reload the server")
                  .arg(location.database, user);
        break;
    case Reason::DatabaseMissing:
        what = PostgresConnectFailureTr::tr("the database \"%1\" does not exist")
                   .arg(location.database);
        fix = PostgresConnectFailureTr::tr(
                  "create it: sudo -u postgres createdb --owner=%1 --encoding=UTF8 "
                  "--locale=C.UTF-8 --template=template0 %2 (docs/admin-guide.md, Team history on "
                  "PostgreSQL)")
                  .arg(user, location.database);
        break;
    case Reason::RoleMissing:
        what = PostgresConnectFailureTr::tr("the role \"%1\" does not exist").arg(user);
        fix = PostgresConnectFailureTr::tr(
                  "create it: sudo -u postgres createuser --pwprompt %1, or name an "
                  "existing user in the URL")
                  .arg(user);
        break;
    case Reason::OtherRefusal:
    case Reason::Unreachable:
        what = PostgresConnectFailureTr::tr("user \"%1\" may not log in to database \"%2\"")
                   .arg(user, location.database);
        fix = PostgresConnectFailureTr::tr(
            "check the user in the URL and the server's pg_hba.conf and grants");
        break;
    }
    return {ErrorKind::StorageLoginRefused,
            PostgresConnectFailureTr::tr(
                "the PostgreSQL server of the shared history %1 refused the login: %2; "
                "%3 (server: %4)")
                .arg(location.display(), what, fix, serverText)};
}

} // namespace dcr
