// Waiting for SIGTERM/SIGINT in a multi-threaded server.
//
// Call BlockTerminationSignals() first thing in main(), before any thread starts, so every thread
// inherits the blocked mask; then start the servers and call WaitForTerminationSignal() to sleep
// until the process is asked to stop, and shut down gracefully.
#ifndef KEPLER_CORE_TERMINATION_SIGNAL_H_
#define KEPLER_CORE_TERMINATION_SIGNAL_H_

namespace kepler::model::core {

// Blocks SIGTERM and SIGINT in the calling thread (and threads it starts later).
void BlockTerminationSignals();

// Sleeps until SIGTERM or SIGINT arrives; returns the signal number.
int WaitForTerminationSignal();

}  // namespace kepler::model::core

#endif  // KEPLER_CORE_TERMINATION_SIGNAL_H_
