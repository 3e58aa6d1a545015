// Fixture for tst_layering: core code that reaches up into the widgets.
#include "MainWindow.h"
#include <QtWidgets/QLabel>
