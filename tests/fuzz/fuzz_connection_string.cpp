// Fuzz target: connection strings (connection_string.hpp, adapters/postgresql/conninfo.hpp).
// Properties:
//   - parse_master_url throws nothing but usage_error; a PostgreSQL master keeps the text as given;
//   - PostgresqlAdapter::shown_location never crashes, on anything, and gives one line;
//   - a string libpq (PQconninfoParse) cannot parse is not echoed: "<unparseable connection string>";
//   - a string libpq parses is shown as one libpq parses back to the same fields (line breaks
//     and tabs in values as spaces), every secret one (password, sslpassword) as ****: PQconninfoParse of the shown string never yields the
//     original password;
//   - the password's bytes (4 or more, none of them a quote, backslash, '=', '*' or whitespace,
//     which the shown form's own syntax may hold) appear neither in the shown string nor in
//     scrub_message of a message quoting the string, unless a keyword or a non-secret value
//     libpq reads holds them too.
//   The input builds a connection string around a password (user:PASS@ in a URI, password=PASS
//   in key=value pairs or in a URI's query, with the separators, spaces, quotes and escapes
//   libpq accepts) and arbitrary context, or is arbitrary bytes.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>
#include <libpq-fe.h>

#include <tenant_migrator/adapters/postgresql.hpp>
#include <tenant_migrator/connection_string.hpp>

#include "../../examples/manage/common/master_url.hpp"

#include "fuzz_check.hpp"
#include "fuzz_password.hpp"

namespace tmig = tenant_migrator;

