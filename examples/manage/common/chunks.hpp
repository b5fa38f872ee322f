// Commands that print something for every tenant (showmigrations, --plan)
// work through the tenants a chunk at a time, so that what they hold for each
// one (its state or plan) does not grow with the tenant count.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

#include <tenant_migrator/model/tenant.hpp>

namespace manage {

namespace tmig = tenant_migrator;

// 5,000 tenants' states or plans take a few MiB; each chunk still reads its
// histories in batches (PostgreSQL schemas: 500 a round trip).
inline constexpr std::size_t tenants_per_chunk = 5'000;

// Calls f(chunk, first) for each run of up to tenants_per_chunk tenants, in
// order; `first` is the index in `tenants` of the chunk's first tenant.
template <class F>
void for_each_chunk(const std::vector<tmig::tenant>& tenants, F&& f) {
  for (std::size_t first = 0; first < tenants.size(); first += tenants_per_chunk) {
    const auto end = std::min(first + tenants_per_chunk, tenants.size());
    f(std::vector<tmig::tenant>(tenants.begin() + static_cast<std::ptrdiff_t>(first),
                                tenants.begin() + static_cast<std::ptrdiff_t>(end)),
      first);
  }
}

}  // namespace manage
