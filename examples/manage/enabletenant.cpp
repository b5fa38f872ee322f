#include "enabletenant.hpp"

namespace manage {

std::unique_ptr<command> add_enabletenant(CLI::App& manage) {
  return make_command<enabletenant_command>(manage, "enabletenant", "Mark a disabled tenant active again");
}

}  // namespace manage
