#pragma once

#include "registration/RegistrationOutcome.h"

#include <QByteArray>
#include <QString>

namespace dcr {

// Reads one HTTP/1.x response from the bytes as they arrive, with hard caps on what it keeps:
// the header section (status line, fields, and any 1xx interim answers or chunked trailers before
// it) at most maxHeaderBytes, the body at most maxBodyBytes. Whatever a server sends, memory stays
// within the two caps plus one read: a server that never ends its headers is stopped at the cap,
// not when the clock runs out. (Qt 6.4's QNetworkAccessManager buffers an endless header section
// without limit and tells nobody until it ends, which is why the transport reads HTTP itself.)
class HttpResponseParser {
public:
    enum class State { Headers, Body, Done, Failed };
    enum class Failure { None, HeaderTooLarge, BodyTooLarge, Malformed };

    static constexpr qint64 kDefaultMaxHeaderBytes = 64 * 1024;

    HttpResponseParser(qint64 maxHeaderBytes, qint64 maxBodyBytes, bool headRequest = false);

    // Takes the next bytes received. After Done or Failed further bytes are ignored.
    void feed(QByteArrayView bytes);
    // The server closed the connection: a body that runs until the close is then complete.
    void closed();

    State state() const { return m_state; }
    Failure failure() const { return m_failure; }
    QString failureMessage() const { return m_failureMessage; }
    bool headersComplete() const { return m_state == State::Body || m_state == State::Done; }
    // Anything at all received (a close before this is a connection that never answered).
    bool anythingReceived() const { return m_received > 0; }

    int status() const { return m_status; }
    const QByteArray& reason() const { return m_reason; }
    const HeaderList& headers() const { return m_headers; }
    const QByteArray& body() const { return m_body; }
    QByteArray takeBody() { return std::exchange(m_body, {}); }
    bool truncated() const { return m_truncated; }
    qint64 maxHeaderBytes() const { return m_maxHeaderBytes; }

private:
    enum class Framing { None, Length, Chunked, UntilClose };
    enum class ChunkState { Size, Data, DataEnd, Trailer };

    qsizetype feedHeaders(QByteArrayView bytes);
    bool parseHead(const QByteArray& head);
    void chooseFraming();
    qsizetype feedBody(QByteArrayView bytes);
    qsizetype feedChunked(QByteArrayView bytes);
    // Appends to the body; false (and Failed) when the body cap is passed.
    bool appendBody(QByteArrayView bytes);
    // Reads one CRLF- or LF-terminated line into m_line, capped; -1 when it needs more bytes.
    qsizetype takeLine(QByteArrayView bytes, qint64 cap);
    void fail(Failure failure, const QString& message);

    qint64 m_maxHeaderBytes;
    qint64 m_maxBodyBytes;
    bool m_headRequest;

    State m_state = State::Headers;
    Failure m_failure = Failure::None;
    QString m_failureMessage;
    qint64 m_received = 0;
    qint64 m_headerBytes = 0; // every header byte so far, interim answers and trailers included
    QByteArray m_head;        // the header section being read

    int m_status = 0;
    QByteArray m_reason;
    HeaderList m_headers;
    QByteArray m_body;
    bool m_truncated = false;

    Framing m_framing = Framing::None;
    qint64 m_remaining = 0; // Length: body bytes still due; Chunked: bytes left in this chunk
    ChunkState m_chunk = ChunkState::Size;
    QByteArray m_line;
};

} // namespace dcr
