// Fixture for tst_layering: every include below breaks a rule CheckLayering.cmake enforces.
#pragma once
#include "history/HistoryStore.h"
#include "session/Session.h"
#include <QWidget>
