#include "TestReport.h"

#include "ShownScenario.h"

#include "common/AtomicFile.h"
#include "common/Utf8.h"
#include "registration/SecretScanner.h"
#include "transport/HttpExchange.h"

#include <QJsonDocument>
#include <QXmlStreamWriter>

#include <optional>

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

// A device that hands what is written to a sink (QXmlStreamWriter writes to a device); the
// sink's first error is kept and ends the writing.
class SinkDevice : public QIODevice {
public:
    explicit SinkDevice(const ByteSink& put)
        : m_put(put) {
        open(QIODevice::WriteOnly);
    }
    const std::optional<Error>& failure() const { return m_failure; }

protected:
    qint64 readData(char*, qint64) override { return -1; }
    qint64 writeData(const char* data, qint64 size) override {
        if (m_failure)
            return -1;
        if (auto ok = m_put(QByteArray(data, size)); !ok) {
            m_failure = ok.error();
            return -1;
        }
        return size;
    }

private:
    const ByteSink& m_put;
    std::optional<Error> m_failure;
};

QByteArray collected(const TestRunSummary& summary, TestRunReportWriter writer) {
    QByteArray out;
    // In memory nothing fails but a spool that cannot be read back: the report then ends with
    // why, never silently short.
    if (auto ok = writer(summary,
                         [&out](const QByteArray& bytes) -> Status {
                             out += bytes;
                             return {};
                         });
        !ok)
        out += "\n" + ok.error().message.toUtf8() + "\n";
    return out;
}

} // namespace

QByteArray testRunJunitXml(const TestRunSummary& summary) {
    return collected(summary, &writeTestRunJunitXml);
}

Status writeTestRunJunitXml(const TestRunSummary& summary, const ByteSink& put) {
    SinkDevice device(put);
    QXmlStreamWriter xml(&device);
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
    if (device.failure())
        return *device.failure();
    return {};
}

QByteArray testRunHtml(const TestRunSummary& summary) {
    return collected(summary, &writeTestRunHtml);
}

Status writeTestRunHtml(const TestRunSummary& summary, const ByteSink& put) {
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
    for (const auto& raw : summary.results) {
        const ScenarioResult r = shownResult(raw);
        h += s("<tr><td><a href=\"#%1\">%1</a></td><td class=\"%2\">%2</td><td>%3</td><td>%4</td>"
               "<td>%5</td></tr>\n")
                 .arg(e(r.scenarioId), verdictName(r.verdict), e(r.expected), e(r.got),
                      e(historyLine(r)));
    }
    h += s("</table>\n");
    // The part before the scenarios' details goes out now; each scenario's then goes out alone.
    if (auto ok = put(h.toUtf8()); !ok)
        return ok;
    for (const auto& raw : summary.results) {
        const ScenarioResult r = shownResult(raw);
        auto details = summary.shown(raw);
        if (!details)
            return details.error();
        h = s("<h3 id=\"%1\">%1: %2 <span class=\"%3\">%3</span></h3>\n")
                .arg(e(r.scenarioId), e(r.title), verdictName(r.verdict));
        h += s("<p>Source: %1<br>Mutations: %2<br>Expected: %3<br>Got: %4%5<br>History: %6</p>\n")
                 .arg(e(r.source), e(r.mutations), e(r.expected), e(r.got),
                      r.reason.isEmpty() ? QString() : s(" (%1)").arg(e(r.reason)),
                      e(historyLine(r)));
        if (!details->claimsText.isEmpty())
            h += s("<h4>Request claims (Content-Type %1)</h4><pre>%2</pre>\n")
                     .arg(e(details->requestContentType), e(details->claimsText));
        if (r.httpStatus)
            h += s("<h4>Response %1</h4><pre>%2</pre>\n")
                     .arg(r.httpStatus)
                     .arg(e(details->responseText));
        if (auto ok = put(h.toUtf8()); !ok)
            return ok;
    }
    return put("</body></html>\n");
}

Status saveTestRunReport(const QString& path, const TestRunSummary& summary,
                         TestRunReportWriter writer) {
    return writeFileAtomically(path, [&summary, writer](QIODevice& file) {
        return writer(summary, [&file](const QByteArray& bytes) -> Status {
            if (file.write(bytes) != bytes.size())
                return Error{ErrorKind::InputUnreadable, file.errorString()};
            return {};
        });
    });
}

} // namespace dcr
