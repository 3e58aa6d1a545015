#include "BankSideChecks.h"

#include "RoleScopes.h"
#include "common/HumanAge.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <cmath>

namespace dcr {

namespace {

struct BankSideChecksTr {
    Q_DECLARE_TR_FUNCTIONS(dcr::BankSideChecks)
};

using Outcome = BankCheck::Outcome;

struct RuleText {
    const char* id;
    const char* title;
    const char* rule;
};

// The rules as their sources word them. The role table behind scope is the OB Directory's (the
// seed lists the scopes, not which role needs which), and is said to be ours, not quoted.
const RuleText kRules[] = {
    {"bank-ssa-age", QT_TRANSLATE_NOOP("dcr::BankSideChecks", "SSA age (iat, exp)"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "RFC 7519 §4.1.6: \"The \"iat\" (issued at) claim identifies the time at "
                       "which the JWT was issued. This claim can be used to determine the age of "
                       "the JWT.\" RFC 7519 §4.1.4: \"The \"exp\" (expiration time) claim "
                       "identifies the expiration time on or after which the JWT MUST NOT be "
                       "accepted for processing.\"")},
    {"bank-redirect-uris", QT_TRANSLATE_NOOP("dcr::BankSideChecks", "redirect_uris ⊆ the SSA's"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "Seed, redirect_uris: \"Registered URIs the TPP will use to interact with "
                       "the ASPSP. If the software statement defines a master set of redirect "
                       "URIs, this must match or be a subset of the redirect URIs in the SSA.\"")},
    {"bank-scope-roles", QT_TRANSLATE_NOOP("dcr::BankSideChecks", "scope within the SSA's roles"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "Seed, scope: \"Scopes the client is asking for (if not specified, default "
                       "scopes are assigned by the AS). This consists of a list scopes separated "
                       "by spaces.\" Allowed values: openid, accounts, payments, "
                       "fundsconfirmations. Which role a scope needs is the OB Directory's "
                       "software_roles (not quoted): accounts AISP, payments PISP, "
                       "fundsconfirmations CBPII.")},
    {"bank-software-id",
     QT_TRANSLATE_NOOP("dcr::BankSideChecks", "software_id and iss = the SSA's"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "Seed, software_id: \"If specified, the software_id in the request MUST "
                       "match the software_id specified in the SSA.\" Seed, iss: \"For SSAs issued "
                       "by the OB Directory, this must be the software_id.\"")},
    {"bank-request-signature",
     QT_TRANSLATE_NOOP("dcr::BankSideChecks", "request signature by the SSA's keys"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "RFC 7591 §2, jwks: \"Client's JSON Web Key Set [RFC7517] document value, "
                       "which contains the client's public keys.\" jwks_uri: \"URL string "
                       "referencing the client's JSON Web Key (JWK) Set [RFC7517] document, which "
                       "contains the client's public keys.\" (Not quoted: an SSA carries them as "
                       "software_jwks and software_jwks_endpoint.)")},
    {"bank-subject-dn",
     QT_TRANSLATE_NOOP("dcr::BankSideChecks", "subject DN = the transport certificate's"),
     QT_TRANSLATE_NOOP("dcr::BankSideChecks",
                       "RFC 8705 §2.1.2, tls_client_auth_subject_dn: \"A string representation "
                       "-- as defined in [RFC4514] -- of the expected subject distinguished name "
                       "of the certificate that the OAuth client will use in mutual-TLS "
                       "authentication.\"")},
};

const RuleText& ruleText(const char* id) {
    for (const auto& r : kRules)
        if (qstrcmp(r.id, id) == 0)
            return r;
    Q_UNREACHABLE();
}

BankCheck started(const char* id) {
    const RuleText& r = ruleText(id);
    BankCheck check;
    check.id = QString::fromLatin1(r.id);
    check.title = QCoreApplication::translate("dcr::BankSideChecks", r.title);
    check.rule = QCoreApplication::translate("dcr::BankSideChecks", r.rule);
    return check;
}

BankCheck notChecked(const char* id, const QString& why) {
    BankCheck check = started(id);
    check.outcome = Outcome::NotChecked;
    check.details << why;
    return check;
}

// Preflight's own findings of these rules, the words the findings list shows.
QList<PreflightFinding> findingsOf(const RequestInspection& in,
                                   std::initializer_list<const char*> rules) {
    QList<PreflightFinding> out;
    for (const auto& f : in.findings)
        for (const char* rule : rules)
            if (f.rule == QLatin1String(rule))
                out << f;
    return out;
}

// Errors fail a check and warnings warn; info findings are details of a passed check.
Outcome outcomeOf(const QList<PreflightFinding>& findings) {
    Outcome outcome = Outcome::Passed;
    for (const auto& f : findings) {
        if (f.severity == Severity::Error)
            return Outcome::Failed;
        if (f.severity == Severity::Warning)
            outcome = Outcome::Warning;
    }
    return outcome;
}

void addFindings(BankCheck& check, const QList<PreflightFinding>& findings) {
    for (const auto& f : findings)
        check.details << QStringLiteral("%1 (%2)").arg(f.message, f.rule);
}

QString noSsa(const RequestInspection& in) {
    return in.input.ssaDecodeError.isEmpty()
               ? BankSideChecksTr::tr("the request carries no software_statement to check against")
               : BankSideChecksTr::tr("the software_statement cannot be decoded: %1")
                     .arg(in.input.ssaDecodeError);
}

QString utc(qint64 secs) {
    return QDateTime::fromSecsSinceEpoch(secs, Qt::UTC).toString(Qt::ISODate);
}

// An iat or exp as RFC 7519 §2 defines a NumericDate: a JSON number of seconds, which "can
// represent non-integer values". Read here rather than through jsonInteger, so 1606298169.5 is a
// time, not "no exp"; beyond year 9999 (or negative) it is not one we can show.
struct NumericDate {
    enum class Kind { Absent, NotNumericDate, Seconds } kind = Kind::Absent;
    double seconds = 0;
    qint64 wholeSeconds() const { return static_cast<qint64>(std::floor(seconds)); }
};

NumericDate numericDate(const QJsonValue& value) {
    if (value.isUndefined())
        return {};
    const double secs = value.toDouble(-1);
    if (!value.isDouble() || !std::isfinite(secs) || secs < 0 || secs > 253402300799.0)
        return {NumericDate::Kind::NotNumericDate, 0};
    return {NumericDate::Kind::Seconds, secs};
}

Outcome worse(Outcome a, Outcome b) {
    const auto rank = [](Outcome o) {
        return o == Outcome::Failed ? 2 : o == Outcome::Warning ? 1 : 0;
    };
    return rank(a) >= rank(b) ? a : b;
}

// The row's outcome is its own comparison, the same one preflight makes (skew included), so the
// text and the outcome agree, and a non-integer or non-numeric iat/exp is judged too.
BankCheck ssaAge(const RequestInspection& in, const PreflightOptions& options,
                 const QDateTime& now) {
    if (!in.input.ssa)
        return notChecked("bank-ssa-age", noSsa(in));
    BankCheck check = started("bank-ssa-age");
    const QJsonObject& claims = in.input.ssa->claims();
    const qint64 t = now.toSecsSinceEpoch();
    const int skew = options.clockSkewSeconds;
    Outcome own = Outcome::Passed;
    const NumericDate iat = numericDate(claims.value(QStringLiteral("iat")));
    const NumericDate exp = numericDate(claims.value(QStringLiteral("exp")));
    switch (iat.kind) {
    case NumericDate::Kind::Absent:
        check.details << BankSideChecksTr::tr("no iat: the SSA's age cannot be told");
        break;
    case NumericDate::Kind::NotNumericDate:
        check.details << BankSideChecksTr::tr(
            "iat is not a NumericDate (seconds since 1970 as a JSON number)");
        own = Outcome::Failed;
        break;
    case NumericDate::Kind::Seconds:
        check.details << BankSideChecksTr::tr("issued %1 (%2)")
                             .arg(utc(iat.wholeSeconds()), humanAge(t - iat.wholeSeconds()));
        if (iat.seconds > t + skew)
            own = Outcome::Failed;
        break;
    }
    switch (exp.kind) {
    case NumericDate::Kind::Absent:
        check.details << BankSideChecksTr::tr("no exp: the SSA sets no end to its validity");
        break;
    case NumericDate::Kind::NotNumericDate:
        check.details << BankSideChecksTr::tr(
            "exp is not a NumericDate (seconds since 1970 as a JSON number)");
        own = Outcome::Failed;
        break;
    case NumericDate::Kind::Seconds: {
        const QString when = utc(exp.wholeSeconds());
        const QString age = humanAge(t - exp.wholeSeconds());
        if (exp.seconds < t - skew) {
            check.details << BankSideChecksTr::tr("expired %1 (%2)").arg(when, age);
            own = Outcome::Failed;
        } else if (exp.seconds <= t) {
            check.details << BankSideChecksTr::tr(
                                 "expired %1 (%2), within the %3 s clock skew allowance")
                                 .arg(when, age)
                                 .arg(skew);
            own = worse(own, Outcome::Warning);
        } else {
            check.details << BankSideChecksTr::tr("expires %1 (%2)").arg(when, age);
        }
        break;
    }
    }
    const auto findings = findingsOf(in, {"ssa-iat-future", "ssa-expired"});
    addFindings(check, findings);
    check.outcome = worse(own, outcomeOf(findings));
    if (check.outcome == Outcome::Passed && iat.kind == NumericDate::Kind::Absent)
        check.outcome = Outcome::NotChecked;
    return check;
}

// The subset comparison itself, not preflight's redirect-in-ssa: that rule skips what is not an
// absolute URL or not a string, and says nothing when redirect_uris is absent or empty.
BankCheck redirectUris(const RequestInspection& in) {
    if (!in.input.ssa)
        return notChecked("bank-redirect-uris", noSsa(in));
    const QStringList ssaUris = in.input.ssa->redirectUris();
    if (ssaUris.isEmpty())
        return notChecked(
            "bank-redirect-uris",
            BankSideChecksTr::tr("the SSA defines no software_redirect_uris, so no master set"));
    BankCheck check = started("bank-redirect-uris");
    const QJsonValue value = in.input.request.claims().value(QStringLiteral("redirect_uris"));
    const QJsonArray uris = value.toArray();
    if (!value.isArray() || uris.isEmpty()) {
        check.outcome = Outcome::Failed;
        check.details << (value.isUndefined()
                              ? BankSideChecksTr::tr(
                                    "the request has no redirect_uris, which the seed requires")
                              : BankSideChecksTr::tr(
                                    "redirect_uris is not a non-empty array of URIs, which the "
                                    "seed requires"));
        return check;
    }
    const QString master = ssaUris.join(QStringLiteral(", "));
    for (qsizetype i = 0; i < uris.size(); ++i) {
        if (!uris.at(i).isString())
            check.details << BankSideChecksTr::tr("redirect_uris[%1] is not a string").arg(i);
        else if (!ssaUris.contains(uris.at(i).toString()))
            check.details << BankSideChecksTr::tr(
                                 "\"%1\" is not one of the SSA's software_redirect_uris (%2)")
                                 .arg(uris.at(i).toString(), master);
    }
    check.outcome = check.details.isEmpty() ? Outcome::Passed : Outcome::Failed;
    if (check.details.isEmpty())
        check.details << BankSideChecksTr::tr(
            "each of the request's %n redirect URI(s) is one of the SSA's", nullptr,
            static_cast<int>(uris.size()));
    return check;
}

BankCheck scopeWithinRoles(const RequestInspection& in) {
    if (!in.input.ssa)
        return notChecked("bank-scope-roles", noSsa(in));
    BankCheck check = started("bank-scope-roles");
    // Only an absent scope leaves the AS to assign its defaults; an array or a number is a scope
    // the request does not state in the seed's form, not no scope.
    const QJsonValue scopeValue = in.input.request.claims().value(QStringLiteral("scope"));
    if (!scopeValue.isUndefined() && !scopeValue.isString()) {
        check.outcome = Outcome::Failed;
        check.details << BankSideChecksTr::tr(
            "scope is not a string of scopes separated by spaces");
        return check;
    }
    const QStringList roles = in.input.ssa->roles();
    const QStringList allowed = scopesForRoles(roles);
    const QStringList scopes = in.input.request.scopes();
    // scope-roles (preflight) names the known scopes whose role is missing; a scope that no role
    // allows at all ("makepayment") is this check's own.
    const auto findings = findingsOf(in, {"scope-roles"});
    addFindings(check, findings);
    check.outcome = outcomeOf(findings);
    for (const QString& scope : scopes)
        if (!allowed.contains(scope) && !roleForScope(scope)) {
            check.details << BankSideChecksTr::tr(
                                 "scope \"%1\" is not one the SSA's software_roles [%2] allow "
                                 "(%3)")
                                 .arg(scope, roles.join(QStringLiteral(", ")), allowed.join(u' '));
            check.outcome = Outcome::Failed;
        }
    if (scopeValue.isUndefined())
        check.details << BankSideChecksTr::tr(
            "no scope requested: the AS assigns its default scopes");
    else if (scopes.isEmpty()) {
        check.details << BankSideChecksTr::tr(
            "scope is present but names no scope; leave it out for the AS's "
            "default scopes");
        check.outcome = Outcome::Failed;
    } else if (check.outcome == Outcome::Passed)
        check.details << BankSideChecksTr::tr("\"%1\" is within what the roles [%2] allow")
                             .arg(scopes.join(u' '), roles.join(QStringLiteral(", ")));
    return check;
}

// The request's claim as the SSA's software_id, compared here: preflight's rules say nothing of an
// iss or software_id that is missing, empty or not a string. What they do say (a mismatch, an
// error for an OB Directory SSA, else a warning) is their findings' words and severity.
BankCheck softwareId(const RequestInspection& in) {
    if (!in.input.ssa)
        return notChecked("bank-software-id", noSsa(in));
    BankCheck check = started("bank-software-id");
    const auto findings = findingsOf(in, {"software-id-match", "iss-software-id"});
    addFindings(check, findings);
    check.outcome = outcomeOf(findings);
    const QString ssaId = in.input.ssa->softwareId();
    if (ssaId.trimmed().isEmpty()) {
        check.details << BankSideChecksTr::tr("the SSA has no software_id to compare with");
        check.outcome = Outcome::Failed;
        return check;
    }
    const QJsonObject& claims = in.input.request.claims();
    const auto compare = [&](const QString& name, bool required) {
        const QJsonValue value = claims.value(name);
        if (value.isUndefined() && !required)
            return;
        if (!value.isString() || value.toString().trimmed().isEmpty()) {
            check.details << BankSideChecksTr::tr(
                                 "%1 is missing, empty or not a string; it must be the SSA's "
                                 "software_id \"%2\"")
                                 .arg(name, ssaId);
            check.outcome = Outcome::Failed;
        } else if (value.toString() != ssaId && check.outcome == Outcome::Passed) {
            check.details << BankSideChecksTr::tr("%1 \"%2\" is not the SSA's software_id \"%3\"")
                                 .arg(name, value.toString(), ssaId);
            check.outcome = Outcome::Failed;
        }
    };
    compare(QStringLiteral("software_id"), false);
    compare(QStringLiteral("iss"), true);
    if (check.details.isEmpty())
        check.details << BankSideChecksTr::tr(
                             "software_id and iss are the SSA's software_id \"%1\"%2")
                             .arg(ssaId, claims.contains(QStringLiteral("software_id"))
                                             ? QString()
                                             : BankSideChecksTr::tr(
                                                   " (software_id is absent, which the seed "
                                                   "allows)"));
    return check;
}

BankCheck fromVerdict(const SignatureVerdict& verdict, const QString& keys) {
    BankCheck check = started("bank-request-signature");
    check.outcome = verdict.isValid() ? Outcome::Passed : Outcome::Failed;
    check.details << BankSideChecksTr::tr("checked against %1: %2").arg(keys, verdict.text());
    return check;
}

BankCheck requestSignature(const RequestInspection& in) {
    if (!in.jws) {
        if (in.input.requestSignature.isInvalid())
            return fromVerdict(in.input.requestSignature,
                               BankSideChecksTr::tr("nothing (unreadable)"));
        return notChecked("bank-request-signature",
                          BankSideChecksTr::tr("the request is not a signed JWT"));
    }
    if (!in.input.ssa)
        return notChecked("bank-request-signature", noSsa(in));
    // The one verdict the inspection made (RequestInspection, requestKeysFromSsa), which the
    // received token's title and request-signature-invalid show too.
    if (!in.requestKeysSource.isEmpty()) {
        BankCheck check = fromVerdict(in.input.requestSignature, in.requestKeysSource);
        // Keys are only as good as the SSA that names them: one anybody could have signed proves
        // nothing about who signed the request.
        if (!in.input.ssaSignature.isValid()) {
            check.details << BankSideChecksTr::tr(
                                 "the SSA's own signature is not verified (%1), so its keys "
                                 "are not trusted")
                                 .arg(in.input.ssaSignature.text());
            if (check.outcome == Outcome::Passed)
                check.outcome = Outcome::Warning;
        }
        return check;
    }
    const QString endpoint = in.input.ssa->softwareJwksEndpoint();
    if (!endpoint.isEmpty())
        return notChecked(
            "bank-request-signature",
            BankSideChecksTr::tr("the SSA carries no software_jwks by value; its "
                                 "software_jwks_endpoint %1 is fetched only when you ask (Fetch "
                                 "software_jwks_endpoint)")
                .arg(endpoint));
    return notChecked(
        "bank-request-signature",
        BankSideChecksTr::tr("the SSA carries neither software_jwks nor software_jwks_endpoint"));
}

// The claim preflight compares (checkSubjectDn): the spec's name, or under OBIE the other name
// when only that one is present.
QString comparedDnClaim(const RegistrationRequest& request, SpecVersion spec) {
    const QString dn = QStringLiteral("tls_client_auth_dn");
    const QString subjectDn = QStringLiteral("tls_client_auth_subject_dn");
    const QString expected = spec == SpecVersion::Obie31 ? dn : subjectDn;
    const QString other = expected == dn ? subjectDn : dn;
    return isObie(spec) && !request.has(expected) && request.has(other) ? other : expected;
}

BankCheck subjectDn(const RequestInspection& in, const PreflightOptions& options) {
    const QString claim = comparedDnClaim(in.input.request, options.spec);
    const auto missing = findingsOf(in, {"tls-client-auth-subject-dn"});
    // What preflight tests too: the trimmed string, so "" or a number is no DN, not a present one.
    if (in.input.request.string(claim).trimmed().isEmpty()) {
        if (missing.isEmpty())
            return notChecked("bank-subject-dn",
                              in.input.request.has(claim)
                                  ? BankSideChecksTr::tr("%1 is empty or not a string").arg(claim)
                                  : BankSideChecksTr::tr("the request names no %1").arg(claim));
        BankCheck check = started("bank-subject-dn");
        addFindings(check, missing);
        check.outcome = outcomeOf(missing);
        return check;
    }
    const auto syntax = findingsOf(in, {"subject-dn-syntax"});
    if (syntax.isEmpty() && options.transportCertificate.isNull())
        return notChecked(
            "bank-subject-dn",
            BankSideChecksTr::tr("%1 is \"%2\"; give the transport certificate (Compare with "
                                 "certificate…) to compare it by meaning")
                .arg(claim, in.input.request.string(claim)));
    BankCheck check = started("bank-subject-dn");
    const auto findings =
        findingsOf(in, {"subject-dn-syntax", "subject-dn-certificate", "subject-dn-rendering"});
    addFindings(check, findings);
    check.outcome = outcomeOf(findings);
    if (check.outcome == Outcome::Passed)
        check.details.prepend(
            BankSideChecksTr::tr(
                "%1 names the transport certificate's subject %2 (compared by meaning)")
                .arg(claim, options.transportCertificate.subjectDn(DnStyle::Rfc4514Names)));
    return check;
}

} // namespace

QList<BankCheck> BankSideChecks::run(const RequestInspection& inspection,
                                     const PreflightOptions& options, const QDateTime& now) {
    return {ssaAge(inspection, options, now), redirectUris(inspection),
            scopeWithinRoles(inspection),     softwareId(inspection),
            requestSignature(inspection),     subjectDn(inspection, options)};
}

Result<QUrl> BankSideChecks::softwareJwksEndpoint(const RequestInspection& inspection) {
    if (!inspection.input.ssa)
        return Error{ErrorKind::InputUnreadable, noSsa(inspection)};
    if (carriesSoftwareJwks(*inspection.input.ssa))
        return Error{ErrorKind::InputUnreadable,
                     BankSideChecksTr::tr(
                         "the SSA carries its software_jwks by value; the request is checked "
                         "against those, nothing is fetched")};
    const QString endpoint = inspection.input.ssa->softwareJwksEndpoint();
    if (endpoint.isEmpty())
        return Error{ErrorKind::InputUnreadable,
                     BankSideChecksTr::tr("the SSA names no software_jwks_endpoint to fetch")};
    const QUrl url(endpoint, QUrl::StrictMode);
    if (!url.isValid() || url.isRelative() || url.host().isEmpty())
        return Error{
            ErrorKind::InputUnreadable,
            BankSideChecksTr::tr("the SSA's software_jwks_endpoint \"%1\" is not an absolute URL")
                .arg(endpoint)};
    if (url.scheme() != QStringLiteral("https"))
        return Error{ErrorKind::InputUnreadable,
                     BankSideChecksTr::tr(
                         "the SSA's software_jwks_endpoint \"%1\" is not https; keys fetched "
                         "in the clear prove nothing, so it is not fetched")
                         .arg(endpoint)};
    return url;
}

QString BankSideChecks::ruleFor(const QString& checkId) {
    for (const auto& r : kRules)
        if (checkId == QLatin1String(r.id))
            return QCoreApplication::translate("dcr::BankSideChecks", r.rule);
    return {};
}

QStringList BankSideChecks::checkIds() {
    QStringList ids;
    for (const auto& r : kRules)
        ids << QString::fromLatin1(r.id);
    return ids;
}

} // namespace dcr
