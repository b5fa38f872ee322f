// PostgreSQL's COPY text format, as `COPY ... TO STDOUT` sends it: one line
// per row, columns separated by tabs, `\N` for NULL, and backslash escapes
// for the tab, newline and backslash characters in a value.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "../../model/rows.hpp"

namespace tenant_migrator::detail::pg {

inline int copy_digit(char c, int base) noexcept {
  int d = -1;
  if (c >= '0' && c <= '9') d = c - '0';
  else if (c >= 'a' && c <= 'f') d = c - 'a' + 10;
  else if (c >= 'A' && c <= 'F') d = c - 'A' + 10;
  return d < base ? d : -1;
}

// One value of a COPY text line, escapes undone (the server sends \b \f \n
// \r \t \v \\, octal \ooo and hex \xhh; any other escaped character is itself).
inline std::optional<std::string> copy_value(std::string_view field) {
  if (field == "\\N") return std::nullopt;
  std::string out;
  out.reserve(field.size());
  for (std::size_t i = 0; i < field.size(); ++i) {
    char c = field[i];
    if (c != '\\' || i + 1 == field.size()) {
      out += c;
      continue;
    }
    c = field[++i];
    switch (c) {
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case 'x':
      case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
        const bool hex = c == 'x';
        const int base = hex ? 16 : 8;
        const std::size_t max_digits = hex ? 2 : 3;
        std::size_t j = hex ? i + 1 : i, used = 0;
        int value = 0;
        while (j < field.size() && used < max_digits && copy_digit(field[j], base) >= 0) {
          value = value * base + copy_digit(field[j], base);
          ++j, ++used;
        }
        if (used == 0) {  // `\x` with no hex digit: a plain x
          out += c;
          break;
        }
        out += static_cast<char>(value & 0xff);
        i = j - 1;
        break;
      }
      default: out += c; break;
    }
  }
  return out;
}

// One COPY text line (with or without its trailing newline) as a row.
inline row copy_row(std::string_view line) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  row out;
  std::size_t start = 0;
  while (true) {
    const std::size_t tab = line.find('\t', start);
    out.push_back(copy_value(line.substr(start, tab == std::string_view::npos ? std::string_view::npos : tab - start)));
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  return out;
}

}  // namespace tenant_migrator::detail::pg
