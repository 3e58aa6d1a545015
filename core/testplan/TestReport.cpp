#include "TestReport.h"

#include "common/Utf8.h"
#include "registration/SecretScanner.h"
#include "transport/HttpExchange.h"

#include <QJsonDocument>
#include <QXmlStreamWriter>

namespace dcr {

namespace {

// A result as the reports show it: got and reason through SecretScanner::maskText (a bank's
// error text may quote a secret, client_secret=…, outside any JSON the body masking sees).
ScenarioResult shownResult(const ScenarioResult& r) {
    ScenarioResult shown = r;
    shown.got = SecretScanner::maskText(r.got);
    shown.reason = SecretScanner::maskText(r.reason);
    return shown;
}

QString seconds(qint64 ms) {
    return QString::number(static_cast<double>(ms) / 1000.0, 'f', 3);
}

// The words every report uses for a run that did not check the ASPSP's certificate (#21.15).
QString tlsVerificationText(const TestRunSummary& summary) {
    return summary.tlsVerificationOff
               ? s("OFF (INSECURE: the ASPSP's TLS certificate was not verified)")
               : s("on");
}

QString historyLine(const ScenarioResult& r) {
    QStringList ids;
    for (qint64 id : r.historyIds)
        ids << s("#%1").arg(id);
    return ids.isEmpty() ? s("not recorded") : ids.join(s(", "));
}

QString maskedClaims(const ScenarioResult& r) {
    return QString::fromUtf8(maskSecretsInJson(QJsonDocument(r.requestClaims).toJson()));
}

QString maskedResponse(const ScenarioResult& r) {
    QByteArray body = maskSecretsInBody(r.responseBody, r.responseContentType);
    // Pretty-print JSON for reading; anything else as it is (masked).
    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (!doc.isNull())
        body = doc.toJson(QJsonDocument::Indented);
    return QString::fromUtf8(body);
}

} // namespace

QByteArray testRunJunitXml(const TestRunSummary& summary) {
    QByteArray out;
    QXmlStreamWriter xml(&out);
    xml.setAutoFormatting(true);
    xml.writeStartDocument();
    const qint64 totalMs = summary.started.msecsTo(summary.finished);
    xml.writeStartElement(s("testsuites"));
    xml.writeStartElement(s("testsuite"));
    const QString suite =
        s("dcr.%1").arg(summary.planName.isEmpty() ? s("plan") : summary.planName);
    xml.writeAttribute(s("name"), suite);
    xml.writeAttribute(s("tests"), QString::number(summary.results.size()));
    xml.writeAttribute(s("failures"), QString::number(summary.count(Verdict::Failed)));
    xml.writeAttribute(s("errors"), QString::number(summary.count(Verdict::Error)));
    xml.writeAttribute(s("skipped"), QString::number(summary.count(Verdict::Skipped)));
    xml.writeAttribute(s("timestamp"), summary.started.toUTC().toString(Qt::ISODate));
    xml.writeAttribute(s("time"), seconds(totalMs));
    xml.writeStartElement(s("properties"));
    for (const auto& [name, value] :
         {std::pair{s("run_id"), summary.runId}, std::pair{s("profile"), summary.profile},
          std::pair{s("spec"), summary.spec},
          std::pair{s("tls_verification_off"),
                    summary.tlsVerificationOff ? s("true") : s("false")}}) {
        xml.writeStartElement(s("property"));
        xml.writeAttribute(s("name"), name);
        xml.writeAttribute(s("value"), value);
        xml.writeEndElement();
    }
    // Why the run ended before its last scenario (the ASPSP stopped answering, #21.7): a CI
    // reader must not take the missing test cases for a short plan.
    if (!summary.stopReason.isEmpty()) {
        xml.writeStartElement(s("property"));
        xml.writeAttribute(s("name"), s("stop_reason"));
        xml.writeAttribute(s("value"), summary.stopReason);
        xml.writeEndElement();
    }
    xml.writeEndElement(); // properties
    for (const auto& raw : summary.results) {
        // got and reason may quote the bank's error text, a secret in it too: masked.
        const ScenarioResult r = shownResult(raw);
        xml.writeStartElement(s("testcase"));
        xml.writeAttribute(s("classname"), suite);
        xml.writeAttribute(s("name"), s("%1: %2").arg(r.scenarioId, r.title));
        xml.writeAttribute(s("time"), seconds(r.elapsedMs));
        const QString detail =
            s("expected %1, got %2%3\nmutations: %4\nsource: %5")
                .arg(r.expected, r.got, r.reason.isEmpty() ? QString() : s(" (%1)").arg(r.reason),
                     r.mutations, r.source);
        switch (r.verdict) {
        case Verdict::Passed:
            break;
        case Verdict::Failed:
            xml.writeStartElement(s("failure"));
            xml.writeAttribute(s("message"), r.reason);
            xml.writeAttribute(s("type"), s("expectation"));
            xml.writeCharacters(detail);
            xml.writeEndElement();
            break;
        case Verdict::Error:
            xml.writeStartElement(s("error"));
            xml.writeAttribute(s("message"), r.reason);
            xml.writeCharacters(detail);
            xml.writeEndElement();
            break;
        case Verdict::Skipped:
            xml.writeStartElement(s("skipped"));
            xml.writeAttribute(s("message"), r.reason);
            xml.writeEndElement();
            break;
        }
        xml.writeTextElement(s("system-out"), s("history: %1").arg(historyLine(r)));
        xml.writeEndElement(); // testcase
    }
    xml.writeEndElement(); // testsuite
    xml.writeEndElement(); // testsuites
    xml.writeEndDocument();
    return out;
}

QByteArray testRunHtml(const TestRunSummary& summary) {
    auto e = [](const QString& text) { return text.toHtmlEscaped(); };
    QString h;
    h += s("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
           "<title>DCR test run %1</title>\n<style>"
           "body{font-family:sans-serif;margin:2em}table{border-collapse:collapse}"
           "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left;vertical-align:top}"
           "pre{background:#f6f6f6;padding:8px;overflow:auto;max-height:30em}"
           ".passed{color:#060}.failed{color:#b00}.error{color:#b60}.skipped{color:#666}"
           "</style></head><body>\n")
             .arg(e(summary.runId));
    h += s("<h1>DCR test run %1</h1>\n<table>").arg(e(summary.runId));
    const std::pair<QString, QString> rows[] = {
        {s("Plan"), summary.planName},
        {s("Profile"), summary.profile},
        {s("Spec"), summary.spec},
        {s("TLS verification"), tlsVerificationText(summary)},
        {s("Started"), summary.started.toUTC().toString(Qt::ISODate)},
        {s("Finished"), summary.finished.toUTC().toString(Qt::ISODate)},
        {s("Result"),
         s("%1 passed, %2 failed, %3 errors, %4 skipped%5")
             .arg(summary.count(Verdict::Passed))
             .arg(summary.count(Verdict::Failed))
             .arg(summary.count(Verdict::Error))
             .arg(summary.count(Verdict::Skipped))
             .arg(summary.endNote().isEmpty() ? QString() : s(" (%1)").arg(summary.endNote()))}};
    for (const auto& [k, v] : rows)
        h += s("<tr><th>%1</th><td>%2</td></tr>").arg(e(k), e(v));
    h += s("</table>\n<h2>Scenarios</h2>\n<table><tr><th>Scenario</th><th>Verdict</th>"
           "<th>Expected</th><th>Got</th><th>History</th></tr>\n");
    QList<ScenarioResult> shown;
    for (const auto& raw : summary.results)
        shown << shownResult(raw);
    for (const auto& r : shown)
        h += s("<tr><td><a href=\"#%1\">%1</a></td><td class=\"%2\">%2</td><td>%3</td><td>%4</td>"
               "<td>%5</td></tr>\n")
                 .arg(e(r.scenarioId), verdictName(r.verdict), e(r.expected), e(r.got),
                      e(historyLine(r)));
    h += s("</table>\n");
    for (const auto& r : shown) {
        h += s("<h3 id=\"%1\">%1: %2 <span class=\"%3\">%3</span></h3>\n")
                 .arg(e(r.scenarioId), e(r.title), verdictName(r.verdict));
        h += s("<p>Source: %1<br>Mutations: %2<br>Expected: %3<br>Got: %4%5<br>History: %6</p>\n")
                 .arg(e(r.source), e(r.mutations), e(r.expected), e(r.got),
                      r.reason.isEmpty() ? QString() : s(" (%1)").arg(e(r.reason)),
                      e(historyLine(r)));
        if (!r.requestClaims.isEmpty())
            h += s("<h4>Request claims (Content-Type %1)</h4><pre>%2</pre>\n")
                     .arg(e(QString::fromLatin1(r.requestContentType)), e(maskedClaims(r)));
        if (r.httpStatus)
            h += s("<h4>Response %1</h4><pre>%2</pre>\n")
                     .arg(r.httpStatus)
                     .arg(e(maskedResponse(r)));
    }
    h += s("</body></html>\n");
    return h.toUtf8();
}

} // namespace dcr
