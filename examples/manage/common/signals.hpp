// SIGINT/SIGTERM: the first stops after the migration in flight, which is
// cancelled and rolled back; a second one stops now (the database rolls back).
#pragma once

#include <atomic>
#include <csignal>
#include <cstdlib>

#include <tenant_migrator/interrupt.hpp>

namespace manage {

inline std::atomic<int> stop_signal{0};

extern "C" inline void on_stop_signal(int sig) {
  if (stop_signal.exchange(sig) != 0) std::_Exit(128 + sig);
  tenant_migrator::interrupt_running_migration();
}

inline void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = on_stop_signal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

}  // namespace manage