namespace {

using tmig::detail::pg::conninfo_field;

std::string shown_fields(const std::vector<conninfo_field>& fields) {
  std::string out;
  for (const auto& f : fields) out += f.keyword + (f.secret ? "*" : "") + "=" + fuzz_show(f.value) + " ";
  return out;
}

// A value as the shown form holds it: line breaks and tabs as spaces, so that it is one line.
std::string one_line(std::string value) {
  for (char& c : value)
    if (c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f') c = ' ';
  return value;
}

// Whether `password` may appear in a shown string without a leak: too short to
// tell, made of the shown form's own syntax, or part of what is shown anyway.
bool may_appear(std::string_view password, const std::vector<conninfo_field>& fields) {
  if (password.size() < 4) return true;
  for (char c : password)
    if (c == '\'' || c == '\\' || c == '=' || c == '*' || c == '"' || static_cast<unsigned char>(c) <= ' ')
      return true;
  for (const auto& f : fields)
    if (f.keyword.find(password) != std::string::npos || (!f.secret && f.value.find(password) != std::string::npos))
      return true;
  return false;
}


std::string printable_context(FuzzedDataProvider& in) {
  std::string s = in.ConsumeRandomLengthString(40);
  for (char& c : s)
    if (c == '\0') c = ' ';
  return s;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const int shape = in.ConsumeIntegralInRange<int>(0, 4);
  std::vector<std::string> words{fuzz_password_word(in)};
  while (words.size() < 3 && in.ConsumeBool()) words.push_back(fuzz_password_word(in));
  static constexpr std::string_view separators[] = {" ", "\t", "\n", "\r", "\f", "\v", "  "};
  const std::string_view sep = separators[in.ConsumeIntegralInRange<std::size_t>(0, std::size(separators) - 1)];
  const std::string before_eq = in.ConsumeBool() ? " " : "";
  const std::string after_eq = in.ConsumeBool() ? " " : "";
  const std::string prefix = printable_context(in);
  const std::string suffix = printable_context(in);
  std::string joined;  // the password as libpq must read it
  for (const auto& w : words) joined += (joined.empty() ? "" : " ") + w;

  std::string s;
  switch (shape) {
    case 0: {  // URI user:PASS@ (one word: a URI has no spaces)
      words.resize(1);
      joined = words[0];
      s = "postgresql://" + (in.ConsumeBool() ? std::string("app") : prefix) + ":" + joined + "@" + suffix;
      break;
    }
    case 1: {  // key=value, unquoted: spaces escaped with a backslash
      std::string raw;
      for (const auto& w : words) raw += (raw.empty() ? "" : "\\ ") + w;
      s = prefix + std::string(sep) + "password" + before_eq + "=" + after_eq + raw + std::string(sep) + suffix;
      break;
    }
    case 2: {  // key=value, quoted
      s = prefix + std::string(sep) + "password" + before_eq + "=" + after_eq + "'" + joined + "'" +
          std::string(sep) + suffix;
      break;
    }
    case 3: {  // URI query parameter, the key maybe percent-encoded
      words.resize(1);
      joined = words[0];
      std::string key;
      for (char c : std::string("password")) {
        if (in.ConsumeBool()) {
          static constexpr char hex[] = "0123456789ABCDEF";
          key += '%';
          key += hex[static_cast<unsigned char>(c) >> 4];
          key += hex[static_cast<unsigned char>(c) & 15];
        } else {
          key += c;
        }
      }
      s = "postgresql://host/db?" + (in.ConsumeBool() ? std::string("sslmode=disable&") : std::string()) + key + "=" +
          joined + (in.ConsumeBool() ? "&" + suffix : std::string());
      break;
    }
    default: {  // anything at all
      s = in.ConsumeRemainingBytesAsString();
      break;
    }
  }

  // parse_master_url: usage_error or a result, never anything else.
  try {
    auto url = manage::parse_master_url(s);
    if (url.backend == manage::backend_kind::postgresql) FUZZ_CHECK(url.location == s, fuzz_show(s));
    if (url.backend == manage::backend_kind::sqlite) FUZZ_CHECK(!url.location.empty(), fuzz_show(s));
  } catch (const tmig::usage_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("bad master URL") != std::string_view::npos ||
                   std::string_view(e.what()).find("no master database") != std::string_view::npos,
               fuzz_show(e.what()));
  }

  const std::string shown = tmig::PostgresqlAdapter::shown_location(s);
  FUZZ_CHECK(shown.find('\n') == std::string::npos && shown.find('\r') == std::string::npos, fuzz_show(shown));
  if (!tmig::detail::pg::looks_like_conninfo(s)) return 0;  // a bare database name, shown as it is
  auto fields = tmig::detail::pg::parse_conninfo(s);
  if (!fields) {
    FUZZ_CHECK(shown == "<unparseable connection string>", "unparseable input echoed:\n  input: " + fuzz_show(s) +
                                                               "\n  shown: " + fuzz_show(shown));
    return 0;
  }
  auto reread = tmig::detail::pg::parse_conninfo(shown);
  FUZZ_CHECK(reread.has_value(), "libpq cannot parse the shown form:\n  input: " + fuzz_show(s) +
                                     "\n  shown: " + fuzz_show(shown));
  const std::string what = "\n  input:  " + fuzz_show(s) + "\n  shown:  " + fuzz_show(shown) +
                           "\n  fields: " + shown_fields(*fields) + "\n  reread: " + shown_fields(*reread);
  FUZZ_CHECK(reread->size() == fields->size(), "the shown form has other fields:" + what);
  for (std::size_t i = 0; i < fields->size(); ++i) {
    const auto& f = (*fields)[i];
    const auto& r = (*reread)[i];
    FUZZ_CHECK(f.keyword == r.keyword, "the shown form has other fields:" + what);
    if (f.secret) {
      FUZZ_CHECK(r.value == "****", "secret field " + f.keyword + " not masked:" + what);
      FUZZ_CHECK(f.value == "****" || r.value != f.value, "libpq reads the original " + f.keyword + " back:" + what);
    }
    else
      FUZZ_CHECK(r.value == one_line(f.value), "field " + f.keyword + " changed:" + what);
  }
  const std::string scrubbed = tmig::PostgresqlAdapter::scrub_message("cannot connect to '" + s + "': refused", s);
  for (const auto& f : *fields) {
    if (!f.secret) continue;
    std::vector<std::string_view> parts{f.value};
    if (shape != 4)
      for (const auto& w : words) parts.push_back(w);
    for (std::string_view part : parts) {
      if (may_appear(part, *fields)) continue;
      FUZZ_CHECK(shown.find(part) == std::string::npos, "secret bytes '" + fuzz_show(part) + "' shown:" + what);
      FUZZ_CHECK(scrubbed.find(part) == std::string::npos,
                 "secret bytes '" + fuzz_show(part) + "' in a scrubbed message: " + fuzz_show(scrubbed) + what);
    }
  }
  return 0;
}
