// Fixture for tst_layering: the sandbox links registration, not transport beside it.
#include "registration/RegistrationRequest.h"
#include "transport/HttpExchange.h"
