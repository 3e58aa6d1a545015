#include "SecretScanner.h"

#include <algorithm>
#include <cstring>

namespace dcr {

namespace {

// How deep base64 inside base64 is decoded (a JWS inside a base64 blob inside a body is 2).
constexpr int kMaxDepth = 3;
// The shortest base64 run that can hold the shortest name ("id_token", 8 bytes) and a quote.
constexpr qsizetype kMinBase64Run = 12;

// Where the scanned text came from. Decoded: bytes decoded from a base64 run of a body; most
// such decodes are garbage, and garbage ending in "cl" must not withhold a body.
enum class Context { Body, Complete, Decoded };

bool isWordChar(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

bool isSpace(char c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

bool isBase64Char(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '+' ||
           c == '/' || c == '-' || c == '_';
}

QByteArray asciiLower(QByteArray text) {
    for (char& c : text)
        if (c >= 'A' && c <= 'Z')
            c = static_cast<char>(c - 'A' + 'a');
    return text;
}

struct Occurrence {
    qsizetype begin;
    qsizetype end;
};

// Every secret name in the text, any case, as a whole word ("client_secret_basic" and
// "registration_access_token"'s "access_token" are not occurrences), in text order.
QList<Occurrence> findNames(const QByteArray& text) {
    const QByteArray lower = asciiLower(text);
    QList<Occurrence> out;
    for (const QByteArray& name : SecretScanner::secretNames())
        for (qsizetype at = lower.indexOf(name); at >= 0; at = lower.indexOf(name, at + 1)) {
            const qsizetype end = at + name.size();
            if ((at > 0 && isWordChar(lower.at(at - 1))) ||
                (end < lower.size() && isWordChar(lower.at(end))))
                continue;
            out.append({at, end});
        }
    std::sort(out.begin(), out.end(),
              [](const Occurrence& a, const Occurrence& b) { return a.begin < b.begin; });
    return out;
}

struct Value {
    enum Kind { None, Unsure, Found } kind = None;
    qsizetype begin = 0; // the value's bytes, without its quotes
    qsizetype end = 0;
    char quote = 0;
    bool closed = false; // the closing quote is there
};

// After the opening quote at `open`: the index of the closing one (backslash escapes skipped),
// or -1 when the text ends first.
qsizetype closingQuote(const QByteArray& t, qsizetype open) {
    const char quote = t.at(open);
    for (qsizetype i = open + 1; i < t.size(); ++i) {
        if (t.at(i) == '\\')
            ++i;
        else if (t.at(i) == quote)
            return i;
    }
    return -1;
}

// The value that follows a secret name ending at `i`: `name=value`, `"name": "value"`,
// `'name': 'value'`, `name: value`; none when the name is only a word (a JSON string such as
// "refresh_token" in grant_types, a form key without a value, prose in a complete text).
Value valueAfter(const QByteArray& t, qsizetype i, Context context) {
    const qsizetype n = t.size();
    const Value unsure{Value::Unsure};
    const Value none{};
    // Only a body can have been cut: text after a name there may simply be missing.
    const Value atEnd = context == Context::Body ? unsure : none;
    char keyQuote = 0;
    if (i < n && (t.at(i) == '"' || t.at(i) == '\''))
        keyQuote = t.at(i++);
    while (i < n && isSpace(t.at(i)))
        ++i;
    if (i >= n)
        return atEnd;
    const char separator = t.at(i);
    if (separator != '=' && separator != ':') {
        if (keyQuote && separator != '\0' && std::strchr(",]})", separator))
            return none; // a JSON string, not a key
        if (!keyQuote && separator == '&')
            return none; // a form field without a value
        // Prose or markup ("client_secret is ...", <td>client_secret</td><td>...): where the
        // value is, if there is one, cannot be told.
        return context == Context::Complete ? none : unsure;
    }
    ++i;
    while (i < n && (t.at(i) == ' ' || t.at(i) == '\t'))
        ++i;
    if (i >= n)
        return atEnd;
    const char first = t.at(i);
    if (first == '"' || first == '\'') {
        const qsizetype close = closingQuote(t, i);
        if (close >= 0)
            return {Value::Found, i + 1, close, first, true};
        // Cut inside the value: what is there is masked in a complete text, a body is withheld.
        return context == Context::Complete ? Value{Value::Found, i + 1, n, first, false} : unsure;
    }
    if (QByteArrayView(t).sliced(i).startsWith(SecretScanner::mask()))
        return none; // masked already (the mask's parentheses would end a form value early)
    // On the next line, a structure, or a YAML block: its end cannot be told.
    if (first == '\r' || first == '\n' || first == '{' || first == '[' ||
        (separator == ':' && (first == '|' || first == '>')))
        return unsure;
    // A form or query value ends at the next field; a `name: value` line at the line's end.
    const char* stops = separator == '=' ? " \t\r\n\f\v&;,}])<>\"'" : "\r\n,;}]<&\"'";
    qsizetype end = i;
    while (end < n && t.at(end) != '\0' && !std::strchr(stops, t.at(end)))
        ++end;
    while (end > i && (t.at(end - 1) == ' ' || t.at(end - 1) == '\t'))
        --end;
    if (end == i)
        return none; // an empty value
    return {Value::Found, i, end, 0, false};
}

// null, an empty string or an already masked value: no secret to hide.
bool isPlaceholder(QByteArrayView value, char quote) {
    return value.isEmpty() || value == SecretScanner::mask() || (!quote && value == "null");
}

int hexDigit(char c) {
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

// The number written by `digits` hex (or decimal) digits at t[at], or -1.
int numberAt(const QByteArray& t, qsizetype at, int digits, int base) {
    if (at + digits > t.size())
        return -1;
    int v = 0;
    for (int k = 0; k < digits; ++k) {
        const int d = hexDigit(t.at(at + k));
        if (d < 0 || d >= base)
            return -1;
        v = v * base + d;
    }
    return v;
}

// An escape at t[i] that writes a name character (\u005f, \x5f, %5F, &#95;, &#x5f;, &lowbar;):
// its length and character, or length 0.
std::pair<int, char> nameEscapeAt(const QByteArray& t, qsizetype i) {
    int length = 0;
    int value = -1;
    const char c = t.at(i);
    const char next = i + 1 < t.size() ? t.at(i + 1) : '\0';
    if (c == '\\' && (next == 'u' || next == 'U')) {
        value = numberAt(t, i + 2, 4, 16);
        length = 6;
    } else if (c == '\\' && next == 'x') {
        value = numberAt(t, i + 2, 2, 16);
        length = 4;
    } else if (c == '%') {
        value = numberAt(t, i + 1, 2, 16);
        length = 3;
    } else if (c == '&' && next == '#') {
        const bool hex = i + 2 < t.size() && (t.at(i + 2) == 'x' || t.at(i + 2) == 'X');
        const qsizetype start = i + (hex ? 3 : 2);
        qsizetype end = start;
        while (end < t.size() && end - start < 8 && hexDigit(t.at(end)) >= 0)
            ++end;
        value = end > start ? numberAt(t, start, static_cast<int>(end - start), hex ? 16 : 10) : -1;
        length = static_cast<int>(end - i) + (end < t.size() && t.at(end) == ';' ? 1 : 0);
    } else if (c == '&' && t.mid(i, 8).compare("&lowbar;", Qt::CaseInsensitive) == 0) {
        value = '_';
        length = 8;
    }
    if (value < 0 || value > 0x7f || !isWordChar(static_cast<char>(value)))
        return {0, '\0'};
    return {length, static_cast<char>(value)};
}

// The text with every escape of a name character decoded, so that "client\u005fsecret" shows.
QByteArray withNameEscapesDecoded(const QByteArray& t) {
    if (!t.contains('\\') && !t.contains('%') && !t.contains('&'))
        return t;
    QByteArray out;
    out.reserve(t.size());
    for (qsizetype i = 0; i < t.size();) {
        const auto [length, c] = nameEscapeAt(t, i);
        if (length > 0) {
            out += c;
            i += length;
        } else {
            out += t.at(i++);
        }
    }
    return out;
}

// Runs of base64 and base64url characters, continued across whitespace (a wrapped block) and
// ended by anything else ('=' padding included).
QList<QByteArray> base64Runs(const QByteArray& t) {
    QList<QByteArray> runs;
    QByteArray run;
    // resize(0), not clear(): the buffer is kept, so that the many short runs of a large binary
    // text cost no allocation each (under ASan with slow unwinding every malloc counts).
    auto flush = [&] {
        if (run.size() >= kMinBase64Run)
            runs << run;
        run.resize(0);
    };
    for (const char c : t) {
        if (isBase64Char(c))
            run += c;
        else if (!isSpace(c))
            flush();
    }
    flush();
    return runs;
}

QByteArray decodeBase64(QByteArray run) {
    for (char& c : run) {
        if (c == '-')
            c = '+';
        else if (c == '_')
            c = '/';
    }
    return QByteArray::fromBase64(run);
}

bool endsInsideName(const QByteArray& t) {
    qsizetype i = t.size();
    while (i > 0 && isWordChar(t.at(i - 1)))
        --i;
    const QByteArray word = asciiLower(t.mid(i));
    if (word.size() < 2)
        return false;
    return std::any_of(
        SecretScanner::secretNames().begin(), SecretScanner::secretNames().end(),
        [&](const QByteArray& name) { return name.size() > word.size() && name.startsWith(word); });
}

SecretScanner::Result scanAt(const QByteArray& text, SecretScanner::Mode mode, Context context,
                             int depth);

// Whether a base64 or base64url segment of the text, read at each of the four alignments a run
// can start at, decodes to text that holds a secret (or may).
bool base64HidesSecret(const QByteArray& text, int depth) {
    if (depth >= kMaxDepth)
        return false;
    for (const QByteArray& run : base64Runs(text))
        for (qsizetype skip = 0; skip < 4 && run.size() - skip >= kMinBase64Run; ++skip)
            if (!scanAt(decodeBase64(run.mid(skip)), SecretScanner::Mode::Mask, Context::Decoded,
                        depth + 1)
                     .clean())
                return true;
    return false;
}

SecretScanner::Result scanAt(const QByteArray& text, SecretScanner::Mode mode, Context context,
                             int depth) {
    SecretScanner::Result r;
    r.text = text;
    const QList<Occurrence> names = findNames(text);
    const QByteArray decoded = withNameEscapesDecoded(text);
    if ((decoded.size() != text.size() && findNames(decoded).size() > names.size()) ||
        (context == Context::Body && endsInsideName(text)) || base64HidesSecret(text, depth)) {
        r.unsure = true;
        return r;
    }
    QByteArray out;
    qsizetype pos = 0;
    for (const Occurrence& o : names) {
        if (o.begin < pos)
            continue; // inside a value already replaced
        const Value v = valueAfter(text, o.end, context);
        if (v.kind == Value::Unsure) {
            r.unsure = true;
            return r;
        }
        if (v.kind == Value::None ||
            isPlaceholder(QByteArrayView(text).sliced(v.begin, v.end - v.begin), v.quote))
            continue;
        qsizetype from = v.begin;
        qsizetype to = v.end;
        QByteArray replacement = SecretScanner::mask();
        if (mode == SecretScanner::Mode::Forget) {
            replacement = QByteArrayLiteral("null");
            if (v.quote) {
                from -= 1;
                to += v.closed ? 1 : 0;
            }
        }
        out += QByteArrayView(text).sliced(pos, from - pos);
        out += replacement;
        pos = to;
        ++r.secrets;
    }
    if (r.secrets > 0) {
        out += QByteArrayView(text).sliced(pos);
        r.text = out;
    }
    return r;
}

} // namespace

SecretScanner::Result SecretScanner::scan(const QByteArray& text, Mode mode, Input input) {
    return scanAt(text, mode, input == Input::Body ? Context::Body : Context::Complete, 0);
}

QString SecretScanner::maskText(const QString& text, Input input) {
    if (text.isEmpty())
        return text;
    const Result r = scan(text.toUtf8(), Mode::Mask, input);
    if (r.unsure)
        return QString::fromUtf8(withheldNotice());
    return r.secrets > 0 ? QString::fromUtf8(r.text) : text;
}

const QList<QByteArray>& SecretScanner::secretNames() {
    // client_assertion: a token request's signed private_key_jwt assertion (RFC 7523 §2.2), a
    // bearer credential until it expires (the history keeps token requests as sent).
    static const QList<QByteArray> names = {"client_secret", "registration_access_token",
                                            "access_token",  "refresh_token",
                                            "id_token",      "client_assertion"};
    return names;
}

bool SecretScanner::isSecretName(QByteArrayView name) {
    return std::any_of(secretNames().begin(), secretNames().end(), [&](const QByteArray& n) {
        return name.compare(n, Qt::CaseInsensitive) == 0;
    });
}

const QByteArray& SecretScanner::mask() {
    static const QByteArray text = QStringLiteral("••••••(masked)").toUtf8();
    return text;
}

const QByteArray& SecretScanner::withheldNotice() {
    static const QByteArray text =
        QByteArrayLiteral("[body withheld: could not be masked; --reveal-secrets shows it]");
    return text;
}

} // namespace dcr
