#include "HttpResponseParser.h"

#include <QCoreApplication>

namespace dcr {

namespace {

// Messages the user reads, in the language of the running program.
struct HttpResponseParserTr {
    Q_DECLARE_TR_FUNCTIONS(HttpResponseParser)
};

// A chunk-size line ("1a2b;ext=..."): generous, but a line that never ends must not grow.
constexpr qint64 kMaxChunkSizeLine = 1024;

QString kib(qint64 bytes) {
    return bytes % 1024 == 0 ? HttpResponseParserTr::tr("%1 KiB").arg(bytes / 1024)
                             : HttpResponseParserTr::tr("%1 bytes").arg(bytes);
}

} // namespace

HttpResponseParser::HttpResponseParser(qint64 maxHeaderBytes, qint64 maxBodyBytes, bool headRequest)
    : m_maxHeaderBytes(maxHeaderBytes)
    , m_maxBodyBytes(maxBodyBytes)
    , m_headRequest(headRequest) {}

void HttpResponseParser::fail(Failure failure, const QString& message) {
    m_state = State::Failed;
    m_failure = failure;
    m_failureMessage = message;
    m_head.clear();
    m_line.clear();
}

void HttpResponseParser::feed(QByteArrayView bytes) {
    m_received += bytes.size();
    while (!bytes.isEmpty()) {
        qsizetype used = 0;
        if (m_state == State::Headers)
            used = feedHeaders(bytes);
        else if (m_state == State::Body)
            used = feedBody(bytes);
        else
            return; // Done or Failed: the rest is not ours to keep
        bytes = bytes.sliced(used);
    }
}

void HttpResponseParser::closed() {
    if (m_state == State::Body && m_framing == Framing::UntilClose)
        m_state = State::Done;
}

qsizetype HttpResponseParser::feedHeaders(QByteArrayView bytes) {
    // Never hold more than the cap: only the bytes that could still belong to the header section
    // are taken, and the section ends at the first empty line (CRLF CRLF, or bare LF LF).
    const qsizetype before = m_head.size();
    const qint64 room = m_maxHeaderBytes - m_headerBytes - before;
    const QByteArrayView taken = bytes.first(qMin<qint64>(bytes.size(), qMax<qint64>(room, 0)));
    m_head.append(taken);
    const qsizetype from = qMax<qsizetype>(0, before - 3);
    const qsizetype crlf = m_head.indexOf("\n\r\n", from);
    const qsizetype lf = m_head.indexOf("\n\n", from);
    qsizetype end = -1;
    if (crlf >= 0 && (lf < 0 || crlf < lf))
        end = crlf + 3;
    else if (lf >= 0)
        end = lf + 2;
    if (end < 0) {
        if (taken.size() < bytes.size())
            fail(Failure::HeaderTooLarge,
                 HttpResponseParserTr::tr(
                     "the header section of the answer exceeded the %1 limit (after "
                     "%2 bytes without its end); the connection was closed there")
                     .arg(kib(m_maxHeaderBytes))
                     .arg(m_headerBytes + m_head.size()));
        return bytes.size();
    }
    m_head.truncate(end);
    m_headerBytes += end;
    const QByteArray head = std::exchange(m_head, {});
    if (!parseHead(head))
        return bytes.size();
    if (m_status >= 100 && m_status < 200 && m_status != 101) {
        // An interim answer (100 Continue, 103 Early Hints): the real one follows. Its bytes
        // count against the same cap, so an endless stream of them is stopped too.
        m_headers.clear();
        m_reason.clear();
        m_status = 0;
    } else {
        chooseFraming();
    }
    return end - before;
}

bool HttpResponseParser::parseHead(const QByteArray& head) {
    QList<QByteArray> lines = head.split('\n');
    for (auto& line : lines)
        if (line.endsWith('\r'))
            line.chop(1);
    const QByteArray& statusLine = lines.value(0);
    const QList<QByteArray> parts = statusLine.split(' ');
    bool numeric = false;
    const int status = parts.value(1).size() == 3 ? parts.value(1).toInt(&numeric) : 0;
    if (!statusLine.startsWith("HTTP/1.") || !numeric || status < 100 || status > 999) {
        fail(Failure::Malformed,
             HttpResponseParserTr::tr(
                 "the answer does not start with an HTTP/1.x status line (\"%1\")")
                 .arg(QString::fromLatin1(statusLine.left(80))));
        return false;
    }
    m_status = status;
    m_reason = statusLine.mid(statusLine.indexOf(' ', statusLine.indexOf(' ') + 1) + 1);
    if (parts.size() < 3)
        m_reason.clear();
    for (qsizetype i = 1; i < lines.size(); ++i) {
        const QByteArray& line = lines.at(i);
        if (line.isEmpty())
            continue;
        if ((line.startsWith(' ') || line.startsWith('\t')) && !m_headers.isEmpty()) {
            m_headers.last().second += ' ' + line.trimmed(); // obsolete line folding
            continue;
        }
        const qsizetype colon = line.indexOf(':');
        if (colon <= 0)
            continue; // not a field; ignored, as browsers and Qt do
        m_headers.append({line.left(colon).trimmed(), line.mid(colon + 1).trimmed()});
    }
    return true;
}

void HttpResponseParser::chooseFraming() {
    m_state = State::Body;
    if (m_headRequest || m_status == 204 || m_status == 304 || m_status < 200) {
        m_framing = Framing::None;
        m_state = State::Done;
        return;
    }
    QByteArray transferEncoding;
    QList<QByteArray> lengths;
    for (const auto& [name, value] : std::as_const(m_headers)) {
        if (name.compare("transfer-encoding", Qt::CaseInsensitive) == 0)
            transferEncoding += (transferEncoding.isEmpty() ? "" : ",") + value;
        else if (name.compare("content-length", Qt::CaseInsensitive) == 0)
            for (const QByteArray& v : value.split(','))
                lengths << v.trimmed();
    }
    if (!transferEncoding.isEmpty()) {
        // RFC 9112 §6.3: chunked as the final coding frames the body; any other coding runs
        // until the close. Transfer-Encoding overrides Content-Length.
        const QByteArray last = transferEncoding.split(',').last().trimmed().toLower();
        m_framing = last == "chunked" ? Framing::Chunked : Framing::UntilClose;
        return;
    }
    if (!lengths.isEmpty()) {
        bool ok = false;
        const qint64 length = lengths.first().toLongLong(&ok);
        for (const QByteArray& l : std::as_const(lengths))
            ok = ok && l == lengths.first();
        if (!ok || length < 0) {
            fail(Failure::Malformed,
                 HttpResponseParserTr::tr("the answer's Content-Length is not one "
                                          "non-negative number (\"%1\")")
                     .arg(QString::fromLatin1(lengths.join(", ").left(80))));
            return;
        }
        m_framing = Framing::Length;
        m_remaining = length;
        if (length == 0)
            m_state = State::Done;
        return;
    }
    m_framing = Framing::UntilClose;
}

bool HttpResponseParser::appendBody(QByteArrayView bytes) {
    const qint64 room = m_maxBodyBytes - m_body.size();
    if (bytes.size() > room) {
        m_body.append(bytes.first(qMax<qint64>(room, 0)));
        m_truncated = true;
        fail(Failure::BodyTooLarge,
             HttpResponseParserTr::tr("the body of the answer is larger than %1 bytes")
                 .arg(m_maxBodyBytes));
        return false;
    }
    m_body.append(bytes);
    return true;
}

qsizetype HttpResponseParser::feedBody(QByteArrayView bytes) {
    switch (m_framing) {
    case Framing::None:
        m_state = State::Done;
        return bytes.size();
    case Framing::UntilClose:
        appendBody(bytes);
        return bytes.size();
    case Framing::Length: {
        const qsizetype take = qMin<qint64>(m_remaining, bytes.size());
        if (!appendBody(bytes.first(take)))
            return bytes.size();
        m_remaining -= take;
        if (m_remaining == 0)
            m_state = State::Done;
        else if (m_body.size() >= m_maxBodyBytes)
            // More is announced than may be kept: stop now rather than wait for the next byte.
            appendBody(QByteArrayView("x", 1));
        return take;
    }
    case Framing::Chunked:
        return feedChunked(bytes);
    }
    return bytes.size();
}

qsizetype HttpResponseParser::takeLine(QByteArrayView bytes, qint64 cap) {
    const qsizetype newline = bytes.indexOf('\n');
    const qsizetype take = newline < 0 ? bytes.size() : newline + 1;
    if (m_line.size() + take > cap) {
        const bool trailer = m_chunk == ChunkState::Trailer;
        fail(trailer ? Failure::HeaderTooLarge : Failure::Malformed,
             trailer ? HttpResponseParserTr::tr(
                           "the header section of the answer (its chunked trailer) "
                           "exceeded the %1 limit; the connection was closed there")
                           .arg(kib(m_maxHeaderBytes))
                     : HttpResponseParserTr::tr(
                           "a chunk-size line of the answer is longer than %1 bytes")
                           .arg(kMaxChunkSizeLine));
        return -1;
    }
    m_line.append(bytes.first(take));
    return newline < 0 ? -1 : take;
}

qsizetype HttpResponseParser::feedChunked(QByteArrayView bytes) {
    switch (m_chunk) {
    case ChunkState::Size: {
        const qsizetype used = takeLine(bytes, kMaxChunkSizeLine);
        if (used < 0)
            return bytes.size();
        QByteArray line = std::exchange(m_line, {}).trimmed();
        if (const qsizetype semicolon = line.indexOf(';'); semicolon >= 0)
            line.truncate(semicolon);
        bool ok = false;
        const qint64 size = line.trimmed().toLongLong(&ok, 16);
        if (!ok || size < 0) {
            fail(Failure::Malformed,
                 HttpResponseParserTr::tr(
                     "a chunk size of the answer is not a hexadecimal number (\"%1\")")
                     .arg(QString::fromLatin1(line.left(40))));
            return bytes.size();
        }
        m_remaining = size;
        m_chunk = size == 0 ? ChunkState::Trailer : ChunkState::Data;
        return used;
    }
    case ChunkState::Data: {
        const qsizetype take = qMin<qint64>(m_remaining, bytes.size());
        if (!appendBody(bytes.first(take)))
            return bytes.size();
        m_remaining -= take;
        if (m_remaining == 0)
            m_chunk = ChunkState::DataEnd;
        return take;
    }
    case ChunkState::DataEnd: {
        const qsizetype used = takeLine(bytes, 2);
        if (used < 0)
            return bytes.size();
        if (!std::exchange(m_line, {}).trimmed().isEmpty()) {
            fail(Failure::Malformed,
                 HttpResponseParserTr::tr("a chunk of the answer is longer than its "
                                          "announced size"));
            return bytes.size();
        }
        m_chunk = ChunkState::Size;
        return used;
    }
    case ChunkState::Trailer: {
        const qsizetype used = takeLine(bytes, m_maxHeaderBytes - m_headerBytes);
        if (used < 0)
            return bytes.size();
        m_headerBytes += m_line.size();
        if (std::exchange(m_line, {}).trimmed().isEmpty())
            m_state = State::Done; // trailer fields are not kept
        return used;
    }
    }
    return bytes.size();
}

} // namespace dcr
