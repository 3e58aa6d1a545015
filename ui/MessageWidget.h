#pragma once

#include "common/Notice.h"

#include <QWidget>

class QLabel;

namespace dcr::ui {

// The in-place message bar: one message at a time, coloured by its level, closable. Errors appear
// here instead of as chains of modal boxes.
class MessageWidget : public QWidget {
    Q_OBJECT
public:
    explicit MessageWidget(QWidget* parent = nullptr);
    void showMessage(const Notice& notice);
    Notice::Level level() const { return m_level; }
    QString text() const;
    QLabel* label() const { return m_label; }

private:
    QLabel* m_label;
    Notice::Level m_level = Notice::Level::Info;
};

} // namespace dcr::ui
