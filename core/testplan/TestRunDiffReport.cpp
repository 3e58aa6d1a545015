#include "TestRunDiffReport.h"

#include "common/Utf8.h"
#include "transport/HttpExchange.h"


namespace dcr {

namespace {

QString e(const QString& text) {
    return text.toHtmlEscaped();
}

QString maskedBody(const ScenarioSide& side) {
    return maskedBodyForReading(side.responseBody, side.responseContentType);
}

// One side's cell: the verdict (coloured as in testRunHtml) and what the ASPSP answered.
QString sideCell(const std::optional<ScenarioSide>& side) {
    if (!side)
        return s("<td class=\"skipped\">not played</td>");
    return s("<td><span class=\"%1\">%1</span><br>%2</td>")
        .arg(verdictName(side->verdict), e(side->shownGot()));
}

QString runRow(const QString& label, const TestRunDiff::RunInfo& run) {
    return s("<tr><th>%1</th><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td>%6</td></tr>\n")
        .arg(e(label), e(run.runId), e(run.started.toUTC().toString(Qt::ISODate)), e(run.profile),
             e(run.spec),
             e(run.endNote.isEmpty() ? s("ran to its end") : run.endNote) +
                 (run.tlsVerificationOff ? s("; TLS verification OFF (INSECURE)") : QString()));
}

QString changeSection(const TestRunDiff& diff, ChangeKind kind) {
    const QList<ScenarioChange> changes = diff.changes(kind);
    QString h =
        s("<h2 id=\"%1\">%2 (%3)</h2>\n")
            .arg(changeKindName(kind), e(changeKindTitle(kind)), QString::number(changes.size()));
    if (changes.isEmpty())
        return h + s("<p>None.</p>\n");
    h += s("<table><tr><th>Scenario</th><th>Expected</th><th>Before</th><th>After</th>"
           "<th>Reason (after)</th></tr>\n");
    for (const ScenarioChange& c : changes) {
        const ScenarioSide& named = c.after ? *c.after : *c.before;
        h += s("<tr><td>%1<br><small>%2</small></td><td>%3</td>%4%5<td>%6</td></tr>\n")
                 .arg(e(c.scenarioId), e(c.title), e(named.expected), sideCell(c.before),
                      sideCell(c.after), c.after ? e(c.after->shownReason()) : QString());
    }
    h += s("</table>\n");
    // What the bank answered to each newly failing request, for its developers.
    if (kind == ChangeKind::NewlyFailing)
        for (const ScenarioChange& c : changes)
            if (!c.after->responseBody.isEmpty())
                // One multi-argument arg(): a "%2" in the scenario id or the body stays text.
                h += s("<h3>%1: response %2 (after)</h3><pre>%3</pre>\n")
                         .arg(e(c.scenarioId), QString::number(c.after->httpStatus),
                              e(maskedBody(*c.after)));
    return h;
}

} // namespace

QByteArray testRunDiffHtml(const TestRunDiff& diff) {
    const QString title = s("DCR regression report: run %1 against run %2")
                              .arg(diff.after().runId, diff.before().runId);
    QString h;
    h += s("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>%1</title>\n<style>"
           "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
           "pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:30em}"
           ".passed{color:#060}.failed{color:#b00}.error{color:#b60}.skipped{color:#666}"
           "</style></head><body>\n")
             .arg(e(title));
    h += s("<h1>%1</h1>\n<table><tr><th></th><th>Run</th><th>Started (UTC)</th><th>Profile</th>"
           "<th>Spec</th><th>End</th></tr>\n")
             .arg(e(title));
    h += runRow(s("Before"), diff.before()) + runRow(s("After"), diff.after());
    h += s("</table>\n<p><strong>%1</strong></p>\n")
             .arg(diff.hasNewFailures() ? s("Something fails now that did not before.")
                                        : s("Nothing fails now that did not before."));
    if (!diff.notes().isEmpty()) {
        h += s("<ul>\n");
        for (const QString& note : diff.notes())
            h += s("<li>%1</li>\n").arg(e(note));
        h += s("</ul>\n");
    }
    h += s("<table><tr><th>Change</th><th>Scenarios</th></tr>\n");
    for (ChangeKind kind : AllChangeKinds)
        h += s("<tr><td><a href=\"#%1\">%2</a></td><td>%3</td></tr>\n")
                 .arg(changeKindName(kind), e(changeKindTitle(kind)),
                      QString::number(diff.count(kind)));
    h += s("</table>\n");
    for (ChangeKind kind : AllChangeKinds)
        h += changeSection(diff, kind);
    h += s("</body></html>\n");
    return h.toUtf8();
}

} // namespace dcr
