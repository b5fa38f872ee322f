// Splitting MariaDB SQL text (part of adapters/mariadb.hpp): a script into
// statements, and $1, $2 placeholders into '?'.
//
// Scripts are split on the client, not sent with CLIENT_MULTI_STATEMENTS, so
// that a failure names its statement's line and nothing after it runs. The
// lexer knows '...' and "..." strings (backslash escapes, doubled quotes),
// `...` identifiers, -- and # line comments, /* */ comments (also /*! */), and
// BEGIN ... END bodies of CREATE TRIGGER / PROCEDURE / FUNCTION / EVENT
// without DELIMITER (a client command the server does not know).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tenant_migrator::detail::mariadb {

struct statement_span {
  std::size_t begin = 0;  // first token
  std::size_t end = 0;    // one past the last character before ';' (or the end)
};

inline bool word_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '$' ||
         static_cast<unsigned char>(c) >= 0x80;
}

inline std::string lowered(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

// Calls on_code(i) for each character of `sql` outside strings, quoted
// identifiers and comments, with i its offset; on_code returns the next offset
// to look at (i + 1 normally). Strings, identifiers and comments are skipped.
template <class F>
void scan_code(std::string_view sql, F&& on_code) {
  const std::size_t n = sql.size();
  std::size_t i = 0;
  auto at = [&](std::size_t k) { return k < n ? sql[k] : '\0'; };
  while (i < n) {
    char c = sql[i];
    if (c == '\'' || c == '"' || c == '`') {
      ++i;
      while (i < n) {
        if (sql[i] == '\\' && c != '`') {
          i += 2;
        } else if (sql[i] == c) {
          if (at(i + 1) != c) break;
          i += 2;
        } else {
          ++i;
        }
      }
      i = i < n ? i + 1 : n;
      continue;
    }
    // "--" starts a comment only before a space, a control character or the end (MariaDB's rule).
    if ((c == '-' && at(i + 1) == '-' && (i + 2 >= n || static_cast<unsigned char>(sql[i + 2]) <= ' ')) || c == '#') {
      while (i < n && sql[i] != '\n') ++i;
      continue;
    }
    if (c == '/' && at(i + 1) == '*') {
      auto close = sql.find("*/", i + 2);
      i = close == std::string_view::npos ? n : close + 2;
      continue;
    }
    i = on_code(i);
  }
}

// The statements of `sql`, in order, each up to (not including) its ';';
// empty ones (only blanks, comments, ';') are left out.
inline std::vector<statement_span> split_statements(std::string_view sql) {
  std::vector<statement_span> out;
  bool in_statement = false;
  std::size_t begin = 0;
  int depth = 0;          // open BEGIN / CASE blocks of a routine body
  bool routine = false;   // the statement creates a trigger, procedure, function or event
  bool ended = false;     // the previous word was an END that closed a counted block
  std::string first_word;
  scan_code(sql, [&](std::size_t i) -> std::size_t {
    char c = sql[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') return i + 1;
    if (c == ';' && depth == 0) {
      if (in_statement) out.push_back({begin, i});
      in_statement = false;
      return i + 1;
    }
    if (!in_statement) {
      in_statement = true;
      begin = i;
      depth = 0;
      routine = ended = false;
      first_word.clear();
    }
    if (!word_char(c) || (c >= '0' && c <= '9')) {
      ended = false;
      return i + 1;
    }
    std::size_t j = i;
    while (j < sql.size() && word_char(sql[j])) ++j;
    std::string word = lowered(sql.substr(i, j - i));
    if (first_word.empty()) first_word = word;
    bool was_ended = ended;
    ended = false;
    if (was_ended && (word == "if" || word == "loop" || word == "while" || word == "repeat")) {
      ++depth;  // END IF / LOOP / WHILE / REPEAT: that END closed a block not counted
    } else if (was_ended && word == "case") {
      // END CASE: the CASE block it closed was counted
    } else if (first_word == "create" &&
               (word == "trigger" || word == "procedure" || word == "function" || word == "event")) {
      routine = true;
    } else if ((routine && word == "begin") || (depth > 0 && word == "case")) {
      ++depth;
    } else if (depth > 0 && word == "end") {
      --depth;
      ended = true;
    }
    return j;
  });
  if (in_statement) out.push_back({begin, sql.size()});
  return out;
}

// Whether running `statement` commits the open transaction: anything but
// plain data statements does (CREATE, ALTER, DROP, RENAME, TRUNCATE, GRANT,
// LOCK TABLES, ...; MariaDB's list of implicit commits). A CALL counts as
// one, since its routine may run DDL.
inline bool commits_implicitly(std::string_view statement) {
  std::size_t end = 0;
  while (end < statement.size() && word_char(statement[end])) ++end;
  std::string word = lowered(statement.substr(0, end));
  return !(word == "select" || word == "insert" || word == "update" || word == "delete" || word == "replace" ||
           word == "with" || word == "values" || word == "table" || word == "do" || word == "set");
}

inline int line_at(std::string_view text, std::size_t offset) {
  int line = 1;
  for (std::size_t k = 0; k < offset && k < text.size(); ++k) line += (text[k] == '\n');
  return line;
}

// `sql` with each $N (outside strings and comments) replaced by '?', and the
// 0-based parameter index each '?' takes, in order ($2 then $1: {1, 0}).
inline std::string with_question_marks(std::string_view sql, std::vector<std::size_t>& order) {
  std::string out;
  std::size_t copied = 0;
  scan_code(sql, [&](std::size_t i) -> std::size_t {
    if (sql[i] != '$' || i + 1 >= sql.size() || !(sql[i + 1] >= '1' && sql[i + 1] <= '9')) return i + 1;
    if (i > 0 && word_char(sql[i - 1])) return i + 1;  // part of an identifier (a$1)
    std::size_t j = i + 1, number = 0;
    while (j < sql.size() && sql[j] >= '0' && sql[j] <= '9') number = number * 10 + static_cast<std::size_t>(sql[j++] - '0');
    out.append(sql.substr(copied, i - copied));
    out += '?';
    order.push_back(number - 1);
    copied = j;
    return j;
  });
  out.append(sql.substr(copied));
  return out;
}

}  // namespace tenant_migrator::detail::mariadb
