#include "SharedHistory.h"

#include "HistorySql.h"
#include "KeychainModuleLoader.h"
#include "SharedRowForm.h"
#include "TeamEvidence.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFileInfo>
#include <QSqlQuery>
#include <QUuid>

#include <algorithm>

namespace dcr {

namespace {

QString newUid() {
    return QUuid::createUuid().toString(QUuid::WithoutBraces);
}

} // namespace

SharedHistory::SharedHistory(const HistoryLocation& location, const HistoryOptions& options,
                             const WriterIdentity& writer, std::unique_ptr<SqlHistory> local,
                             const QString& localPath)
    : m_options(options)
    , m_writer(writer)
    , m_local(std::move(local))
    , m_fileSecrets(std::make_unique<FileSecretStore>(m_local->connectionName(), location.display(),
                                                      localPath))
    , m_server(SqlHistory::server(location, options))
    , m_link(*m_server, location, options, writer) {}

SharedHistory::~SharedHistory() = default;

QString SharedHistory::localPathFor(const HistoryLocation& location, const QString& base) {
    const QByteArray server = QStringLiteral("%1:%2/%3")
                                  .arg(location.host)
                                  .arg(location.port)
                                  .arg(location.database)
                                  .toUtf8();
    const QString tag = QString::fromLatin1(
        QCryptographicHash::hash(server, QCryptographicHash::Sha1).toHex().left(8));
    const QFileInfo info(base);
    return info.dir().filePath(info.completeBaseName() + u'-' + tag + u'.' + info.suffix());
}

Result<std::unique_ptr<SharedHistory>> SharedHistory::open(const HistoryLocation& location,
                                                           const HistoryOptions& options,
                                                           const WriterIdentity& writer) {
    if (!QSqlDatabase::isDriverAvailable(QStringLiteral("QPSQL")))
        return Error{ErrorKind::StorageUnavailable,
                     tr("the history at %1 is a PostgreSQL database, but Qt's QPSQL driver is not "
                        "installed (Debian: apt install libqt6sql6-psql)")
                         .arg(location.display())};
    if (options.localPath.isEmpty())
        return Error{ErrorKind::StorageUnavailable,
                     tr("a shared history needs a local file for its outbox and this machine's "
                        "secrets; none was given")};
    const QString localPath = localPathFor(location, options.localPath);
    auto local = SqlHistory::openFile(*HistoryLocation::parse(localPath), options);
    if (!local)
        return Error{local.error().kind,
                     tr("the local file of the shared history: ") + local.error().message};
    // The local file of a shared history also keeps this machine's secrets, by row uid.
    if (auto ok = FileSecretStore::prepare((*local)->connectionName()); !ok)
        return ok.error();

    std::unique_ptr<SharedHistory> store(
        new SharedHistory(location, options, writer, std::move(local.value()), localPath));
    store->openKeychain(location, options);
    if (!options.connectAtOpen) {
        store->m_link.startUnconnected(); // the owner connects later (reconnect())
    } else if (auto ok = store->m_link.connect(); !ok) {
        if (!store->m_link.isDown())
            return ok.error(); // reached, but refused (schema, permissions): not an outage
        store->m_recoveryNotice =
            ServerLink::outageNotice(store->m_link.state(), ok.error().message);
    }
    return store;
}

int SharedHistory::interruptedOnOpen() const {
    return m_server->interruptedOnOpen() + m_local->interruptedOnOpen();
}

int SharedHistory::schemaVersion() {
    return m_link.ready() ? m_server->schemaVersion() : 0;
}

Status SharedHistory::probe() {
    auto db = m_link.ready();
    if (!db)
        return db.error();
    if (auto q = history_sql::exec(*db, QStringLiteral("SELECT 1"), {}, tr("reaching the server"));
        !q) {
        m_link.noteFailure();
        return q.error();
    }
    return {};
}

// --- secrets and the shared form

// The secrets go to the desktop keychain when its service answers (decided once per session), else
// to the local file. The keychain code is a module loaded now, the first time a shared history
// needs it (KeychainModuleLoader); one that does not load leaves the secrets in the file, as no
// keychain service does, and localSecretStore() says why.
void SharedHistory::openKeychain(const HistoryLocation& location, const HistoryOptions& options) {
    auto module = KeychainModuleLoader::load();
    if (!module) {
        m_keychainMissing = module.error().message;
        return;
    }
    if (!(*module)->serviceRunning())
        return;
    auto keychain = (*module)->open(
        QStringLiteral("%1:%2/%3").arg(location.host).arg(location.port).arg(location.database),
        *m_fileSecrets);
    // Secrets an earlier process left waiting in the file go on to the keychain now; the store
    // that writes does it (not the reader's, which would only copy them twice).
    if (options.sweepInterrupted)
        keychain->resumePending();
    m_keychainSecrets = std::move(keychain);
}

LocalSecretStore* SharedHistory::secretStore() const {
    if (m_keychainSecrets)
        return m_keychainSecrets.get();
    return m_fileSecrets.get();
}

QString SharedHistory::localSecretStore() const {
    if (m_keychainMissing.isEmpty())
        return secretStore()->description();
    return tr("%1, not the desktop keychain: %2")
        .arg(secretStore()->description(), m_keychainMissing);
}

Status SharedHistory::flushSecrets(int timeoutMs) {
    if (!m_keychainSecrets)
        return {};
    const int left = m_keychainSecrets->flush(timeoutMs);
    if (left == 0)
        return {};
    return Error{ErrorKind::StorageUnavailable,
                 tr("the desktop keychain did not answer within %1 s for %n row(s); secrets still "
                    "to be copied stay in the %2 (mode 0600, this machine only) and go to the "
                    "keychain, and deletions are repeated, the next time the history is opened",
                    nullptr, left)
                     .arg(timeoutMs / 1000.0)
                     .arg(m_fileSecrets->description())};
}

// Deletes this machine's copy of rows' secrets (afterWhat: what was already done, for the
// message). No event loop runs: the keychain confirms its deletions later.
Status SharedHistory::forgetLocalSecrets(const QStringList& uids, const QString& afterWhat) {
    for (const QString& uid : uids)
        if (auto ok = secretStore()->forget(uid); !ok)
            return Error{ok.error().kind,
                         tr("%1, but this machine's copy of their secrets was not: %2")
                             .arg(afterWhat, ok.error().message)};
    return {};
}

Status SharedHistory::keepSecretsLocally(const SubmissionRecord& full) {
    if (!shared_row_form::carriesSecrets(full))
        return {};
    return secretStore()->keep(
        full.uid, LocalSecrets{full.requestJwt, full.requestClaims, full.responseBody});
}

void SharedHistory::restoreLocalSecrets(SubmissionRecord& r) const {
    if (r.secretsHolder.isEmpty())
        return;
    const auto secrets = secretStore()->find(r.uid);
    if (!secrets) {
        r.secretsElsewhere = true;
        return;
    }
    r.requestJwt = secrets->requestJwt;
    r.requestClaims = secrets->requestClaims;
    r.responseBody = secrets->responseBody;
}

SubmissionRecord SharedHistory::sharedForm(const SubmissionRecord& full) const {
    return shared_row_form::of(full, m_writer.person());
}

// --- writing, and the outbox

Result<qint64> SharedHistory::insert(const SubmissionRecord& record, const QString& onConflict) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    return m_server->insert(record, onConflict);
}

