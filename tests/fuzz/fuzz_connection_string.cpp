// Fuzz target: connection strings (include/tenant_migrator/connection_string.hpp).
// Properties:
//   - parse_master_url throws nothing but usage_error; a PostgreSQL master keeps the text as given;
//   - redact_connection_string never crashes, on anything;
//   - a password never survives redaction: the input builds a connection string around a
//     password (user:PASS@ in a URI, password=PASS in key=value pairs or in a URI's query,
//     with the separators, spaces, quotes and escapes libpq accepts) and arbitrary context.
//     When libpq itself (PQconninfoParse) reads PASS as the password of that string, each
//     word of PASS must occur fewer times in the redacted string than in the original.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>
#include <libpq-fe.h>

#include <tenant_migrator/connection_string.hpp>

#include "fuzz_check.hpp"
#include "fuzz_password.hpp"

namespace tmig = tenant_migrator;

namespace {

// The password libpq reads from `conninfo`, or nothing when it does not parse.
bool libpq_password(const std::string& conninfo, std::string& password) {
  char* err = nullptr;
  PQconninfoOption* options = PQconninfoParse(conninfo.c_str(), &err);
  if (err) PQfreemem(err);
  if (!options) return false;
  bool found = false;
  for (PQconninfoOption* o = options; o->keyword; ++o)
    if (std::string_view(o->keyword) == "password" && o->val) {
      password = o->val;
      found = true;
    }
  PQconninfoFree(options);
  return found;
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
    auto url = tmig::parse_master_url(s);
    if (url.backend == tmig::backend_kind::postgresql) FUZZ_CHECK(url.location == s, fuzz_show(s));
    if (url.backend == tmig::backend_kind::sqlite) FUZZ_CHECK(!url.location.empty(), fuzz_show(s));
  } catch (const tmig::usage_error& e) {
    FUZZ_CHECK(std::string_view(e.what()).find("bad master URL") != std::string_view::npos ||
                   std::string_view(e.what()).find("no master database") != std::string_view::npos,
               fuzz_show(e.what()));
  }

  const std::string redacted = tmig::redact_connection_string(s);
  if (shape == 4 || s.find('\0') != std::string::npos) return 0;
  std::string password;
  if (!libpq_password(s, password) || password != joined) return 0;  // libpq does not read PASS there
  for (const auto& w : words)
    FUZZ_CHECK(fuzz_count(redacted, w) < fuzz_count(s, w),
               "password word '" + w + "' survives redaction:\n  input:    " + fuzz_show(s) + "\n  redacted: " +
                   fuzz_show(redacted));
  return 0;
}
