#include "HistoryStore.h"

#include "HistoryRowId.h"
#include "HistorySchema.h"
#include "ServerLink.h"
#include "SharedHistory.h"
#include "SqlHistory.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace dcr {

static_assert(HistoryStore::SchemaVersion == HistorySchema::Version);

namespace {

QList<HistoryRowId> rowIds(const QList<qint64>& keys) {
    QList<HistoryRowId> out;
    for (qint64 key : keys)
        out << HistoryRowId::fromKey(key);
    return out;
}

} // namespace

HistoryStore::HistoryStore(HistoryLocation location, HistoryOptions options)
    : m_location(std::move(location))
    , m_options(std::move(options))
    , m_writer(m_options.writer.user.isEmpty() ? WriterIdentity::current() : m_options.writer) {}

HistoryStore::~HistoryStore() = default;

QStringList HistoryStore::firstSchemaSql() {
    return HistorySchema::firstSql();
}

QStringList HistoryStore::schemaSqlUpTo(const HistoryDialect& dialect, int version) {
    return HistorySchema::sqlUpTo(dialect, version);
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& location,
                                                         int busyTimeoutMs) {
    HistoryOptions options;
    options.busyTimeoutMs = busyTimeoutMs;
    return open(location, options);
}

Result<std::unique_ptr<HistoryStore>> HistoryStore::open(const QString& location,
                                                         const HistoryOptions& options) {
    auto parsed = HistoryLocation::parse(location);
    if (!parsed)
        return parsed.error();
    std::unique_ptr<HistoryStore> store(new HistoryStore(*parsed, options));
    if (parsed->isShared()) {
        auto shared = SharedHistory::open(*parsed, options, store->m_writer);
        if (!shared)
            return shared.error();
        store->m_shared = std::move(shared.value());
    } else {
        auto file = SqlHistory::openFile(*parsed, options);
        if (!file)
            return file.error();
        store->m_sql = std::move(file.value());
    }
    return store;
}

QString HistoryStore::outageNotice(Connection connection, const QString& problem) {
    return ServerLink::outageNotice(connection, problem);
}

QString HistoryStore::localSecretStore() const {
    return m_shared ? m_shared->localSecretStore() : QString();
}

Status HistoryStore::flushSecrets(int timeoutMs) {
    return m_shared ? m_shared->flushSecrets(timeoutMs) : Status{};
}

QString HistoryStore::recoveryNotice() const {
    return m_shared ? m_shared->recoveryNotice() : m_sql->recoveryNotice();
}

int HistoryStore::interruptedOnOpen() const {
    return m_shared ? m_shared->interruptedOnOpen() : m_sql->interruptedOnOpen();
}

int HistoryStore::schemaVersion() {
    return m_shared ? m_shared->schemaVersion() : m_sql->schemaVersion();
}

QString HistoryStore::connectionName() const {
    return m_shared ? m_shared->connectionName() : m_sql->connectionName();
}

HistoryStore::Connection HistoryStore::connection() const {
    return m_shared ? m_shared->link().state() : Connection::Connected;
}

QString HistoryStore::connectionProblem() const {
    return m_shared ? m_shared->link().problem() : QString();
}

Status HistoryStore::reconnect() {
    return m_shared ? m_shared->reconnect() : Status{};
}

Status HistoryStore::probe() {
    return m_shared ? m_shared->probe() : Status{};
}

Result<qint64> HistoryStore::begin(const SubmissionStart& start) {
    const SubmissionRecord row =
        SubmissionRecord::begun(start, m_writer, m_options.clockOrSystem().now());
    if (!m_shared)
        return m_sql->insert(row, {});
    auto id = m_shared->begin(row);
    if (!id)
        return id.error();
    return id->key();
}

Status HistoryStore::complete(qint64 id, const HttpExchange& e,
                              const RegistrationOutcome* outcome) {
    if (m_shared)
        return m_shared->complete(HistoryRowId::fromKey(id), e, outcome);
    if (HistoryRowId::fromKey(id).isInOutbox())
        return Error{ErrorKind::StorageNotFound, tr("history entry %1 does not exist").arg(id)};
    SubmissionRecord answered;
    answered.recordAnswer(e, outcome, m_options.clockOrSystem().now());
    return m_sql->recordAnswer(id, answered, outcome ? outcome->clientId() : QString());
}

qint64 HistoryStore::unsharedCount() const {
    return m_shared ? m_shared->unsharedCount() : 0;
}

Result<qint64> HistoryStore::shareOutbox() {
    return m_shared ? m_shared->shareOutbox() : Result<qint64>(qint64(0));
}

