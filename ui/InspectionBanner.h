#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;

namespace dcr::ui {

class ConsoleController;

// The bar above an inspected (received) request: where it came from, how many findings, and what
// it is checked against — a spec (guessed from the request until one is chosen, and said to be a
// guess) and the receiving bank's id (aud is compared only when one is given). It shows and edits
// the controller's InspectionTarget; changing either re-runs the checks through the controller.
class InspectionBanner : public QWidget {
    Q_OBJECT
public:
    explicit InspectionBanner(ConsoleController* controller, QWidget* parent = nullptr);
    // A new request: its source, and the target the controller guessed for it.
    void startInspecting(const QString& source);
    void showFindingCount(int findings);
    QComboBox* specChoice() const { return m_spec; }
    QLineEdit* bankIdEdit() const { return m_bankId; }
    QPushButton* compareWithCertificateButton() const { return m_compareCertificate; }
    QPushButton* fetchSoftwareJwksButton() const { return m_fetchJwks; }
    QString summary() const;
    QString targetText() const;

signals:
    void backToComposing();

protected:
    // A certificate file dropped on "Compare with certificate…" is used like one chosen there.
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    void chooseSpec(int index);
    void setBankId(const QString& id);
    // Asks for the TPP's transport certificate; the subject DN is compared with it by meaning.
    void chooseCertificate();
    void showTarget();

    ConsoleController* m_controller;
    QLabel* m_summary;
    QComboBox* m_spec;
    QLineEdit* m_bankId;
    QPushButton* m_compareCertificate;
    QPushButton* m_fetchJwks;
    QLabel* m_target;
    QString m_source;
};

} // namespace dcr::ui
