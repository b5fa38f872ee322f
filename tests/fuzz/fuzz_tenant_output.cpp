// Fuzz target: tenant listings (include/tenant_migrator/output/tenant_list.hpp, tenant_list_json.hpp).
// The input makes 0-4 tenants with arbitrary bytes in every text field. Properties:
//   - CSV: format_tenant_csv parses back, with a small RFC 4180 reader, to the header and
//     exactly tenant_columns() of every tenant; csv_field(v) alone parses back to v;
//   - JSON: tenants_to_json dumped as showtenants does (invalid UTF-8 replaced) parses back,
//     and every field that is valid UTF-8 comes back byte for byte;
//   - the table: no control character but '\n' reaches the terminal.
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <fuzzer/FuzzedDataProvider.h>

#include <tenant_migrator/detail/utf8.hpp>
#include <tenant_migrator/output/tenant_list.hpp>
#include <tenant_migrator/output/tenant_list_json.hpp>

#include "fuzz_check.hpp"

namespace tmig = tenant_migrator;

namespace {

using record = std::vector<std::string>;

// RFC 4180 with LF (or CRLF) record ends. nullopt when `s` is not well-formed CSV.
std::optional<std::vector<record>> parse_csv(std::string_view s) {
  std::vector<record> out;
  record row;
  std::string field;
  bool quoted = false;      // this field started with a quote
  bool in_quotes = false;   // inside the quotes now
  bool field_started = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_quotes) {
      if (c == '"') {
        if (i + 1 < s.size() && s[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          in_quotes = false;
        }
      } else {
        field += c;
      }
      continue;
    }
    if (c == '"') {
      if (field_started) return std::nullopt;  // a quote inside an unquoted field, or after a closing one
      quoted = in_quotes = field_started = true;
    } else if (c == ',') {
      row.push_back(field);
      field.clear();
      quoted = field_started = false;
    } else if (c == '\n' || (c == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) {
      if (c == '\r') ++i;
      row.push_back(field);
      out.push_back(row);
      row.clear();
      field.clear();
      quoted = field_started = false;
    } else {
      if (quoted) return std::nullopt;  // text after a closing quote
      if (c == '\r') return std::nullopt;  // a bare CR must be quoted
      field += c;
      field_started = true;
    }
  }
  if (in_quotes) return std::nullopt;
  if (field_started || !row.empty()) {
    row.push_back(field);
    out.push_back(row);
  }
  return out;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  std::vector<tmig::tenant> tenants(in.ConsumeIntegralInRange<std::size_t>(0, 4));
  for (auto& t : tenants) {
    t.id = in.ConsumeRandomLengthString(24);
    t.name = in.ConsumeRandomLengthString(24);
    t.isolation = in.ConsumeBool() ? tmig::isolation_kind::schema : tmig::isolation_kind::database;
    t.location = in.ConsumeRandomLengthString(48);
    t.status = static_cast<tmig::tenant_status>(in.ConsumeIntegralInRange<int>(0, 2));
    t.created_at = in.ConsumeRandomLengthString(24);
  }
  const std::string single = in.ConsumeRemainingBytesAsString();

  // csv_field alone.
  {
    auto parsed = parse_csv(tmig::csv_field(single) + "\n");
    if (single.empty()) {
      FUZZ_CHECK(parsed && parsed->size() == 1 && parsed->at(0) == record{""}, fuzz_show(single));
    } else {
      FUZZ_CHECK(parsed && parsed->size() == 1 && parsed->at(0).size() == 1 && parsed->at(0)[0] == single,
                 "csv_field does not round-trip: " + fuzz_show(single));
    }
  }

  // The whole CSV listing.
  const std::string csv = tmig::format_tenant_csv(tenants);
  auto parsed = parse_csv(csv);
  FUZZ_CHECK(parsed.has_value(), "not RFC 4180: " + fuzz_show(csv));
  FUZZ_CHECK(parsed->size() == tenants.size() + 1, "record count: " + fuzz_show(csv));
  FUZZ_CHECK((parsed->at(0) == record{"tenant_id", "name", "isolation", "location", "status", "created_at"}),
             fuzz_show(csv));
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    auto cols = tmig::tenant_columns(tenants[i]);
    FUZZ_CHECK(parsed->at(i + 1) == record(cols.begin(), cols.end()), "CSV row " + std::to_string(i) + ": " + fuzz_show(csv));
  }

  // JSON, as showtenants prints it.
  const std::string text = tmig::tenants_to_json(tenants).dump(2, ' ', false, nlohmann::json::error_handler_t::replace);
  tmig::json back;
  try {
    back = tmig::json::parse(text);
  } catch (const std::exception& e) {
    FUZZ_CHECK(false, std::string("JSON does not parse back: ") + e.what() + ": " + fuzz_show(text));
  }
  FUZZ_CHECK(back.is_array() && back.size() == tenants.size(), fuzz_show(text));
  static constexpr const char* keys[] = {"tenant_id", "name", "isolation", "location", "status", "created_at"};
  for (std::size_t i = 0; i < tenants.size(); ++i) {
    auto cols = tmig::tenant_columns(tenants[i]);
    for (std::size_t k = 0; k < 6; ++k) {
      FUZZ_CHECK(back[i].contains(keys[k]) && back[i][keys[k]].is_string(), fuzz_show(text));
      if (tmig::detail::first_invalid_utf8(cols[k]) == std::string_view::npos)
        FUZZ_CHECK(back[i][keys[k]].get<std::string>() == cols[k],
                   std::string("JSON ") + keys[k] + " does not round-trip: " + fuzz_show(cols[k]));
    }
  }
  // One JSON line (the reporters' form) parses back too.
  const std::string line = tmig::to_json_line(tmig::tenants_to_json(tenants));
  FUZZ_CHECK(line.find('\n') == std::string::npos, fuzz_show(line));

  // The table: nothing that could move a terminal's cursor.
  const std::string table = tmig::format_tenant_table(tenants);
  for (unsigned char c : table) FUZZ_CHECK(c == '\n' || (c >= 0x20 && c != 0x7f), fuzz_show(table));
  return 0;
}
