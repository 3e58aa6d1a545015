#pragma once

#include "PreflightFinding.h"
#include "RegistrationRequest.h"
#include "SoftwareStatement.h"

#include <QDateTime>
#include <QMap>
#include <QStringList>

#include <functional>
#include <optional>

namespace dcr {

// What is known about a signature when preflight runs.
struct SignatureCheck {
    enum class State { NotChecked, Verified, Failed };
    State state = State::NotChecked;
    QString detail;
};

// Values an ASPSP advertises in its discovery document, keyed by metadata name
// (e.g. "token_endpoint_auth_methods_supported"). Absent keys mean "not advertised".
using SupportedValues = QMap<QString, QStringList>;

struct PreflightInput {
    RegistrationRequest request;
    std::optional<JwsAlgorithm> requestAlgorithm; // when the request is a signed JWT
    SignatureCheck requestSignature;
    std::optional<SoftwareStatement> ssa; // decoded software_statement, if it decodes
    QString ssaDecodeError;
    SignatureCheck ssaSignature;
    SupportedValues supported;
};

struct PreflightRuleInfo {
    QString id;
    Severity severity;
    QString description;
};

// The rule engine. Time comes from an injectable clock so rules about iat/exp are testable.
class Preflight {
public:
    using Clock = std::function<QDateTime()>;
    explicit Preflight(Clock clock = &QDateTime::currentDateTimeUtc, int clockSkewSeconds = 60);

    QList<PreflightFinding> run(const PreflightInput& input) const;

    // Decodes the request's software_statement into input.ssa (or ssaDecodeError).
    static void decodeSoftwareStatement(PreflightInput& input);

    static const QList<PreflightRuleInfo>& rules();

private:
    Clock m_clock;
    int m_skew;
};

// True when text is a Base62-encoded 128-bit value (the seed's "Base62 encoded GUID").
bool isBase62Guid(const QString& text);

} // namespace dcr
