#pragma once

#include "ScenarioSide.h"

#include <optional>

namespace dcr {

// How a scenario's result moved from one run (before) to another (after). Failing means failed
// or error; passing means passed or skipped.
enum class ChangeKind {
    NewlyFailing,  // passing before, failing now: a regression
    NewlyPassing,  // failing before, passing now
    StillFailing,  // failing in both runs (the answers may differ: ScenarioChange::answerChanged)
    ChangedAnswer, // passing in both, but the answer differs (status, error class, no answer) or
                   // the verdict moved between passed and skipped
    Added,         // only in the after run
    Removed,       // only in the before run
    Unchanged,     // same verdict, same answer
};
inline constexpr ChangeKind AllChangeKinds[] = {ChangeKind::NewlyFailing, ChangeKind::NewlyPassing,
                                                ChangeKind::StillFailing, ChangeKind::ChangedAnswer,
                                                ChangeKind::Added,        ChangeKind::Removed,
                                                ChangeKind::Unchanged};
// "newly_failing", "newly_passing", "still_failing", "changed_answer", "added", "removed",
// "unchanged": the JSON names, never translated.
QString changeKindName(ChangeKind kind);
// "Newly failing", … as a heading for people (translated).
QString changeKindTitle(ChangeKind kind);

// One scenario in a comparison: its id and title, and each run's side (absent for the run that
// did not play it).
struct ScenarioChange {
    QString scenarioId;
    QString title;
    ChangeKind kind = ChangeKind::Unchanged;
    std::optional<ScenarioSide> before;
    std::optional<ScenarioSide> after;

    // Sorts one scenario into its kind. At least one side must be given.
    static ScenarioChange between(const ScenarioResult* before, const ScenarioResult* after);

    // Both runs played it and the ASPSP's answers differ (ScenarioSide::answerDiffers).
    bool answerChanged() const;
    // A failing result that was not failing before: newly failing, or added and failing.
    bool isNewFailure() const;

    QJsonObject toJson() const; // secrets masked
};

} // namespace dcr
