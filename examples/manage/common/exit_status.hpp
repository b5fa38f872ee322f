// manage's exit statuses (docs/exit-codes.md) and the failures that choose them.
#pragma once

#include <stdexcept>
#include <string>

namespace manage {

enum class exit_status : int {
  ok = 0,             // every tenant succeeded or was up to date; the command did what it was asked
  failed = 1,         // at least one tenant failed or was skipped
  usage = 2,          // bad flag or value, bad configuration, invalid migration set, unknown tenant: nothing done
  cannot_go_on = 3,   // the run could not go on: master or server failure outside any tenant
  interrupted = 130,  // SIGINT
  terminated = 143,   // SIGTERM
};

inline int code(exit_status s) { return static_cast<int>(s); }

// A failure of the master or a server once the command has started changing
// things (exit 3). Thrown by after_start().
class cannot_go_on : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

}  // namespace manage