Result<HistoryRowId> SharedHistory::keepInOutbox(const SubmissionRecord& record) {
    auto id = m_local->insert(record, QStringLiteral("DO UPDATE"));
    if (!id)
        return Error{id.error().kind,
                     tr("the shared history is unreachable and the local outbox failed too: ") +
                         id.error().message};
    return HistoryRowId::inOutbox(*id);
}

Result<HistoryRowId> SharedHistory::begin(const SubmissionRecord& r) {
    // The secrets are safe on this machine before anything reaches the server.
    if (auto ok = keepSecretsLocally(r); !ok)
        return ok.error();
    auto id = insert(sharedForm(r), {});
    if (id) {
        m_inFlight.insert(*id, r);
        return HistoryRowId::inHistory(*id);
    }
    m_link.noteFailure();
    if (!m_link.isDown())
        return id.error();
    return keepInOutbox(r);
}

Status SharedHistory::complete(HistoryRowId id, const HttpExchange& e,
                               const RegistrationOutcome* outcome) {
    const QDateTime now = m_options.clockOrSystem().now();
    const QString clientId = outcome ? outcome->clientId() : QString();
    if (id.isInOutbox()) {
        SubmissionRecord answered;
        answered.recordAnswer(e, outcome, now);
        auto ok = m_local->recordAnswer(id.row, answered, clientId);
        if (ok)
            (void)shareOutbox(); // a failure leaves the row in the outbox for the next try
        return ok;
    }
    // The whole row is needed to keep it in the outbox if the server is gone by now.
    SubmissionRecord full;
    if (auto it = m_inFlight.find(id.row); it != m_inFlight.end()) {
        full = *it;
        m_inFlight.erase(it);
    } else if (auto row = get(id); row) {
        full = *row;
    }
    full.recordAnswer(e, outcome, now);
    if (auto ok = keepSecretsLocally(full); !ok)
        return ok;
    auto db = m_link.ready();
    const Status written =
        db ? m_server->recordAnswer(id.row, sharedForm(full), clientId) : Status(db.error());
    if (!written && written.error().kind != ErrorKind::StorageNotFound) {
        m_link.noteFailure();
        if (m_link.isDown() && !full.uid.isEmpty()) {
            // Uploaded over the server's "sending" row when it returns (same uid).
            if (auto kept = keepInOutbox(full); !kept)
                return kept.error();
            return {};
        }
    }
    return written;
}

