#include "WwwAuthenticate.h"

#include <QList>

#include <cctype>
#include <cstring>

namespace dcr {

namespace {

// RFC 7230 3.2.6 tchar, plus '/' so that token68 values (base64) read as one token.
bool isTokenChar(char c) {
    return c != 0 &&
           (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("!#$%&'*+-.^_`|~/", c));
}

// Reads one value character by character; every step moves forward, so any input ends.
class ChallengeReader {
public:
    explicit ChallengeReader(const QByteArray& value)
        : m_value(value) {}

    QList<AuthChallenge> readAll() {
        while (!atEnd()) {
            skipSeparators();
            const QByteArray name = token();
            if (name.isEmpty()) {
                ++m_i; // a character no grammar rule allows here: skip it
                continue;
            }
            if (m_challenges.isEmpty() || !equalsFollows()) {
                // A scheme starts a new challenge (RFC 7235 2.1: challenge = auth-scheme [ 1*SP (
                // token68 / #auth-param ) ]).
                m_challenges << AuthChallenge{QString::fromLatin1(name), {}, {}, {}, {}};
                continue;
            }
            setParameter(m_challenges.last(), name.toLower(), QString::fromUtf8(paramValue()));
        }
        return m_challenges;
    }

private:
    bool atEnd() const { return m_i >= m_value.size(); }
    bool isBlank(qsizetype at) const {
        return at < m_value.size() && (m_value[at] == ' ' || m_value[at] == '\t');
    }

    void skipSeparators() {
        while (isBlank(m_i) || (!atEnd() && m_value[m_i] == ','))
            ++m_i;
    }

    QByteArray token() {
        const qsizetype start = m_i;
        while (!atEnd() && isTokenChar(m_value[m_i]))
            ++m_i;
        return m_value.mid(start, m_i - start);
    }

    // After a name: whether `=` follows (blanks allowed), consuming it and the blanks after it.
    bool equalsFollows() {
        qsizetype j = m_i;
        while (isBlank(j))
            ++j;
        if (j >= m_value.size() || m_value[j] != '=')
            return false;
        m_i = j + 1;
        while (isBlank(m_i))
            ++m_i;
        return true;
    }

    // A quoted string (backslash escapes, RFC 7230 3.2.6) or a token.
    QByteArray paramValue() {
        QByteArray v;
        if (!atEnd() && m_value[m_i] == '"') {
            ++m_i;
            while (!atEnd() && m_value[m_i] != '"') {
                if (m_value[m_i] == '\\' && m_i + 1 < m_value.size())
                    ++m_i;
                v += m_value[m_i++];
            }
            ++m_i; // the closing quote (or past the end)
            return v;
        }
        v = token();
        while (!atEnd() && m_value[m_i] == '=') // token68 padding
            ++m_i;
        return v;
    }

    static void setParameter(AuthChallenge& c, const QByteArray& key, const QString& text) {
        if (key == "realm")
            c.realm = text;
        else if (key == "error")
            c.error = text;
        else if (key == "error_description")
            c.errorDescription = text;
        else if (key == "scope")
            c.scope = text;
    }

    const QByteArray& m_value;
    qsizetype m_i = 0;
    QList<AuthChallenge> m_challenges;
};

} // namespace

std::optional<AuthChallenge> parseWwwAuthenticate(const QByteArray& value) {
    const QList<AuthChallenge> challenges = ChallengeReader(value).readAll();
    for (const auto& c : challenges)
        if (c.scheme.compare(QStringLiteral("Bearer"), Qt::CaseInsensitive) == 0)
            return c;
    if (challenges.isEmpty())
        return std::nullopt;
    return challenges.first();
}

} // namespace dcr
