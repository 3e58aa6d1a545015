#pragma once

#include <QString>

namespace dcr {

// Who writes a history row: the login, the machine and the process. A shared history holds rows
// of many people at once; the start-up sweep uses this to mark only its own dead process's rows
// "interrupted", never another writer's request in flight.
struct WriterIdentity {
    QString user;
    QString host;
    qint64 pid = 0;
    // Tells this process apart from a later one that reuses its pid: the boot id and the
    // process's start time in clock ticks (/proc/<pid>/stat field 22).
    QString processKey;

    static WriterIdentity current();
    // "user@host", as rows show it and the --by filter accepts it.
    QString person() const { return user + u'@' + host; }
    bool sameMachineAndUser(const QString& otherUser, const QString& otherHost) const {
        return user == otherUser && host == otherHost;
    }
    // Whether the process that wrote with this pid and key still runs on this machine.
    static bool processRunning(qint64 pid, const QString& processKey);
    static QString processKeyOf(qint64 pid);
};

} // namespace dcr