qint64 SharedHistory::unsharedCount() const {
    auto n = m_local->count();
    return n ? *n : 0;
}

Result<qint64> SharedHistory::shareOutbox() {
    if (unsharedCount() == 0)
        return qint64(0);
    if (auto db = m_link.ready(); !db)
        return db.error();
    // A row still being sent waits for its answer.
    auto waiting = m_local->rowIds(/*finishedOnly=*/true);
    if (!waiting)
        return waiting.error();
    qint64 uploaded = 0;
    for (qint64 localId : *waiting) {
        auto full = m_local->get(localId);
        if (!full)
            return full.error();
        if (full->uid.isEmpty())
            full->uid = newUid();
        if (auto ok = keepSecretsLocally(*full); !ok)
            return ok.error();
        if (auto up = insert(sharedForm(*full), QStringLiteral("DO UPDATE")); !up) {
            m_link.noteFailure();
            return up.error();
        }
        if (auto ok = m_local->remove({localId}); !ok)
            return ok.error();
        ++uploaded;
    }
    return uploaded;
}

// --- reading and editing

Result<HistoryPage> SharedHistory::page(const HistoryQuery& query,
                                        const std::optional<HistoryCursor>& after, int limit) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    auto page = m_server->page(query, after, limit);
    if (!page)
        m_link.noteFailure();
    return page;
}

Result<qint64> SharedHistory::count(const HistoryQuery& query) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    auto n = m_server->count(query);
    if (!n)
        m_link.noteFailure();
    return n;
}

Result<SubmissionRecord> SharedHistory::get(HistoryRowId id) {
    if (id.isInOutbox()) {
        auto r = m_local->get(id.row);
        if (!r)
            return r.error();
        r->id = id.key();
        r->unshared = true;
        return r;
    }
    if (auto db = m_link.ready(); !db)
        return db.error();
    auto r = m_server->get(id.row);
    if (!r) {
        if (r.error().kind != ErrorKind::StorageNotFound)
            m_link.noteFailure();
        return r.error();
    }
    SubmissionRecord row = std::move(r.value());
    restoreLocalSecrets(row);
    return row;
}

Result<QList<SubmissionRecord>> SharedHistory::clientRecords(const QString& profile) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    auto ids = m_server->clientRecordIds(profile);
    if (!ids) {
        m_link.noteFailure();
        return ids.error();
    }
    QList<SubmissionRecord> out;
    for (qint64 id : *ids) {
        auto r = get(HistoryRowId::inHistory(id));
        if (!r)
            return r.error();
        out << *r;
    }
    // A client registered while the server was away is managed from here meanwhile.
    auto waiting = m_local->clientRecords(profile);
    if (!waiting)
        return waiting.error();
    for (SubmissionRecord r : *waiting) {
        r.id = HistoryRowId::inOutbox(r.id).key();
        r.unshared = true;
        out << r;
    }
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return a.created < b.created; });
    return out;
}

Status SharedHistory::remove(const QList<HistoryRowId>& ids) {
    QList<qint64> outbox;
    QList<qint64> here;
    for (const HistoryRowId& id : ids)
        (id.isInOutbox() ? outbox : here) << id.row;
    if (!here.isEmpty())
        if (auto db = m_link.ready(); !db)
            return db.error();
    // A deleted row's secrets kept on this machine go with it: found by the rows' uids (the
    // shared form is enough; the secrets themselves are not read).
    QStringList uids;
    for (qint64 id : here)
        if (auto r = m_server->get(id); r && !r->uid.isEmpty())
            uids << r->uid;
    for (qint64 id : outbox)
        if (auto r = m_local->get(id); r && !r->uid.isEmpty())
            uids << r->uid;
    if (!outbox.isEmpty())
        if (auto ok = m_local->remove(outbox); !ok)
            return ok;
    if (!here.isEmpty())
        if (auto ok = m_server->remove(here); !ok)
            return ok;
    return forgetLocalSecrets(uids, tr("the entries were deleted"));
}

