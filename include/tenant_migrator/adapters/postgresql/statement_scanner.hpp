// Where the statements of a migration script start and end, and which line a
// byte is on: to run a script one statement at a time, and to name the
// failing line of a script when the server gives no error position.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tenant_migrator::detail::pg {

inline bool identifier_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

struct statement_span {
  std::size_t begin = 0;  // the first token
  std::size_t end = 0;    // its ';' (or the end of the script)
};

// The statements of `sql`, as the server splits it (empty statements are
// skipped). Knows comments (nested /* */), '...', E'...', "...", $tag$...$tag$
// and BEGIN ATOMIC ... END bodies. Used to run a script one statement at a
// time, and to name the line of a failing statement the server gives no
// position for.
inline std::vector<statement_span> statement_spans(std::string_view sql) {
  std::vector<statement_span> spans;
  const std::size_t n = sql.size();
  std::size_t i = 0;
  bool in_statement = false;
  int atomic_depth = 0;
  std::string previous_word;
  auto at = [&](std::size_t k) { return k < n ? sql[k] : '\0'; };
  while (i < n) {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
      ++i;
      continue;
    }
    if (c == '-' && at(i + 1) == '-') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      int depth = 0;
      while (i < n) {
        if (sql[i] == '/' && at(i + 1) == '*') {
          ++depth;
          i += 2;
        } else if (sql[i] == '*' && at(i + 1) == '/') {
          i += 2;
          if (--depth == 0) break;
        } else {
          ++i;
        }
      }
      continue;
    }
    if (c == ';') {
      if (atomic_depth == 0 && in_statement) {
        spans.back().end = i;
        in_statement = false;
      }
      previous_word.clear();
      ++i;
      continue;
    }
    if (!in_statement) {
      spans.push_back({i, n});
      in_statement = true;
    }
    // Skips a quoted run from its opening quote at i: a doubled quote is one
    // character; with backslash escapes (E'...') so is \x.
    auto skip_quoted = [&](char quote, bool backslash_escapes) {
      ++i;
      while (i < n) {
        if (backslash_escapes && sql[i] == '\\') {
          i += 2;
        } else if (sql[i] == quote) {
          if (at(i + 1) != quote) {
            ++i;
            break;
          }
          i += 2;
        } else {
          ++i;
        }
      }
      previous_word.clear();
    };
    bool escape_string = (c == 'E' || c == 'e') && at(i + 1) == '\'' && (i == 0 || !identifier_char(sql[i - 1]));
    if (c == '\'' || escape_string) {
      if (escape_string) ++i;
      skip_quoted('\'', escape_string);
      continue;
    }
    if (c == '"') {
      skip_quoted('"', false);
      continue;
    }
    if (c == '$' && !(at(i + 1) >= '0' && at(i + 1) <= '9')) {
      std::size_t j = i + 1;
      while (j < n && identifier_char(sql[j])) ++j;
      if (j < n && sql[j] == '$') {
        std::string_view tag = sql.substr(i, j - i + 1);
        std::size_t close = sql.find(tag, j + 1);
        i = close == std::string_view::npos ? n : close + tag.size();
        previous_word.clear();
        continue;
      }
      ++i;
      continue;
    }
    if (identifier_char(c) && !(c >= '0' && c <= '9')) {
      std::size_t j = i;
      while (j < n && (identifier_char(sql[j]) || sql[j] == '$')) ++j;
      std::string word(sql.substr(i, j - i));
      for (char& w : word)
        if (w >= 'A' && w <= 'Z') w = static_cast<char>(w - 'A' + 'a');
      if (word == "atomic" && previous_word == "begin")
        ++atomic_depth;
      else if (atomic_depth > 0 && word == "case")
        ++atomic_depth;
      else if (atomic_depth > 0 && word == "end")
        --atomic_depth;
      previous_word = std::move(word);
      i = j;
      continue;
    }
    if (c >= '0' && c <= '9') {
      while (i < n && (identifier_char(sql[i]) || sql[i] == '.')) ++i;
      previous_word.clear();
      continue;
    }
    previous_word.clear();
    ++i;
  }
  return spans;
}

// Byte offsets of the first token of each statement of `sql`.
inline std::vector<std::size_t> statement_starts(std::string_view sql) {
  std::vector<std::size_t> starts;
  for (const auto& span : statement_spans(sql)) starts.push_back(span.begin);
  return starts;
}

inline int line_at(std::string_view text, std::size_t byte_offset) {
  int line = 1;
  for (std::size_t k = 0; k < byte_offset && k < text.size(); ++k) line += (text[k] == '\n');
  return line;
}

// Byte offset of the 1-based character `position` (UTF-8 code points when `utf8`).
inline std::size_t byte_offset_of(std::string_view text, long position, bool utf8) {
  if (position <= 1) return 0;
  if (!utf8) return static_cast<std::size_t>(position - 1);
  long seen = 0;
  for (std::size_t k = 0; k < text.size(); ++k) {
    if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80 && ++seen == position) return k;
  }
  return text.size();
}

}  // namespace tenant_migrator::detail::pg
