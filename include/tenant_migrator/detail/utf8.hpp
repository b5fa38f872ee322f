// UTF-8 validation: migration files and identifiers must be valid UTF-8
// before they reach a database or a JSON document.
#pragma once

#include <cstddef>
#include <string_view>

namespace tenant_migrator::detail {

// Offset of the first byte that breaks UTF-8, or npos when `s` is valid.
inline std::size_t first_invalid_utf8(std::string_view s) noexcept {
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t len = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
    if (len == 0 || i + len > s.size()) return i;
    if (len == 2 && c < 0xc2) return i;  // overlong
    for (std::size_t j = 1; j < len; ++j)
      if ((static_cast<unsigned char>(s[i + j]) >> 6) != 0x2) return i;
    auto c1 = static_cast<unsigned char>(s[i + 1 < s.size() ? i + 1 : i]);
    if (len == 3 && ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f))) return i;  // overlong, surrogate
    if (len == 4 && ((c == 0xf0 && c1 < 0x90) || (c == 0xf4 && c1 > 0x8f) || c > 0xf4)) return i;
    i += len;
  }
  return std::string_view::npos;
}

}  // namespace tenant_migrator::detail