Status SharedHistory::setNote(HistoryRowId id, const QString& note, const QStringList& tags) {
    if (id.isInOutbox())
        return m_local->setNote(id.row, note, tags);
    if (auto db = m_link.ready(); !db)
        return db.error();
    return m_server->setNote(id.row, note, tags);
}

Status SharedHistory::forgetSecrets(const QList<HistoryRowId>& ids) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    const QString what = tr("forgetting secrets");
    if (auto ok = m_server->beginTransaction(what); !ok)
        return ok;
    QStringList uids;
    for (const HistoryRowId& id : ids) {
        if (id.isInOutbox()) {
            if (auto ok = m_local->forgetSecrets({id.row}); !ok) {
                m_server->rollback();
                return ok;
            }
            // begin() kept its secrets in this machine's store too.
            if (auto waiting = m_local->get(id.row); waiting && !waiting->uid.isEmpty())
                uids << waiting->uid;
            continue;
        }
        auto record = m_server->get(id.row);
        if (!record) {
            m_server->rollback();
            return record.error();
        }
        // The body is forgotten from this machine's clear copy when the local file holds it (read
        // at once); otherwise from the shared form, whose secrets are masked already. The keychain
        // is not read: no event loop runs inside the transaction.
        if (!record->uid.isEmpty()) {
            if (auto clear = m_fileSecrets->find(record->uid))
                record->responseBody = clear->responseBody;
            uids << record->uid;
        }
        if (auto ok = m_server->storeForgottenBody(
                id.row, forgetSecretsInBody(record->responseBody, record->responseContentType()));
            !ok) {
            m_server->rollback();
            return ok;
        }
    }
    if (auto ok = m_server->commit(what); !ok)
        return ok;
    return forgetLocalSecrets(uids, tr("the secrets were forgotten in the shared history"));
}

Result<qint64> SharedHistory::importFrom(const SqlHistory& source, const QString& what) {
    if (auto db = m_link.ready(); !db)
        return db.error();
    return m_server->importRows(source, what,
                                [this](const SubmissionRecord& row) -> Result<qint64> {
                                    if (auto ok = keepSecretsLocally(row); !ok)
                                        return ok.error();
                                    return insert(sharedForm(row), QStringLiteral("DO NOTHING"));
                                });
}

// --- what the team shares besides rows

template <typename Call> auto SharedHistory::onServer(Call call) -> decltype(call(QSqlDatabase())) {
    auto db = m_link.ready();
    if (!db)
        return db.error();
    auto result = call(*db);
    if (!result && result.error().kind != ErrorKind::StorageNotFound &&
        result.error().kind != ErrorKind::InputUnreadable)
        m_link.noteFailure();
    return result;
}

Result<bool> SharedHistory::shareTestRun(const TeamRun& run) {
    return onServer(
        [&](const QSqlDatabase& db) { return TeamEvidence::shareRun(db, run, m_writer); });
}

Result<QList<TeamRun>> SharedHistory::teamRuns(int limit) {
    return onServer([&](const QSqlDatabase& db) { return TeamEvidence::runs(db, limit); });
}

Result<TeamRun> SharedHistory::teamRun(const QString& runId) {
    return onServer([&](const QSqlDatabase& db) { return TeamEvidence::run(db, runId); });
}

Status SharedHistory::publishProfile(const TeamProfile& profile, bool replace) {
    TeamProfile stamped = profile;
    stamped.publishedAt = m_options.clockOrSystem().now();
    return onServer([&](const QSqlDatabase& db) {
        return TeamEvidence::publishProfile(db, stamped, m_writer, replace);
    });
}

Result<QList<TeamProfile>> SharedHistory::teamProfiles() {
    return onServer([&](const QSqlDatabase& db) { return TeamEvidence::profiles(db); });
}

Result<TeamProfile> SharedHistory::teamProfile(const QString& name) {
    return onServer([&](const QSqlDatabase& db) { return TeamEvidence::profile(db, name); });
}

} // namespace dcr
