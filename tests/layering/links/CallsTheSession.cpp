// Fixture for layering_link_graph: code that calls the session, built into two libraries. The one
// that links dcr_session links on its own; the one that links only dcr_transport (a transport file
// calling up) must not.
#include "session/AppPaths.h"

namespace dcr {

QString fixtureCallsTheSession() {
    return AppPaths::defaults().historyDb;
}

} // namespace dcr
