#include "SubjectDnPanel.h"

#include "jose/Certificate.h"
#include "jose/DnComparison.h"

#include "Tone.h"

#include <QClipboard>
#include <QFontDatabase>
#include <QGridLayout>
#include <QGuiApplication>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QToolButton>
#include <QVBoxLayout>

namespace dcr::ui {

SubjectDnPanel::SubjectDnPanel(QWidget* parent)
    : QGroupBox(tr("Subject DN, as each bank may spell it"), parent) {
    setObjectName(QStringLiteral("subjectDnPanel"));
    auto* layout = new QVBoxLayout(this);
    m_rowsHolder = new QWidget(this);
    m_rows = new QGridLayout(m_rowsHolder);
    m_rows->setContentsMargins(0, 0, 0, 0);
    m_rows->setColumnStretch(1, 1);
    m_compare = new QLineEdit(this);
    m_compare->setObjectName(QStringLiteral("dnCompare"));
    m_compare->setPlaceholderText(
        tr("Paste a DN from a form or a bank's answer to compare it by meaning"));
    m_compare->setClearButtonEnabled(true);
    m_verdict = new QLabel(this);
    m_verdict->setObjectName(QStringLiteral("dnVerdict"));
    m_verdict->setWordWrap(true);
    m_explanation = new QPlainTextEdit(this);
    m_explanation->setObjectName(QStringLiteral("dnExplanation"));
    m_explanation->setReadOnly(true);
    m_explanation->setMaximumHeight(90);
    m_explanation->hide();
    connect(m_compare, &QLineEdit::textChanged, this, &SubjectDnPanel::compare);
    auto* compareRow = new QHBoxLayout;
    compareRow->addWidget(new QLabel(tr("Compare with…"), this));
    compareRow->addWidget(m_compare, 1);
    layout->addWidget(m_rowsHolder);
    layout->addLayout(compareRow);
    layout->addWidget(m_verdict);
    layout->addWidget(m_explanation);
    setEnabled(false); // until a certificate is loaded
}

QLineEdit* SubjectDnPanel::addDialectRow(int row, const SubjectDnDialect& dialect) {
    auto* label = new QLabel(dialect.label, m_rowsHolder);
    auto* text = new QLineEdit(dialect.text, m_rowsHolder);
    text->setObjectName(QStringLiteral("dn_") + dialect.key);
    text->setReadOnly(true);
    text->setCursorPosition(0);
    text->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    text->setToolTip(dialect.note);
    auto* copy = new QToolButton(m_rowsHolder);
    copy->setObjectName(QStringLiteral("copy_") + dialect.key);
    copy->setText(tr("Copy"));
    copy->setToolTip(tr("Copy the %1 form").arg(dialect.label));
    const QString value = dialect.text;
    connect(copy, &QToolButton::clicked, this,
            [value] { QGuiApplication::clipboard()->setText(value); });
    m_rows->addWidget(label, row, 0);
    m_rows->addWidget(text, row, 1);
    m_rows->addWidget(copy, row, 2);
    m_rowWidgets << label << text << copy;
    return text;
}

void SubjectDnPanel::setCertificate(const Certificate& certificate) {
    clear();
    m_subject = DistinguishedName::fromCertificateSubject(certificate);
    m_dialects = SubjectDnDialects::of(certificate);
    for (int i = 0; i < m_dialects.size(); ++i)
        addDialectRow(i, m_dialects.at(i));
    setEnabled(true);
    compare();
}

void SubjectDnPanel::clear() {
    qDeleteAll(m_rowWidgets);
    m_rowWidgets.clear();
    m_dialects.clear();
    m_subject = {};
    setEnabled(false);
    compare();
}

void SubjectDnPanel::compare() {
    const QString given = m_compare->text().trimmed();
    m_explanation->clear();
    if (given.isEmpty() || m_dialects.isEmpty()) {
        m_verdict->clear();
        m_explanation->hide();
        return;
    }
    auto parsed = DistinguishedName::parse(given);
    if (!parsed) {
        m_verdict->setText(tr("Not read as a DN: %1").arg(parsed.error().message));
        setTextTone(m_verdict, Tone::Error);
        m_explanation->hide();
        return;
    }
    const auto comparison = DnComparison::compare(m_subject, *parsed);
    m_verdict->setText(comparison.sameByMeaning() ? tr("The same by meaning")
                                                  : tr("Different by meaning"));
    setTextTone(m_verdict, comparison.sameByMeaning() ? Tone::Success : Tone::Error, true);
    QStringList lines;
    for (const auto& d : comparison.differences())
        lines << QStringLiteral("• ") + d.explanation;
    for (const auto& note : comparison.notes())
        lines << tr("note: %1").arg(note);
    if (const auto spelled = SubjectDnDialects::spelledAs(m_dialects, given))
        lines << tr("note: spelled exactly as the \"%1\" form").arg(spelled->label);
    m_explanation->setPlainText(lines.join(u'\n'));
    m_explanation->setVisible(!lines.isEmpty());
}

QString SubjectDnPanel::verdictText() const {
    return m_verdict->text();
}

QString SubjectDnPanel::explanationText() const {
    return m_explanation->toPlainText();
}

} // namespace dcr::ui
