#include "disabletenant.hpp"

namespace manage {

std::unique_ptr<command> add_disabletenant(CLI::App& manage) {
  return make_command<disabletenant_command>(manage, "disabletenant", "Mark a tenant disabled: runs leave it alone");
}

}  // namespace manage
