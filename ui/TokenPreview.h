#pragma once

#include <QWidget>

class QLabel;
class QPlainTextEdit;

namespace dcr::ui {

// The request body as it would be sent: a signed JWT (header and payload JSON, and the compact
// JWT) or an RFC 7591 JSON body (its Content-Type, its metadata, its bytes), with copy buttons.
class TokenPreview : public QWidget {
    Q_OBJECT
public:
    explicit TokenPreview(QWidget* parent = nullptr);
    void showToken(const QByteArray& compact, const QString& note = {});
    // An RFC 7591 JSON body: nothing signed, the bytes as they go out and their Content-Type.
    void showJsonBody(const QByteArray& body, const QByteArray& contentType,
                      const QString& note = {});
    void showError(const QString& message);
    QByteArray token() const { return m_token; }

signals:
    // Whether there is a body to copy (none while an error is shown).
    void tokenAvailable(bool available);

private:
    void setToken(const QByteArray& token);
    QLabel* m_status;
    QPlainTextEdit* m_header;
    QPlainTextEdit* m_payload;
    QPlainTextEdit* m_compact;
    QLabel *m_headerLabel, *m_payloadLabel, *m_compactLabel;
    void setLabels(bool json);
    QByteArray m_token;
};

} // namespace dcr::ui
