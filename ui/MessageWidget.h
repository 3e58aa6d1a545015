#pragma once

#include "common/Notice.h"

#include <QWidget>

class QLabel;

namespace dcr::ui {

// The in-place message bar: one message at a time, coloured by its level, closable. Errors appear
// here instead of as chains of modal boxes. Its place is kept while no message is shown and it
// always has the height of two lines, so the tabs below never move when a message comes or goes;
// a longer text is cut there with "…" and shown whole in the tooltip.
class MessageWidget : public QWidget {
    Q_OBJECT
public:
    // Lines of text the bar has room for.
    static constexpr int Lines = 2;

    explicit MessageWidget(QWidget* parent = nullptr);
    void showMessage(const Notice& notice);
    // The message no longer applies (its cause ended, or a new action started).
    void dismiss();
    Notice::Level level() const { return m_level; }
    // The whole message, also when the bar shows it cut.
    QString text() const { return m_text; }
    QLabel* label() const { return m_label; }

protected:
    void resizeEvent(QResizeEvent* event) override;

private:
    void fitText();

    QLabel* m_label;
    QString m_text;
    Notice::Level m_level = Notice::Level::Info;
};

} // namespace dcr::ui
