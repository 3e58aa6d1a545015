#include "ScenarioChange.h"

#include "common/Utf8.h"

#include <QCoreApplication>

namespace dcr {

QString changeKindName(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::NewlyFailing:
        return s("newly_failing");
    case ChangeKind::NewlyPassing:
        return s("newly_passing");
    case ChangeKind::StillFailing:
        return s("still_failing");
    case ChangeKind::ChangedAnswer:
        return s("changed_answer");
    case ChangeKind::Added:
        return s("added");
    case ChangeKind::Removed:
        return s("removed");
    case ChangeKind::Unchanged:
        return s("unchanged");
    }
    return {};
}

QString changeKindTitle(ChangeKind kind) {
    switch (kind) {
    case ChangeKind::NewlyFailing:
        return QCoreApplication::translate("dcr::TestRunDiff", "Newly failing");
    case ChangeKind::NewlyPassing:
        return QCoreApplication::translate("dcr::TestRunDiff", "Newly passing");
    case ChangeKind::StillFailing:
        return QCoreApplication::translate("dcr::TestRunDiff", "Still failing");
    case ChangeKind::ChangedAnswer:
        return QCoreApplication::translate("dcr::TestRunDiff", "Changed answer");
    case ChangeKind::Added:
        return QCoreApplication::translate("dcr::TestRunDiff", "Added");
    case ChangeKind::Removed:
        return QCoreApplication::translate("dcr::TestRunDiff", "Removed");
    case ChangeKind::Unchanged:
        return QCoreApplication::translate("dcr::TestRunDiff", "Unchanged");
    }
    return {};
}

namespace {

ChangeKind kindOf(const ScenarioSide& before, const ScenarioSide& after) {
    if (before.failing() && after.failing())
        return ChangeKind::StillFailing;
    if (after.failing())
        return ChangeKind::NewlyFailing;
    if (before.failing())
        return ChangeKind::NewlyPassing;
    if (before.verdict != after.verdict || before.answerDiffers(after))
        return ChangeKind::ChangedAnswer;
    return ChangeKind::Unchanged;
}

} // namespace

ScenarioChange ScenarioChange::between(const ScenarioResult* before, const ScenarioResult* after) {
    ScenarioChange change;
    const ScenarioResult* named = after ? after : before;
    change.scenarioId = named->scenarioId;
    change.title = named->title;
    if (before)
        change.before = ScenarioSide::of(*before);
    if (after)
        change.after = ScenarioSide::of(*after);
    if (!before)
        change.kind = ChangeKind::Added;
    else if (!after)
        change.kind = ChangeKind::Removed;
    else
        change.kind = kindOf(*change.before, *change.after);
    return change;
}

bool ScenarioChange::answerChanged() const {
    return before && after && before->answerDiffers(*after);
}

bool ScenarioChange::isNewFailure() const {
    return kind == ChangeKind::NewlyFailing || (kind == ChangeKind::Added && after->failing());
}

QJsonObject ScenarioChange::toJson() const {
    QJsonObject o{{s("id"), scenarioId},
                  {s("title"), title},
                  {s("change"), changeKindName(kind)},
                  {s("answer_changed"), answerChanged()}};
    if (before)
        o.insert(s("before"), before->toJson());
    if (after)
        o.insert(s("after"), after->toJson());
    return o;
}

} // namespace dcr
