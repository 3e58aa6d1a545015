#include "PreflightCollector.h"

namespace dcr::preflight {

std::optional<Severity> Collector::severityOf(const char* rule) const {
    const PreflightRuleInfo* info = Preflight::findRule(QString::fromLatin1(rule));
    Q_ASSERT(info);
    if (!info || (info->fapi && !options.fapiEnabled()))
        return std::nullopt;
    const bool json = options.bodyFormat == RequestBodyFormat::Json;
    if ((json && info->bodies == PreflightRuleInfo::Bodies::JwtOnly) ||
        (!json && info->bodies == PreflightRuleInfo::Bodies::JsonOnly))
        return std::nullopt;
    return info->severityFor(options.spec);
}

void Collector::add(const char* rule, const QString& claim, const QString& message) {
    if (auto severity = severityOf(rule))
        findings << PreflightFinding{*severity, QString::fromLatin1(rule), claim, message};
}

void Collector::addAs(Severity severity, const char* rule, const QString& claim,
                      const QString& message) {
    if (severityOf(rule))
        findings << PreflightFinding{severity, QString::fromLatin1(rule), claim, message};
}

QString q(const QString& s) {
    return u'"' + s + u'"';
}

QString when(qint64 s) {
    return QDateTime::fromSecsSinceEpoch(s, Qt::UTC).toString(Qt::ISODate);
}

QString cibaGrantType() {
    return QStringLiteral("urn:openid:params:grant-type:ciba");
}

} // namespace dcr::preflight
