#include "MainWindow.h"

#include <QLabel>

namespace dcr::ui {

MainWindow::MainWindow(QWidget* parent) : QMainWindow(parent)
{
    setWindowTitle(QStringLiteral("DCR Console"));
    setCentralWidget(new QLabel(QStringLiteral("DCR Console"), this));
    resize(1200, 800);
}

} // namespace dcr::ui
