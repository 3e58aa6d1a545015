// The shared history's link watcher on its own (SharedHistoryLink): what it probes, when a refused
// login is tried again (the back-off, driven by a hand-turned clock: no waiting), and what the
// user is told as the state changes. The store and the reader thread are stand-ins.
#include "history/HistoryReader.h"
#include "session/SharedHistoryLink.h"

#include <QSignalSpy>
#include <QTest>

using namespace dcr;
using Connection = HistoryStore::Connection;

namespace {

// The stand-in store and reader, and the clock, as the test sets them.
struct World {
    bool unreachable = true;
    std::optional<Error> reconnectError;
    Connection storeConnection = Connection::Unreachable;
    int probes = 0;
    int reconnects = 0;
    qint64 nowMs = 1000;

    SharedHistoryLink::Ports ports() {
        SharedHistoryLink::Ports p;
        p.serverUnreachable = [this] { return unreachable; };
        p.reconnect = [this]() -> Status {
            ++reconnects;
            if (reconnectError)
                return *reconnectError;
            unreachable = false;
            return {};
        };
        p.storeConnection = [this] { return storeConnection; };
        p.requestProbe = [this] { ++probes; };
        return p;
    }
};

HistoryAnswer answer(std::optional<Error> error = std::nullopt,
                     HistoryLane lane = HistoryLane::Probe) {
    HistoryAnswer a;
    a.lane = lane;
    if (error)
        a.value = std::move(*error);
    else
        a.value = ServerAnswered{};
    return a;
}

Error loginRefused() {
    return Error{ErrorKind::StorageLoginRefused,
                 QStringLiteral("the password of user \"qa\" was rejected")};
}

Error away() {
    return Error{ErrorKind::StorageUnavailable, QStringLiteral("connection refused")};
}

const QString kLocation = QStringLiteral("postgresql://db.example/dcr");

} // namespace

class TestSharedHistoryLink : public QObject {
    Q_OBJECT

    static std::unique_ptr<SharedHistoryLink> linkIn(World& w, Connection initial,
                                                     int retryMs = 100) {
        auto link = std::make_unique<SharedHistoryLink>(w.ports(), initial, QString(), kLocation);
        link->setClock([&w] { return w.nowMs; });
        link->start(retryMs);
        return link;
    }

private slots:
    void probesAtOnceOnlyWhenNotYetConnected() {
        World w;
        auto fresh = linkIn(w, Connection::NotYetConnected);
        QCOMPARE(w.probes, 1);
        World known;
        auto away = linkIn(known, Connection::Unreachable);
        QCOMPARE(known.probes, 0);
        away->retry();
        QCOMPARE(known.probes, 1);
    }

    // A refused login doubles the wait before the next probe, from the retry interval up to
    // MaxLoginRetryMs; a probe due before the wait is over is not made.
    void aRefusedLoginIsTriedLessAndLessOften() {
        World w;
        auto link = linkIn(w, Connection::NotYetConnected, 100);
        QSignalSpy notices(link.get(), &SharedHistoryLink::notice);
        QSignalSpy changed(link.get(), &SharedHistoryLink::connectionChanged);
        QCOMPARE(w.probes, 1);
        int expected = 100;
        for (int refusal = 0; refusal < 16; ++refusal) {
            link->onProbeAnswered(answer(loginRefused()));
            QCOMPARE(link->connection(), Connection::LoginRefused);
            QCOMPARE(link->loginRetryMs(), expected);
            const int probes = w.probes;
            w.nowMs += expected - 1;
            link->retry();
            QCOMPARE(w.probes, probes); // still waiting
            w.nowMs += 1;
            link->retry();
            QCOMPARE(w.probes, probes + 1);
            expected = std::min(2 * expected, SharedHistoryLink::MaxLoginRetryMs);
        }
        QCOMPARE(link->loginRetryMs(), SharedHistoryLink::MaxLoginRetryMs);
        // One notice and one change for the whole episode: each further refusal says nothing new.
        QCOMPARE(notices.count(), 1);
        const auto refused = notices.first().at(0).value<Notice>();
        QCOMPARE(refused.level, Notice::Level::Error);
        QVERIFY2(refused.text.contains(QStringLiteral("rejected")), qPrintable(refused.text));
        QCOMPARE(changed.count(), 1);
        QCOMPARE(link->problem(), loginRefused().message);
        // The server is merely away next: the back-off ends, the next probe is due at once.
        link->onProbeAnswered(answer(away()));
        QCOMPARE(link->connection(), Connection::Unreachable);
        QCOMPARE(link->loginRetryMs(), 0);
        QCOMPARE(notices.count(), 2);
        QCOMPARE(notices.last().at(0).value<Notice>().level, Notice::Level::Warning);
        const int probes = w.probes;
        link->retry();
        QCOMPARE(w.probes, probes + 1);
    }

    // The back-off starts from the retry interval the session was given.
    void theBackOffStartsFromTheRetryInterval() {
        World w;
        auto link = linkIn(w, Connection::Unreachable, SharedHistoryLink::ShareRetryMs);
        link->retry();
        link->onProbeAnswered(answer(loginRefused()));
        QCOMPARE(link->loginRetryMs(), SharedHistoryLink::ShareRetryMs);
        link->retry();
        link->onProbeAnswered(answer(loginRefused()));
        QCOMPARE(link->loginRetryMs(), 2 * SharedHistoryLink::ShareRetryMs);
    }

