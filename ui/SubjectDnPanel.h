#pragma once

#include "jose/DistinguishedName.h"
#include "jose/SubjectDnDialects.h"

#include <QGroupBox>

class QGridLayout;
class QLabel;
class QLineEdit;
class QPlainTextEdit;

namespace dcr {
class Certificate;
}

namespace dcr::ui {

// A certificate's subject DN in each dialect banks use (from SubjectDnDialects), each with a copy
// button, and a "Compare with…" line: a DN pasted from a form or a bank's answer is compared by
// meaning (DnComparison) and each difference explained. It only shows what core computes.
class SubjectDnPanel : public QGroupBox {
    Q_OBJECT
public:
    explicit SubjectDnPanel(QWidget* parent = nullptr);
    void setCertificate(const Certificate& certificate);
    void clear();

    // The compared DN's verdict ("the same by meaning", "different by meaning", or why it could
    // not be read) and its explanations, one a line.
    QString verdictText() const;
    QString explanationText() const;

private:
    void compare();
    QLineEdit* addDialectRow(int row, const SubjectDnDialect& dialect);

    QGridLayout* m_rows;
    QWidget* m_rowsHolder;
    QLineEdit* m_compare;
    QLabel* m_verdict;
    QPlainTextEdit* m_explanation;
    QList<SubjectDnDialect> m_dialects;
    DistinguishedName m_subject;
    QList<QWidget*> m_rowWidgets;
};

} // namespace dcr::ui
