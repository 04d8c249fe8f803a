#include "ecpa/store/people_store.hpp"

#include <sodium.h>

#include <map>

#include "ecpa/common/error.hpp"
#include "ecpa/store/account_store.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxName = 100;
constexpr std::size_t kMaxTitle = 100;
constexpr std::size_t kMaxAgencyCode = 64;
constexpr std::size_t kMaxAgencyName = 200;
constexpr std::size_t kMaxOid = 128;
constexpr std::string_view kAgencyColumns =
    "code, name, name_en, COALESCE(parent_code, ''), COALESCE(oid, ''), officer_person_id";

Agency to_agency(const Row& r) {
  return Agency{r.text(0), r.text(1), r.text(2), r.text(3), r.text(4), r.opt_i64(5)};
}

// Dotted decimal arcs, as an OID is written (2.16.886.101.20003…).
bool is_dotted_oid(std::string_view s) {
  if (s.empty() || s.size() > kMaxOid || s.front() == '.' || s.back() == '.') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '.') {
      if (s[i + 1] == '.') return false;
    } else if (s[i] < '0' || s[i] > '9') {
      return false;
    }
  }
  return s.find('.') != std::string_view::npos;
}

constexpr std::string_view kPersonColumns = "id, id_hash, id_cipher, name, agency_code, title, email, active";

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }

// The shape of an address HR would type: local@label.label…, ASCII only. Deliverability is not checked
// here; the password-reset mail is what proves an address.
bool is_email_shaped(std::string_view s) {
  if (s.size() > 254) return false;
  const auto at = s.find('@');
  if (at == std::string_view::npos || at == 0 || at > 64 || s.find('@', at + 1) != std::string_view::npos) {
    return false;
  }
  for (char c : s.substr(0, at)) {
    if (!is_alnum(c) && std::string_view(".!#$%&'*+/=?^_`{|}~-").find(c) == std::string_view::npos)
      return false;
  }
  const auto local = s.substr(0, at);
  if (local.front() == '.' || local.back() == '.' || local.find("..") != std::string_view::npos) return false;
  auto domain = s.substr(at + 1);
  if (domain.find('.') == std::string_view::npos) return false;
  for (;;) {
    const auto dot = domain.find('.');
    const auto label = domain.substr(0, dot);
    if (label.empty() || label.size() > 63 || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_alnum(c) && c != '-') return false;
    }
    if (dot == std::string_view::npos) return true;
    domain.remove_prefix(dot + 1);
  }
}

void check_agency(const Agency& a) {
  if (a.code.empty() || !detail::is_clean_text(a.code, kMaxAgencyCode) || a.name.empty() ||
      !detail::is_clean_text(a.name, kMaxAgencyName) || !detail::is_clean_text(a.name_en, kMaxAgencyName) ||
      !detail::is_clean_text(a.parent_code, kMaxAgencyCode) || a.parent_code == a.code) {
    throw Error(codes::BAD_REQUEST, "agency code or name empty, too long, or with control characters");
  }
  if (!a.oid.empty() && !is_dotted_oid(a.oid))
    throw Error(codes::BAD_REQUEST, "agency OID is not a dotted OID").with("agency", a.code);
}

struct Candidate {
  std::optional<tw::NationalId> id;
  Bytes hash;
  std::string name, agency, title, email;
  std::optional<std::string> account;
};

}  // namespace

std::string_view to_string(ImportRejection r) noexcept {
  switch (r) {
    case ImportRejection::None:
      return "none";
    case ImportRejection::NationalIdInvalid:
      return "national_id_invalid";
    case ImportRejection::NameInvalid:
      return "name_invalid";
    case ImportRejection::AgencyUnknown:
      return "agency_unknown";
    case ImportRejection::TitleInvalid:
      return "title_invalid";
    case ImportRejection::EmailInvalid:
      return "email_invalid";
    case ImportRejection::DuplicateInFile:
      return "duplicate_in_file";
    case ImportRejection::DuplicateInDatabase:
      return "duplicate_in_database";
    case ImportRejection::AccountInvalid:
      return "account_invalid";
    case ImportRejection::AccountTaken:
      return "account_taken";
  }
  return "unknown";
}

void SqlPeopleStore::put_agency(const Agency& agency) { put_agencies(std::span<const Agency>(&agency, 1)); }

