#include "people_csv.hpp"

#include <map>
#include <set>

#include "ecpa/common/error.hpp"
#include "ecpa/common/utf8.hpp"
#include "ecpa/tw/national_id.hpp"

namespace ecpa::portal {
namespace {

std::string trim(std::string_view s) {
  auto b = s.find_first_not_of(" \t");
  if (b == std::string_view::npos) return {};
  auto e = s.find_last_not_of(" \t");
  return std::string(s.substr(b, e - b + 1));
}

bool header_row(const CsvRow& row) {
  if (row.cells.empty()) return false;
  std::string first = trim(row.cells[0]);
  return first == "national_id" || first == "身分證字號" || first == "nationalId";
}

bool agency_code_ok(std::string_view code) {
  if (code.empty() || code.size() > 32) return false;
  for (char c : code)
    if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '.'))
      return false;
  return true;
}

}  // namespace

std::vector<CsvRow> parse_csv(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (!valid_utf8(text)) throw Error(codes::BAD_REQUEST, "people file is not valid UTF-8");
  std::vector<CsvRow> rows;
  CsvRow row{1, {}};
  std::string cell;
  bool quoted = false, cell_started = false;
  std::size_t line = 1;
  auto end_cell = [&] {
    row.cells.push_back(std::move(cell));
    cell.clear();
    cell_started = false;
  };
  auto end_row = [&] {
    end_cell();
    bool blank = row.cells.size() == 1 && trim(row.cells[0]).empty();
    if (!blank) rows.push_back(std::move(row));
    row = CsvRow{line, {}};
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < text.size() && text[i + 1] == '"') {
          cell.push_back('"');
          ++i;
        } else {
          quoted = false;
        }
      } else {
        if (c == '\n') ++line;
        cell.push_back(c);
      }
      continue;
    }
    if (c == '"' && !cell_started && trim(cell).empty()) {
      quoted = true;
      cell_started = true;
      cell.clear();
    } else if (c == ',') {
      end_cell();
    } else if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
      continue;
    } else if (c == '\n') {
      ++line;
      end_row();
    } else {
      cell.push_back(c);
    }
  }
  if (quoted)
    throw Error(codes::BAD_REQUEST,
                "people file: unterminated quote starting on line " + std::to_string(row.line));
  if (!cell.empty() || !row.cells.empty()) end_row();
  return rows;
}

PeopleImportResult import_people_csv(store::PeopleStore& people, std::string_view csv_text) {
  std::vector<CsvRow> rows = parse_csv(csv_text);
  if (!rows.empty() && header_row(rows.front())) rows.erase(rows.begin());

  PeopleImportResult result;
  result.rows = rows.size();
  std::vector<store::PersonImportRow> input;
  std::vector<std::size_t> line_of;                                     // input index → line
  std::map<std::string, std::pair<std::string, std::string>> agencies;  // code → (name, English name)
  std::set<std::string> without_english;                                // codes named in six-column rows
  for (const auto& row : rows) {
    const std::string masked = row.cells.empty() ? std::string() : tw::mask_national_id(trim(row.cells[0]));
    if (row.cells.size() < 6 || row.cells.size() > 8) {
      result.problems.push_back({row.line, masked, "column_count"});
      continue;
    }
    const std::string code = trim(row.cells[2]);
    const std::string agency_name = trim(row.cells[3]);
    // Six columns say nothing about the English name: what the store has stays (see below).
    // With the eighth column (the account) an empty seventh says nothing either.
    const bool gives_english =
        row.cells.size() == 7 || (row.cells.size() == 8 && !trim(row.cells[6]).empty());
    const std::string agency_name_en = gives_english ? trim(row.cells[6]) : std::string();
    if (!gives_english) without_english.insert(code);
    if (!agency_code_ok(code)) {
      result.problems.push_back({row.line, masked, "agency_code_invalid"});
      continue;
    }
    if (agency_name.empty() || agency_name.size() > 200) {
      result.problems.push_back({row.line, masked, "agency_name_invalid"});
      continue;
    }
    if (agency_name_en.size() > 200) {
      result.problems.push_back({row.line, masked, "agency_name_invalid"});
      continue;
    }
    auto [it, inserted] = agencies.emplace(code, std::pair{agency_name, agency_name_en});
    if (!inserted && it->second != std::pair{agency_name, agency_name_en}) {
      result.problems.push_back({row.line, masked, "agency_name_conflict"});
      continue;
    }
    input.push_back({trim(row.cells[0]), trim(row.cells[1]), code, trim(row.cells[4]), trim(row.cells[5]),
                     row.cells.size() == 8 ? trim(row.cells[7]) : std::string()});
    line_of.push_back(row.line);
  }
  // Agencies named in the file but unknown to the store must exist before the store can check the rows; they
  // are only added once the whole file is known to be acceptable, so first ask the store to judge the rows
  // against the agencies as they will be.
  std::vector<store::Agency> new_agencies;
  for (const auto& [code, names] : agencies) {
    auto existing = people.agency(code);
    const std::string name_en =
        without_english.contains(code) && existing && names.second.empty() ? existing->name_en : names.second;
    if (!existing || existing->name != names.first || existing->name_en != name_en)
      new_agencies.push_back({code, names.first, name_en, existing ? existing->parent_code : std::string(),
                              existing ? existing->oid : std::string()});
  }

  // Pre-checks that need no agencies: the store's own ID, duplicate and field checks run on the real import
  // below; here we catch what would otherwise force us to add agencies for a file that is then refused.
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < input.size(); ++i) {
    auto id = tw::NationalId::parse(input[i].national_id);
    const std::string masked = tw::mask_national_id(input[i].national_id);
    if (!id) {
      result.problems.push_back(
          {line_of[i], masked, "national_id_" + std::string(tw::to_string(id.error()))});
      continue;
    }
    if (auto [it, ok] = seen.emplace(std::string(id->value()), i); !ok) {
      result.problems.push_back({line_of[i], id->masked(), "duplicate_in_file"});
      continue;
    }
    if (people.find_by_national_id(*id))
      result.problems.push_back({line_of[i], id->masked(), "duplicate_in_database"});
  }
  if (!result.problems.empty()) return result;

  try {
    people.put_agencies(new_agencies);
  } catch (const Error&) {
    result.problems.push_back({0, "", "agency_name_invalid"});
    return result;
  }
  store::ImportReport report = people.import_people(input, store::ImportMode::AllOrNothing);
  for (const auto& r : report.rows)
    if (r.rejection != store::ImportRejection::None)
      result.problems.push_back(
          {line_of[r.index], r.masked_national_id, std::string(store::to_string(r.rejection))});
  if (report.written) result.imported = report.accepted;
  return result;
}

