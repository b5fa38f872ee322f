// Listing tenants for people (an aligned table) and for spreadsheets (CSV).
// Locations go through `show` (default shown_location: connection strings not
// shown; PostgresqlAdapter::shown_location masks their secrets instead).
// JSON is in output/tenant_list_json.hpp (kept apart: it needs the JSON library).
#pragma once

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <vector>

#include "../connection_string.hpp"
#include "../model/tenant.hpp"

namespace tenant_migrator {

// The columns every format shows, in order, as strings.
inline std::array<std::string, 6> tenant_columns(const tenant& t, location_display show = &shown_location) {
  return {t.id, t.name, std::string(to_string(t.isolation)), show(t.location),
          std::string(to_string(t.status)), t.created_at};
}
inline constexpr std::array<std::string_view, 6> tenant_column_titles = {"Tenant ID", "Name", "Isolation",
                                                                         "Location", "Status", "Created"};

namespace detail {
// Display width in code points (good enough for names; no East Asian widths).
inline std::size_t display_width(std::string_view s) {
  std::size_t n = 0;
  for (unsigned char c : s) n += (c & 0xc0) != 0x80;
  return n;
}
// Control characters would break a table's alignment or a terminal: shown as '?'.
inline std::string printable(std::string_view s) {
  std::string out(s);
  for (auto& c : out)
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  return out;
}
}  // namespace detail

// An aligned table with a header row, or "No tenants found." when empty.
inline std::string format_tenant_table(const std::vector<tenant>& tenants, location_display show = &shown_location) {
  if (tenants.empty()) return "No tenants found.\n";
  std::vector<std::array<std::string, 6>> rows;
  std::array<std::size_t, 6> width{};
  for (std::size_t c = 0; c < 6; ++c) width[c] = tenant_column_titles[c].size();
  for (const auto& t : tenants) {
    auto cols = tenant_columns(t, show);
    for (auto& v : cols) v = detail::printable(v);
    for (std::size_t c = 0; c < 6; ++c) width[c] = std::max(width[c], detail::display_width(cols[c]));
    rows.push_back(std::move(cols));
  }
  auto line = [&](auto const& cells) {
    std::string out;
    for (std::size_t c = 0; c < 6; ++c) {
      std::string cell(cells[c]);
      out += cell;
      if (c + 1 < 6) out += std::string(width[c] - detail::display_width(cell) + 2, ' ');
    }
    return out + "\n";
  };
  std::string out = line(tenant_column_titles);
  std::string rule;
  for (std::size_t c = 0; c < 6; ++c) rule += std::string(width[c], '-') + (c + 1 < 6 ? "  " : "");
  out += rule + "\n";
  for (const auto& r : rows) out += line(r);
  return out;
}

// One CSV field, quoted as RFC 4180 asks when it holds , " CR or LF.
inline std::string csv_field(std::string_view v) {
  if (v.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(v);
  std::string out = "\"";
  for (char c : v) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A header row (tenant_id,name,isolation,location,status,created_at), then one row per tenant; LF line ends.
inline std::string format_tenant_csv(const std::vector<tenant>& tenants, location_display show = &shown_location) {
  std::string out = "tenant_id,name,isolation,location,status,created_at\n";
  for (const auto& t : tenants) {
    auto cols = tenant_columns(t, show);
    for (std::size_t c = 0; c < 6; ++c) out += csv_field(cols[c]) + (c + 1 < 6 ? "," : "\n");
  }
  return out;
}

}  // namespace tenant_migrator