void SqlPeopleStore::put_agencies(std::span<const Agency> agencies) {
  for (const auto& a : agencies) check_agency(a);  // every one judged before anything is written
  db_.transaction([&](Connection& conn) {
    for (const auto& a : agencies) {
      conn.exec(
          "INSERT INTO agencies (code, name, name_en, parent_code, oid) VALUES (?, ?, ?, ?, ?) "
          "ON CONFLICT (code) DO UPDATE SET name = excluded.name, name_en = excluded.name_en, "
          "parent_code = excluded.parent_code, oid = excluded.oid",
          {a.code, a.name, a.name_en, a.parent_code.empty() ? Param(nullptr) : Param(a.parent_code),
           a.oid.empty() ? Param(nullptr) : Param(a.oid)});
    }
  });
}

std::optional<Agency> SqlPeopleStore::agency(std::string_view code) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kAgencyColumns) + " FROM agencies WHERE code = ?", {code});
  });
  if (!row) return std::nullopt;
  return to_agency(*row);
}

std::optional<Agency> SqlPeopleStore::agency_by_oid(std::string_view oid) {
  if (oid.empty()) return std::nullopt;
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kAgencyColumns) + " FROM agencies WHERE oid = ?", {oid});
  });
  if (!row) return std::nullopt;
  return to_agency(*row);
}

std::optional<std::int64_t> SqlPeopleStore::set_officer(std::string_view agency_code, std::int64_t person_id,
                                                        Clock::time_point now) {
  return db_.transaction([&](Connection& conn) -> std::optional<std::int64_t> {
    auto agency = conn.query_one("SELECT officer_person_id FROM agencies WHERE code = ?", {agency_code});
    if (!agency) throw Error(codes::AGENCY_UNKNOWN, "no agency " + std::string(agency_code));
    auto person = conn.query_one("SELECT agency_code FROM people WHERE id = ?", {person_id});
    if (!person) throw Error(codes::PERSON_NOT_FOUND, "no person " + std::to_string(person_id));
    if (person->text(0) != agency_code)
      throw Error(codes::BAD_REQUEST, "the officer must belong to the agency")
          .with("agency", std::string(agency_code));
    const auto before = agency->opt_i64(0);
    if (before && *before != person_id) {
      conn.exec(
          "UPDATE cert_bindings SET replaced_at = ? WHERE person_id = ? AND method = 'agency' AND "
          "replaced_at IS "
          "NULL",
          {now, *before});
    }
    conn.exec("UPDATE agencies SET officer_person_id = ? WHERE code = ?", {person_id, agency_code});
    return before;
  });
}

std::vector<Agency> SqlPeopleStore::agencies() {
  return db_.with_connection([](Connection& conn) {
    std::vector<Agency> out;
    for (const auto& r : conn.query("SELECT " + std::string(kAgencyColumns) + " FROM agencies ORDER BY code"))
      out.push_back(to_agency(r));
    return out;
  });
}

