#include "TestScenario.h"

#include "PlanFieldError.h"
#include "common/Utf8.h"

#include "common/ControlCharacters.h"
#include "registration/SpecVersion.h"

#include <QJsonArray>

#include <algorithm>

namespace dcr {

namespace {

const char* const kFamilies[] = {"seed", "obie", "ofb", "cdr", "any"};

} // namespace

const QStringList& lifecycleSteps() {
    static const QStringList steps{s("discovery"),
                                   s("register"),
                                   s("read"),
                                   s("update"),
                                   s("delete"),
                                   s("read-after-delete"),
                                   s("update-after-delete"),
                                   s("invalid-token"),
                                   s("read-without-scope")};
    return steps;
}

QString specFamily(const QString& spec) {
    const auto version = specVersionFromName(spec);
    if (!version)
        return {};
    if (isObie(*version))
        return s("obie");
    if (*version == SpecVersion::Seed)
        return s("seed");
    return specVersionName(*version); // "ofb", "cdr": each its own family
}

std::optional<ScenarioExpectation> TestScenario::expectationFor(const QString& spec) const {
    const QString family = specFamily(spec);
    if (expectations.contains(family))
        return expectations.value(family);
    if (expectations.contains(s("any")))
        return expectations.value(s("any"));
    return std::nullopt;
}

bool TestScenario::isPositive() const {
    for (const auto& e : expectations)
        if (e.accepted)
            return true;
    return false;
}

Result<TestScenario> TestScenario::fromJson(const QJsonValue& json) {
    if (!json.isObject())
        return planFieldError(s("(scenario)"), s("must be an object"));
    const QJsonObject o = json.toObject();
    TestScenario t;
    t.id = o.value(s("id")).toString();
    if (t.id.isEmpty())
        return planFieldError(s("id"), s("a non-empty string is required"));
    // The id becomes a history tag (scenario:ID) and a line of every report.
    if (auto printable = checkPrintableName(t.id, s("the scenario id")); !printable)
        return planFieldError(s("id"), printable.error().message);
    t.title = o.value(s("title")).toString();
    t.source = o.value(s("source")).toString();
    t.quote = o.value(s("quote")).toString();
    if (o.contains(s("mutations")) && !o.value(s("mutations")).isArray())
        return planFieldError(s("mutations"), s("must be an array"));
    const QJsonArray mutations = o.value(s("mutations")).toArray();
    for (qsizetype i = 0; i < mutations.size(); ++i) {
        auto m = ScenarioMutation::fromJson(mutations.at(i));
        if (!m)
            return planFieldError(
                s("mutations[%1].%2").arg(i).arg(m.error().message.section(u':', 0, 0)),
                m.error().message.section(u':', 1).trimmed());
        t.mutations << *m;
    }
    if (o.contains(s("step"))) {
        t.step = o.value(s("step")).toString();
        if (!lifecycleSteps().contains(t.step))
            return planFieldError(s("step"), s("unknown step \"%1\" (expected one of %2)")
                                                 .arg(o.value(s("step")).toVariant().toString(),
                                                      lifecycleSteps().join(s(", "))));
        // A step acts on the registered client as it is; a mutated request would make its
        // verdict say nothing about the lifecycle endpoint. Only how it travels may change (the
        // Brazil plan calls GET and DELETE without, or with a wrong, client certificate).
        if (t.step == s("discovery") && !t.mutations.isEmpty())
            return planFieldError(s("step"), s("the discovery step takes no mutations"));
        // The update step's body is a request like a registration's, so it may be mutated too
        // (the Brazil plan's update-client-config cases), except in how it is sent twice or
        // with another media type.
        const bool fits = t.step == s("update") ? updateStepMutations(t.mutations)
                                                : onlyTransportMutations(t.mutations);
        if (!fits)
            return planFieldError(s("step"),
                                  t.step == s("update")
                                      ? s("the update step takes no content_type or replay_jti "
                                          "mutations")
                                      : s("a lifecycle step takes only client_certificate "
                                          "mutations"));
    }
    if (!o.value(s("expect")).isObject())
        return planFieldError(s("expect"),
                              s("an object by spec (seed, obie, any) is required, e.g. "
                                "{\"seed\": {\"result\": \"rejected\", \"status\": 401}}"));
    const QJsonObject expect = o.value(s("expect")).toObject();
    for (auto it = expect.begin(); it != expect.end(); ++it) {
        if (std::none_of(std::begin(kFamilies), std::end(kFamilies),
                         [&](const char* f) { return it.key() == QLatin1String(f); }))
            return planFieldError(s("expect.%1").arg(it.key()),
                                  s("unknown spec (expected seed, obie or any)"));
        auto e = ScenarioExpectation::fromJson(it.value());
        if (!e)
            return planFieldError(
                s("expect.%1.%2").arg(it.key(), e.error().message.section(u':', 0, 0)),
                e.error().message.section(u':', 1).trimmed());
        t.expectations.insert(it.key(), *e);
    }
    if (t.expectations.isEmpty())
        return planFieldError(s("expect"), s("at least one spec's expectation is required"));
    for (auto it = o.begin(); it != o.end(); ++it)
        if (!QStringList{s("id"), s("title"), s("source"), s("quote"), s("mutations"), s("step"),
                         s("expect")}
                 .contains(it.key()))
            return planFieldError(it.key(), s("unknown field"));
    return t;
}

QJsonObject TestScenario::toJson() const {
    QJsonArray m;
    for (const auto& mutation : mutations)
        m.append(mutation.toJson());
    QJsonObject e;
    for (auto it = expectations.begin(); it != expectations.end(); ++it)
        e.insert(it.key(), it->toJson());
    QJsonObject o{{s("id"), id},       {s("title"), title}, {s("source"), source},
                  {s("quote"), quote}, {s("mutations"), m}, {s("expect"), e}};
    if (!step.isEmpty())
        o.insert(s("step"), step);
    return o;
}

} // namespace dcr