namespace {
// Dotted decimal arcs (2.16.886.101.20003…), at least two.
bool oid_ok(std::string_view oid) {
  if (oid.size() > 128 || oid.front() == '.' || oid.back() == '.' ||
      oid.find("..") != std::string_view::npos || oid.find('.') == std::string_view::npos)
    return false;
  return oid.find_first_not_of("0123456789.") == std::string_view::npos;
}
}  // namespace

AgenciesImportResult import_agencies_csv(store::PeopleStore& people, std::string_view csv_text) {
  std::vector<CsvRow> rows = parse_csv(csv_text);
  if (!rows.empty() && !rows.front().cells.empty()) {
    const std::string first = trim(rows.front().cells[0]);
    if (first == "code" || first == "機關代碼") rows.erase(rows.begin());
  }
  AgenciesImportResult result;
  result.rows = rows.size();
  std::map<std::string, store::Agency> file;
  std::map<std::string, std::size_t> line_of;
  for (const auto& row : rows) {
    if (row.cells.size() == 1 && trim(row.cells[0]).empty()) {
      --result.rows;
      continue;
    }
    if (row.cells.size() != 4 && row.cells.size() != 5) {
      result.problems.push_back({row.line, "", "column_count"});
      continue;
    }
    store::Agency a{trim(row.cells[0]), trim(row.cells[1]), trim(row.cells[2]), trim(row.cells[3])};
    // The fifth column, the agency's OID (機關憑證); four columns keep what the store has.
    if (row.cells.size() == 5) {
      a.oid = trim(row.cells[4]);
    } else if (auto stored = people.agency(a.code)) {
      a.oid = stored->oid;
    }
    if (!agency_code_ok(a.code) || (!a.parent_code.empty() && !agency_code_ok(a.parent_code))) {
      result.problems.push_back({row.line, "", "agency_code_invalid"});
      continue;
    }
    if (a.name.empty() || a.name.size() > 200 || a.name_en.size() > 200) {
      result.problems.push_back({row.line, "", "agency_name_invalid"});
      continue;
    }
    if (!a.oid.empty() && !oid_ok(a.oid)) {
      result.problems.push_back({row.line, "", "agency_oid_invalid"});
      continue;
    }
    if (!file.emplace(a.code, a).second) {
      result.problems.push_back({row.line, "", "duplicate_in_file"});
      continue;
    }
    line_of[a.code] = row.line;
  }
  // Every parent exists (in the file or already in the store), and no unit is its own ancestor.
  for (const auto& [code, a] : file) {
    std::set<std::string> seen{code};
    for (std::string at = a.parent_code; !at.empty();) {
      if (!seen.insert(at).second) {
        result.problems.push_back({line_of[code], "", "parent_cycle"});
        break;
      }
      if (auto it = file.find(at); it != file.end()) {
        at = it->second.parent_code;
      } else if (auto stored = people.agency(at)) {
        at = stored->parent_code;
      } else {
        result.problems.push_back({line_of[code], "", "parent_unknown"});
        break;
      }
    }
  }
  if (!result.problems.empty()) return result;
  // Parents before their units, all in one transaction: the store refuses the whole file or writes it all.
  std::set<std::string> placed;
  std::vector<store::Agency> ordered;
  while (ordered.size() < file.size()) {
    for (const auto& [code, a] : file) {
      if (placed.contains(code)) continue;
      if (!a.parent_code.empty() && file.contains(a.parent_code) && !placed.contains(a.parent_code)) continue;
      ordered.push_back(a);
      placed.insert(code);
    }
  }
  try {
    people.put_agencies(ordered);
  } catch (const Error& e) {
    result.problems.push_back(
        {0, "", e.code() == codes::BAD_REQUEST ? "agency_name_invalid" : "store_refused"});
    return result;
  }
  result.imported = ordered.size();
  return result;
}

}  // namespace ecpa::portal
