#pragma once

#include "history/SubmissionRecord.h"
#include "session/Submitter.h"

#include <QWidget>

class QCheckBox;
class QLabel;
class QPlainTextEdit;
class QTableWidget;

namespace dcr::ui {

// The answer to a submission: the classified outcome with the seed's explanation and the likely
// fix, what the bank changed, status, headers and body (secrets masked until revealed).
class ResponseView : public QWidget {
    Q_OBJECT
public:
    explicit ResponseView(QWidget* parent = nullptr);
    void showResult(const SubmissionResult& result);
    void showSending(const QString& url);
    QString outcomeText() const;
    QString explanationText() const;
    // What is wrong with the subject DN the bank echoed; empty when nothing is (or none was).
    QString subjectDnText() const;

private:
    void renderBody();
    void showEchoedSubjectDns(const QList<EchoedSubjectDn>& echoes);

    QLabel* m_outcome;
    QLabel* m_explanation;
    QLabel* m_fix;
    QLabel* m_meta;
    QLabel* m_subjectDn;
    QTableWidget* m_changes;
    QPlainTextEdit* m_headers;
    QPlainTextEdit* m_body;
    QCheckBox* m_reveal;
    QByteArray m_rawBody;
    QByteArray m_contentType; // decides how secrets are masked (JSON or a signed JWT body)
};

} // namespace dcr::ui
