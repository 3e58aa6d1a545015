// Fixture for tst_layering: a floor that includes floors above it (jose links only common).
#include "common/Error.h"
#include "registration/SpecVersion.h"
#include "testplan/TestPlan.h"
