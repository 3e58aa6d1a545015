// Fixture for tst_layering: a directory of core/ that no floor library builds.
#pragma once