ImportReport SqlPeopleStore::import_people(std::span<const PersonImportRow> rows, ImportMode mode) {
  ImportReport report;
  report.rows.resize(rows.size());
  std::vector<Candidate> candidates(rows.size());

  // Checks that need no database first, so a malformed file costs no lock time.
  std::map<Bytes, std::vector<std::size_t>> by_hash;
  std::map<std::string, std::vector<std::size_t>> by_account;
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const PersonImportRow& in = rows[i];
    ImportRowResult& out = report.rows[i];
    Candidate& c = candidates[i];
    out.index = i;
    out.masked_national_id = tw::mask_national_id(detail::trim(in.national_id));
    auto id = tw::NationalId::parse(in.national_id);
    if (!id) {
      out.rejection = ImportRejection::NationalIdInvalid;
      out.id_error = id.error();
      continue;
    }
    c.id = id.value();
    c.hash = ids_.lookup_hash(*c.id);
    out.masked_national_id = c.id->masked();
    c.name = std::string(detail::trim(in.name));
    c.agency = std::string(detail::trim(in.agency_code));
    c.title = std::string(detail::trim(in.title));
    c.email = std::string(detail::trim(in.email));
    if (c.name.empty() || !detail::is_clean_text(c.name, kMaxName)) {
      out.rejection = ImportRejection::NameInvalid;
    } else if (!detail::is_clean_text(c.title, kMaxTitle)) {
      out.rejection = ImportRejection::TitleInvalid;
    } else if (!c.email.empty() && !is_email_shaped(c.email)) {
      out.rejection = ImportRejection::EmailInvalid;
    } else if (!detail::trim(in.account).empty()) {
      c.account = fold_account_name(in.account);
      if (!c.account) out.rejection = ImportRejection::AccountInvalid;
    }
    by_hash[c.hash].push_back(i);
    if (c.account) by_account[*c.account].push_back(i);
  }
  // One account name on two rows: the same, neither is taken.
  for (const auto& [name, indexes] : by_account) {
    if (indexes.size() < 2) continue;
    for (std::size_t i : indexes) {
      if (report.rows[i].rejection == ImportRejection::None)
        report.rows[i].rejection = ImportRejection::AccountTaken;
    }
  }
  // Two rows with one ID number: which one HR meant is unknowable, so neither is taken.
  for (const auto& [hash, indexes] : by_hash) {
    if (indexes.size() < 2) continue;
    for (std::size_t i : indexes) {
      if (report.rows[i].rejection == ImportRejection::None)
        report.rows[i].rejection = ImportRejection::DuplicateInFile;
    }
  }

  db_.transaction([&](Connection& conn) {
    // Checks against the database inside the write transaction, so nothing can change in between.
    for (std::size_t i = 0; i < rows.size(); ++i) {
      ImportRowResult& out = report.rows[i];
      if (out.rejection != ImportRejection::None) continue;
      const Candidate& c = candidates[i];
      if (!conn.query_one("SELECT 1 FROM agencies WHERE code = ?", {c.agency})) {
        out.rejection = ImportRejection::AgencyUnknown;
      } else if (conn.query_one("SELECT 1 FROM people WHERE id_hash = ?", {c.hash})) {
        out.rejection = ImportRejection::DuplicateInDatabase;
      } else if (c.account && conn.query_one("SELECT 1 FROM accounts WHERE name = ?", {*c.account})) {
        out.rejection = ImportRejection::AccountTaken;
      }
    }
    for (const auto& r : report.rows)
      (r.rejection == ImportRejection::None ? report.accepted : report.rejected)++;
    if (mode == ImportMode::AllOrNothing && report.rejected > 0) return;
    for (std::size_t i = 0; i < rows.size(); ++i) {
      ImportRowResult& out = report.rows[i];
      if (out.rejection != ImportRejection::None) continue;
      const Candidate& c = candidates[i];
      auto row = conn.query_one(
          "INSERT INTO people (id_hash, id_cipher, name, agency_code, title, email, active) "
          "VALUES (?, ?, ?, ?, ?, ?, 1) RETURNING id",
          {c.hash, ids_.seal(*c.id), c.name, c.agency, c.title, c.email});
      out.person_id = row->i64(0);
      // No password yet: an admin sets the initial one (admin set-password), which must then be changed.
      if (c.account)
        conn.exec("INSERT INTO accounts (person_id, name, must_change) VALUES (?, ?, 1)",
                  {*out.person_id, *c.account});
    }
    report.written = report.accepted > 0;
  });
  // A rollback after a failure above propagates as an exception, so a report never claims rows that
  // were not committed.
  return report;
}

Person SqlPeopleStore::to_person(const Row& row) const {
  // The sealed ID must belong to this row: a box copied from another row (by someone with write access
  // to the file) would otherwise display another person's number.
  tw::NationalId id = ids_.open(row.blob(2));
  const Bytes expected = ids_.lookup_hash(id);
  const Bytes& stored = row.blob(1);
  if (stored.size() != expected.size() || sodium_memcmp(stored.data(), expected.data(), stored.size()) != 0) {
    throw Error(codes::STORE_DATA_CORRUPT,
                "person " + std::to_string(row.i64(0)) + ": sealed ID does not match its hash");
  }
  return Person{row.i64(0), id.masked(), row.text(3), row.text(4), row.text(5), row.text(6), row.boolean(7)};
}

std::optional<Person> SqlPeopleStore::find_by_national_id(const tw::NationalId& id) {
  const Bytes hash = ids_.lookup_hash(id);
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kPersonColumns) + " FROM people WHERE id_hash = ?", {hash});
  });
  if (!row) return std::nullopt;
  return to_person(*row);
}

std::optional<Person> SqlPeopleStore::get(std::int64_t person_id) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kPersonColumns) + " FROM people WHERE id = ?", {person_id});
  });
  if (!row) return std::nullopt;
  return to_person(*row);
}

std::optional<tw::NationalId> SqlPeopleStore::reveal_national_id(std::int64_t person_id) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kPersonColumns) + " FROM people WHERE id = ?", {person_id});
  });
  if (!row) return std::nullopt;
  to_person(*row);  // the hash check
  return ids_.open(row->blob(2));
}

bool SqlPeopleStore::set_active(std::int64_t person_id, bool active) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("UPDATE people SET active = ? WHERE id = ?", {active ? 1 : 0, person_id}) == 1;
  });
}

}  // namespace ecpa::store