Result<HistoryPage> HistoryStore::page(const HistoryQuery& query,
                                       const std::optional<HistoryCursor>& after, int limit) {
    return m_shared ? m_shared->page(query, after, limit) : m_sql->page(query, after, limit);
}

Result<qint64> HistoryStore::count(const HistoryQuery& query) {
    return m_shared ? m_shared->count(query) : m_sql->count(query);
}

Result<SubmissionRecord> HistoryStore::get(qint64 id) {
    return m_shared ? m_shared->get(HistoryRowId::fromKey(id)) : m_sql->get(id);
}

Result<QList<SubmissionRecord>> HistoryStore::clientRecords(const QString& profile) {
    return m_shared ? m_shared->clientRecords(profile) : m_sql->clientRecords(profile);
}

Status HistoryStore::remove(const QList<qint64>& ids) {
    if (m_shared)
        return m_shared->remove(rowIds(ids));
    for (qint64 id : ids)
        if (HistoryRowId::fromKey(id).isInOutbox())
            return Error{ErrorKind::StorageNotFound, tr("no outbox in this history")};
    return m_sql->remove(ids);
}

Status HistoryStore::setNote(qint64 id, const QString& note, const QStringList& tags) {
    return m_shared ? m_shared->setNote(HistoryRowId::fromKey(id), note, tags)
                    : m_sql->setNote(id, note, tags);
}

Status HistoryStore::forgetSecrets(const QList<qint64>& ids) {
    return m_shared ? m_shared->forgetSecrets(rowIds(ids)) : m_sql->forgetSecrets(ids);
}

Result<qint64> HistoryStore::importFrom(const QString& otherPath) {
    // Opening migrates the other file to this schema version (and marks its stale rows
    // interrupted).
    auto other = open(otherPath);
    if (!other)
        return other.error();
    if ((*other)->schemaVersion() != SchemaVersion)
        return Error{ErrorKind::StorageUnavailable, tr("%1 has schema version %2, not %3")
                                                        .arg(otherPath)
                                                        .arg((*other)->schemaVersion())
                                                        .arg(SchemaVersion)};
    if (!(*other)->m_sql)
        return Error{
            ErrorKind::StorageUnavailable,
            tr("%1 is a shared history; only a history file can be imported").arg(otherPath)};
    const SqlHistory& source = *(*other)->m_sql;
    const QString what = tr("importing the rows of %1").arg(otherPath);
    if (m_shared)
        return m_shared->importFrom(source, what);
    return m_sql->importRows(source, what, [this](const SubmissionRecord& row) {
        return m_sql->insert(row, QStringLiteral("DO NOTHING"));
    });
}

Result<QByteArray> HistoryStore::exportJson(const QList<qint64>& ids, bool revealSecrets) {
    QJsonArray out;
    for (qint64 id : ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        out.append(r->toJson(revealSecrets));
    }
    return QJsonDocument(out).toJson(QJsonDocument::Indented);
}

Result<QString> HistoryStore::exportCurl(const QList<qint64>& ids) {
    QStringList commands;
    for (qint64 id : ids) {
        auto r = get(id);
        if (!r)
            return r.error();
        // A shell comment in the copied text: the same words whatever the language.
        commands << QStringLiteral("# history entry %1, %2, %3\n")
                            .arg(r->id)
                            .arg(r->created.toString(Qt::ISODate), r->outcome) +
                        r->toCurl();
    }
    return commands.join(QStringLiteral("\n\n")) + u'\n';
}

Error HistoryStore::notShared() const {
    return Error{ErrorKind::StorageUnavailable,
                 tr("team runs and profiles need a shared (PostgreSQL) history; this history is "
                    "the file %1 (set the history location to a postgresql:// URL, or "
                    "DCR_HISTORY_DB)")
                     .arg(path())};
}

Result<bool> HistoryStore::shareTestRun(const TeamRun& run) {
    if (!m_shared)
        return notShared();
    return m_shared->shareTestRun(run);
}

Result<QList<TeamRun>> HistoryStore::teamRuns(int limit) {
    if (!m_shared)
        return notShared();
    return m_shared->teamRuns(limit);
}

Result<TeamRun> HistoryStore::teamRun(const QString& runId) {
    if (!m_shared)
        return notShared();
    return m_shared->teamRun(runId);
}

Status HistoryStore::publishProfile(const TeamProfile& profile, bool replace) {
    if (!m_shared)
        return notShared();
    return m_shared->publishProfile(profile, replace);
}

Result<QList<TeamProfile>> HistoryStore::teamProfiles() {
    if (!m_shared)
        return notShared();
    return m_shared->teamProfiles();
}

Result<TeamProfile> HistoryStore::teamProfile(const QString& name) {
    if (!m_shared)
        return notShared();
    return m_shared->teamProfile(name);
}

} // namespace dcr
