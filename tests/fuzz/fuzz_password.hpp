// Helpers of the fuzz targets that check passwords never show: password words and counting them.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include <fuzzer/FuzzedDataProvider.h>

// How often `needle` occurs in `hay` (overlapping occurrences count).
inline std::size_t fuzz_count(std::string_view hay, std::string_view needle) {
  std::size_t n = 0;
  for (std::size_t at = hay.find(needle); at != std::string_view::npos; at = hay.find(needle, at + 1)) ++n;
  return n;
}

// A word of a password: "Pw" and 2-10 letters or digits (never '*', which masking writes).
inline std::string fuzz_password_word(FuzzedDataProvider& in) {
  static constexpr std::string_view alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  std::string w = "Pw";
  std::size_t n = in.ConsumeIntegralInRange<std::size_t>(2, 10);
  for (std::size_t i = 0; i < n; ++i) w += alphabet[in.ConsumeIntegralInRange<std::size_t>(0, alphabet.size() - 1)];
  return w;
}
