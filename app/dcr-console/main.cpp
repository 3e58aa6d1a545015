#include "MainWindow.h"

#include <QApplication>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setApplicationName(QStringLiteral("DCR Console"));
    dcr::ui::MainWindow window;
    window.show();
    return app.exec();
}
