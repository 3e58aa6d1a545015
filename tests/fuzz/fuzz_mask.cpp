// The body masker (issue #21 items 1-2): arbitrary bytes must not crash it, and a secret planted
// in a body built from the input (a form, JSON-ish text, YAML, base64, a padded JWS, cut anywhere)
// must never come out of maskSecretsInBody, forgetSecretsInBody or the outcome's text, in clear
// or in any base64 / base64url run. Input: [shape][flags][prefix '\0' suffix].
#include "registration/RegistrationOutcome.h"
#include "registration/SecretScanner.h"
#include "transport/HttpExchange.h"

#include <QJsonDocument>

#include <cstdint>
#include <cstdio>
#include <cstdlib>

namespace {

// The planted value; only its first kSeen bytes are looked for, so that a cut inside it counts.
const QByteArray kPlanted = "Zq8vK3xW9pLm";
constexpr int kSeen = 6;

bool plainOrDecodedContains(const QByteArray& text, const QByteArray& needle) {
    if (text.contains(needle))
        return true;
    QByteArray run;
    auto check = [&] {
        bool found = false;
        for (int skip = 0; skip < 4 && !found && skip < run.size(); ++skip)
            for (auto options : {QByteArray::Base64Encoding, QByteArray::Base64UrlEncoding})
                found = found || QByteArray::fromBase64(run.mid(skip), options).contains(needle);
        run.clear();
        return found;
    };
    for (const char c : text) {
        const bool alphabet = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
                              (c >= '0' && c <= '9') || c == '+' || c == '/' || c == '-' ||
                              c == '_';
        if (alphabet)
            run += c;
        else if (c != '\r' && c != '\n' && c != ' ' && c != '\t' && run.size() >= kSeen && check())
            return true;
        else if (c != '\r' && c != '\n' && c != ' ' && c != '\t')
            run.clear();
    }
    return run.size() >= kSeen && check();
}

[[noreturn]] void leak(const char* where, const QByteArray& body, const QByteArray& output) {
    std::fprintf(stderr, "planted secret leaked through %s\nbody: %s\noutput: %s\n", where,
                 body.toPercentEncoding(" {}\":,=&").constData(),
                 output.toPercentEncoding(" {}\":,=&").constData());
    std::abort();
}

QByteArray nameFor(uint8_t flags) {
    QByteArray name = dcr::SecretScanner::secretNames().at(flags % 5);
    for (qsizetype i = 0; i < name.size(); ++i) // flags' high bits pick letters to capitalise
        if ((flags >> (3 + i % 5)) & 1 && name.at(i) >= 'a' && name.at(i) <= 'z')
            name[i] = static_cast<char>(name.at(i) - 'a' + 'A');
    return name;
}

QByteArray wrap(const QByteArray& text, int width) {
    QByteArray out;
    for (qsizetype i = 0; i < text.size(); i += width)
        out += text.mid(i, width) + "\r\n";
    return out;
}

QByteArray plantedBody(uint8_t shape, const QByteArray& name, const QByteArray& prefix,
                       const QByteArray& suffix) {
    const QByteArray json = "{\"" + name + "\":\"" + kPlanted + "\"}";
    const QByteArray inner = prefix + json + suffix;
    switch (shape % 12) {
    case 0:
        return prefix + '&' + name + '=' + kPlanted + '&' + suffix;
    case 1:
        return prefix + ",\"" + name + "\":\"" + kPlanted + "\"," + suffix;
    case 2:
        return prefix + "{\"" + name + "\" : \"" + kPlanted + "\"}" + suffix;
    case 3:
        return prefix + "{'" + name + "': '" + kPlanted + "'}" + suffix;
    case 4:
        return prefix + '\n' + name + ": " + kPlanted + '\n' + suffix;
    case 5:
        return inner.toBase64();
    case 6:
        return inner.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals);
    case 7:
        return QByteArray("{\"alg\":\"PS256\",\"kid\":\"k\"}")
                   .toBase64(QByteArray::Base64UrlEncoding) +
               '.' + inner.toBase64(QByteArray::Base64UrlEncoding) + '.' +
               QByteArray("sig").toBase64(QByteArray::Base64UrlEncoding);
    case 8:
        return wrap(inner.toBase64(), 64);
    case 9:
        return "<p>x" + inner.toBase64() + "</p>";
    case 10:
        return prefix + "{\"note\":\"" + name + '=' + kPlanted + "\"}" + suffix;
    default:
        return inner.toBase64().toBase64();
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 2)
        return 0;
    const uint8_t shape = data[0];
    const uint8_t flags = data[1];
    const QByteArray rest(reinterpret_cast<const char*>(data + 2),
                          static_cast<qsizetype>(size - 2));
    static const char* const types[] = {
        "application/json", "text/plain",       "text/html", "application/x-www-form-urlencoded",
        "application/jwt",  "application/jose", "",          "application/octet-stream"};
    const QByteArray contentType = types[flags & 7];

    // Anything at all: no crash, no hang, no sanitizer report.
    (void)dcr::maskSecretsInBody(rest, contentType);
    (void)dcr::forgetSecretsInBody(rest, contentType);
    (void)dcr::bodyHasSecrets(rest);
    (void)dcr::SecretScanner::scan(rest, dcr::SecretScanner::Mode::Forget,
                                   dcr::SecretScanner::Input::Complete);

    // A planted secret never comes out, unless the input spelled the marker itself.
    const qsizetype split = rest.indexOf('\0');
    const QByteArray prefix = split >= 0 ? rest.left(split) : rest;
    const QByteArray suffix = split >= 0 ? rest.mid(split + 1) : QByteArray();
    const QByteArray seen = kPlanted.left(kSeen);
    if (plainOrDecodedContains(prefix, seen) || plainOrDecodedContains(suffix, seen) ||
        plainOrDecodedContains(prefix + suffix, seen))
        return 0;
    QByteArray body = plantedBody(shape, nameFor(flags), prefix, suffix);
    if (shape & 0x80) // cut where the size limit could have cut it
        body.truncate(body.size() * (suffix.isEmpty() ? 128 : static_cast<uint8_t>(suffix.back())) /
                      256);
    if (!plainOrDecodedContains(body, seen))
        return 0; // the cut took it away
    const QByteArray masked = dcr::maskSecretsInBody(body, contentType);
    if (plainOrDecodedContains(masked, seen))
        leak("maskSecretsInBody", body, masked);
    const QByteArray forgotten = dcr::forgetSecretsInBody(body, contentType);
    if (plainOrDecodedContains(forgotten, seen))
        leak("forgetSecretsInBody", body, forgotten);
    if (!dcr::bodyHasSecrets(body))
        leak("bodyHasSecrets (said the body is clean)", body, {});
    const auto outcome = dcr::classifyResponse(201, {{"Content-Type", contentType}}, body);
    const QByteArray said = outcome.summary().toUtf8() + '\n' + outcome.text.toUtf8() + '\n' +
                            outcome.errorMessage.toUtf8() + '\n' + outcome.message.toUtf8();
    if (plainOrDecodedContains(said, seen))
        leak("the outcome's text", body, said);
    return 0;
}
