// The transport's own HTTP/1.x response reader (HttpResponseParser) over arbitrary bytes, fed in
// pieces of a size the input picks, with small caps: whatever arrives, it must end in a state that
// keeps its promises (no more header bytes than the cap, no more body than the cap, a failure
// always explained).
#include "transport/HttpResponseParser.h"

#include <cstdint>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 3)
        return 0;
    const qsizetype piece = 1 + data[0] % 64;
    const qint64 maxHeader = 64 + qint64(data[1]) * 8;
    const qint64 maxBody = 16 + qint64(data[2] & 0x7f) * 16;
    const bool head = data[2] & 0x80;
    dcr::HttpResponseParser parser(maxHeader, maxBody, head);
    const QByteArrayView bytes(reinterpret_cast<const char*>(data + 3),
                               static_cast<qsizetype>(size - 3));
    for (qsizetype at = 0; at < bytes.size(); at += piece)
        parser.feed(bytes.sliced(at, qMin(piece, bytes.size() - at)));
    parser.closed();

    qint64 headerBytes = parser.reason().size();
    for (const auto& [name, value] : parser.headers())
        headerBytes += name.size() + value.size();
    if (headerBytes > maxHeader)
        std::abort(); // the header cap was not kept
    if (parser.body().size() > maxBody)
        std::abort(); // the body cap was not kept
    if (parser.state() == dcr::HttpResponseParser::State::Failed &&
        (parser.failure() == dcr::HttpResponseParser::Failure::None ||
         parser.failureMessage().isEmpty()))
        std::abort(); // a failure nobody can explain
    if (parser.state() == dcr::HttpResponseParser::State::Done &&
        (parser.status() < 100 || parser.status() > 999))
        std::abort(); // a finished answer without a status
    return 0;
}