    // One probe at a time: an unanswered one holds the next back until ProbeAnswerMs passed.
    void oneProbeInFlightAtATime() {
        World w;
        auto link = linkIn(w, Connection::NotYetConnected, 5);
        QCOMPARE(w.probes, 1);
        for (int i = 0; i < 10; ++i) {
            w.nowMs += 5;
            link->retry();
        }
        QCOMPARE(w.probes, 1);
        w.nowMs += SharedHistoryLink::ProbeAnswerMs;
        link->retry();
        QCOMPARE(w.probes, 2);
        // Another lane's answer is not the probe's: it is still in flight.
        link->onProbeAnswered(answer(away(), HistoryLane::Page));
        QCOMPARE(link->connection(), Connection::NotYetConnected);
        link->retry();
        QCOMPARE(w.probes, 2);
        link->onProbeAnswered(answer(away()));
        link->retry();
        QCOMPARE(w.probes, 3);
    }

    // An answered probe reconnects the store; the session hears of it before the state becomes
    // Connected (it shares the outbox then), and the user reads that the server is back.
    void anAnsweredProbeReconnectsInOrder() {
        World w;
        auto link = linkIn(w, Connection::Unreachable);
        QStringList order;
        connect(link.get(), &SharedHistoryLink::serverAnswered, this, [&](bool reconnected) {
            order << QStringLiteral("answered %1").arg(reconnected);
            QCOMPARE(link->connection(), Connection::Unreachable);
        });
        connect(link.get(), &SharedHistoryLink::connectionChanged, this,
                [&] { order << QStringLiteral("changed"); });
        connect(link.get(), &SharedHistoryLink::notice, this,
                [&](const Notice& n) { order << n.text; });
        connect(link.get(), &SharedHistoryLink::connectedAfterProbe, this,
                [&] { order << QStringLiteral("connected"); });
        link->retry();
        link->onProbeAnswered(answer());
        QCOMPARE(w.reconnects, 1);
        QCOMPARE(link->connection(), Connection::Connected);
        QVERIFY(link->problem().isEmpty());
        QCOMPARE(order, (QStringList{QStringLiteral("answered 1"), QStringLiteral("changed"),
                                     QStringLiteral("Connected to the shared history at "
                                                    "postgresql://db.example/dcr."),
                                     QStringLiteral("connected")}));
        // Reachable now: the timer retries the outbox instead of probing.
        QSignalSpy due(link.get(), &SharedHistoryLink::outboxRetryDue);
        const int probes = w.probes;
        link->retry();
        QCOMPARE(due.count(), 1);
        QCOMPARE(w.probes, probes);
    }

    // The first connection of a store opened without connecting is no news to the user.
    void theFirstConnectionIsNotAnnounced() {
        World w;
        auto link = linkIn(w, Connection::NotYetConnected);
        QSignalSpy notices(link.get(), &SharedHistoryLink::notice);
        QSignalSpy answered(link.get(), &SharedHistoryLink::serverAnswered);
        link->onProbeAnswered(answer());
        QCOMPARE(link->connection(), Connection::Connected);
        QCOMPARE(notices.count(), 0);
        QCOMPARE(answered.count(), 1);
        QCOMPARE(answered.first().at(0).toBool(), true);
    }

    // The server answered, yet the store's own connection failed (its schema, say): not usable.
    void aFailedReconnectIsNotConnected() {
        World w;
        w.reconnectError = Error{ErrorKind::StorageUnavailable, QStringLiteral("schema too new")};
        w.storeConnection = Connection::Connected;
        auto link = linkIn(w, Connection::NotYetConnected);
        QSignalSpy answered(link.get(), &SharedHistoryLink::serverAnswered);
        QSignalSpy notices(link.get(), &SharedHistoryLink::notice);
        link->onProbeAnswered(answer());
        QCOMPARE(link->connection(), Connection::Unreachable);
        QCOMPARE(link->problem(), QStringLiteral("schema too new"));
        QCOMPARE(answered.count(), 0);
        QCOMPARE(notices.count(), 1);
        QCOMPARE(notices.first().at(0).value<Notice>().level, Notice::Level::Warning);
        // The store knows better (its login was refused): its state is taken.
        w.storeConnection = Connection::LoginRefused;
        link->onProbeAnswered(answer());
        QCOMPARE(link->connection(), Connection::LoginRefused);
    }

    // A store that is already connected when the probe answers is not reconnected again.
    void aConnectedStoreIsNotReconnected() {
        World w;
        w.unreachable = false;
        auto link = linkIn(w, Connection::NotYetConnected);
        QSignalSpy answered(link.get(), &SharedHistoryLink::serverAnswered);
        link->onProbeAnswered(answer());
        QCOMPARE(w.reconnects, 0);
        QCOMPARE(answered.first().at(0).toBool(), false);
        QCOMPARE(link->connection(), Connection::Connected);
    }
};

QTEST_GUILESS_MAIN(TestSharedHistoryLink)
#include "tst_shared_history_link.moc"
