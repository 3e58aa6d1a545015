#pragma once

namespace dcr {

// Tells OpenSSL not to tear itself down in an atexit handler (OPENSSL_INIT_NO_ATEXIT); the
// system frees the process's memory instead. Each program calls it first thing in main(), before
// anything else initialises OpenSSL: only the first initialisation decides.
//
// Why: Qt runs HTTPS in a thread of its own (QNetworkAccessManager's), whose OpenSSL state
// (a DRBG per thread) is freed by a thread-exit handler. QThread::wait() returns before that
// handler runs, so a short process such as dcrctl can reach exit() while the thread is still
// finishing; OpenSSL's exit-time cleanup then deregisters every thread's handlers and deletes the
// thread-local keys under the running thread (OPENSSL_cleanup(3): not to be called while other
// threads use OpenSSL; crypto/initthread.c: ossl_cleanup_thread). Under the asan preset
// LeakSanitizer intermittently reported the orphaned DRBG from dcrctl children (about 1 in 10
// test runs under load); without the cleanup it stays reachable or is freed by its own thread.
// Returns false if OpenSSL could not be initialised.
bool skipOpenSslCleanupAtExit();

} // namespace dcr
