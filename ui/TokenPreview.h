#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace dcr::ui {

// The token as it would be sent: header and payload JSON, and the compact JWT, with copy buttons.
class TokenPreview : public QWidget {
    Q_OBJECT
public:
    explicit TokenPreview(QWidget* parent = nullptr);
    void showToken(const QByteArray& compact, const QString& note = {});
    void showError(const QString& message);
    QByteArray token() const { return m_token; }

private:
    QLabel* m_status;
    QPlainTextEdit* m_header;
    QPlainTextEdit* m_payload;
    QPlainTextEdit* m_compact;
    QByteArray m_token;
};

} // namespace dcr::ui
