#pragma once
// HR's people file for `ecpa-portal admin import-people`: CSV (RFC 4180 quoting), UTF-8 with or without a
// byte-order mark, one person per line:
//   national ID, name, agency code, agency name, title, e-mail[, agency name in English[, account]]
// The account (帳號密碼登入, 3–32 letters, digits, . _ -) gets no password: `admin set-password` gives the
// initial one, which the person must change at first login.
// An optional first line naming the columns is skipped when its first cell is "national_id" or 身分證字號.
// Validation is row by row and the import is all-or-nothing; the report names rows by line number and never
// shows a full ID number.

#include <string>
#include <string_view>
#include <vector>

#include "ecpa/store/people_store.hpp"

namespace ecpa::portal {

// Splits CSV text into rows of cells. Throws BAD_REQUEST for an unterminated quote or invalid UTF-8 (which
// would otherwise reach the database as mojibake).
struct CsvRow {
  std::size_t line = 0;  // 1-based line where the row starts
  std::vector<std::string> cells;
};
std::vector<CsvRow> parse_csv(std::string_view text);

struct ImportProblem {
  std::size_t line = 0;
  std::string masked_id;
  std::string reason;  // stable lowercase code: column_count, national_id_checksum, agency_name_conflict, …
};

struct PeopleImportResult {
  std::size_t rows = 0;
  std::size_t imported = 0;
  std::vector<ImportProblem> problems;  // empty when everything was written
};

// Validates every row, then (only if none is rejected) adds the agencies and the people. Nothing is written
// when any row is rejected.
PeopleImportResult import_people_csv(store::PeopleStore& people, std::string_view csv_text);

// HR's agencies file for `ecpa-portal admin import-agencies` (機關組織): one agency or unit per line,
//   code, name, name in English, parent code (empty for an agency at the top)[, agency OID]
// The OID is the one the agency's cards carry (SDA 2.16.886.1.100.2.102), for 機關憑證 login; a line
// without it keeps the OID the store has.
// with an optional header line ("code" or 機關代碼). Every parent must exist (in the file or already) and no
// unit may be its own ancestor; nothing is written when any line is refused (reasons: column_count,
// agency_code_invalid, agency_name_invalid, agency_oid_invalid, duplicate_in_file, parent_unknown,
// parent_cycle).
struct AgenciesImportResult {
  std::size_t rows = 0;
  std::size_t imported = 0;
  std::vector<ImportProblem> problems;
};
AgenciesImportResult import_agencies_csv(store::PeopleStore& people, std::string_view csv_text);

}  // namespace ecpa::portal
