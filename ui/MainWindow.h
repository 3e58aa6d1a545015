#pragma once

#include <QMainWindow>

namespace dcr::ui {

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
};

} // namespace dcr::ui
