// Fuzz target: MariaDB locations and script splitting
// (include/tenant_migrator/adapters/mariadb/location.hpp and script.hpp; no client library needed).
// Properties:
//   - parse_mariadb_location throws nothing but tenant_migrator::error, on anything;
//   - a password never shows: the input builds mariadb://USER:PASS@REST (PASS maybe
//     percent-encoded) around arbitrary context; each word of PASS occurs fewer times in
//     mariadb_shown_location() and in any parse error than in the input;
//   - a location that parses gives back PASS as its password (percent-decoded) when PASS
//     was written as the syntax asks ('@', '/', '?' percent-encoded);
//   - split_statements returns ordered spans inside the text; with_question_marks never crashes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include <tenant_migrator/adapters/mariadb/location.hpp>
#include <tenant_migrator/adapters/mariadb/script.hpp>

#include "fuzz_check.hpp"
#include "fuzz_password.hpp"

namespace tmig = tenant_migrator;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  const bool built = in.ConsumeBool();
  std::vector<std::string> words;
  std::string s, password;
  bool unambiguous = true;  // no literal '@', '/' or '?' in the password (the syntax wants them encoded)
  if (built) {
    // Words joined by characters a password may hold, written literally or percent-encoded.
    static constexpr std::string_view joiners[] = {"@", "/", "?", ":", "%40", "%2F", "%3F", "%25", "-", "&"};
    std::string written;
    words.push_back(fuzz_password_word(in));
    written = password = words[0];
    while (words.size() < 3 && in.ConsumeBool()) {
      std::string_view j = joiners[in.ConsumeIntegralInRange<std::size_t>(0, std::size(joiners) - 1)];
      words.push_back(fuzz_password_word(in));
      if (j == "@" || j == "/" || j == "?") unambiguous = false;
      written += std::string(j) + words.back();
      password += (j == "%40" ? "@" : j == "%2F" ? "/" : j == "%3F" ? "?" : j == "%25" ? "%" : std::string(j)) +
                  words.back();
    }
    std::string user = in.ConsumeBool() ? "app" : in.ConsumeRandomLengthString(12);
    for (char& c : user)  // a user as written in a location: what ends it percent-encoded
      if (c == ':' || c == '@' || c == '/' || c == '?' || c == '%') c = 'u';
    std::string rest = in.ConsumeRandomLengthString(40);
    s = std::string(in.ConsumeBool() ? "mariadb://" : "mysql://") + user + ":" + written + "@" + rest;
  } else {
    s = in.ConsumeRemainingBytesAsString();
  }

  const std::string shown = tmig::mariadb_shown_location(s);
  std::string message;
  try {
    auto l = tmig::parse_mariadb_location(s);
    if (built && unambiguous)
      FUZZ_CHECK(l.password == password, "password '" + fuzz_show(l.password) + "' from " + fuzz_show(s));
  } catch (const tmig::error& e) {
    message = e.what();
  }
  if (built)
    for (const auto& w : words) {
      FUZZ_CHECK(fuzz_count(shown, w) < fuzz_count(s, w),
                 "password word '" + w + "' survives masking:\n  input: " + fuzz_show(s) + "\n  shown: " + fuzz_show(shown));
      FUZZ_CHECK(message.empty() || fuzz_count(message, w) < fuzz_count(s, w),
                 "password word '" + w + "' in the error:\n  input: " + fuzz_show(s) + "\n  error: " + fuzz_show(message));
    }

  std::size_t previous_end = 0;
  for (const auto& span : tmig::detail::mariadb::split_statements(s)) {
    FUZZ_CHECK(span.begin >= previous_end && span.begin < span.end && span.end <= s.size(), fuzz_show(s));
    previous_end = span.end;
  }
  std::vector<std::size_t> order;
  (void)tmig::detail::mariadb::with_question_marks(s, order);
  return 0;
}
