#pragma once

// People and agencies, provisioned by HR (never created by a login flow). A person is found by national
// ID through its keyed hash; the ID itself is stored only sealed (IdProtector).

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/store/database.hpp"
#include "ecpa/store/id_protector.hpp"
#include "ecpa/tw/national_id.hpp"

namespace ecpa::store {

struct Agency {
  std::string code;
  std::string name;
  std::string name_en{};      // as HR gives it; may be empty
  std::string parent_code{};  // a unit's agency (機關組織); empty for an agency at the top
  // 機關憑證: the agency's OID as its cards carry it (SDA 2.16.886.1.100.2.102), dotted; empty for none.
  std::string oid{};
  // The personnel officer whose account the agency's card is bound to (set_officer); not HR's file.
  std::optional<std::int64_t> officer_person_id{};
};

struct Person {
  std::int64_t id = 0;
  std::string masked_national_id;  // A12****789: safe to show and log
  std::string name;
  std::string agency_code;
  std::string title;
  std::string email;  // may be empty
  bool active = true;
};

// One row of an HR file, as typed (nothing validated yet).
struct PersonImportRow {
  std::string national_id;
  std::string name;
  std::string agency_code;
  std::string title;
  std::string email;
  std::string account{};  // 帳號密碼登入's account name; empty: the person has none
};

enum class ImportRejection {
  None,
  NationalIdInvalid,    // format or checksum (see id_error)
  NameInvalid,          // empty, over 100 bytes, or control characters
  AgencyUnknown,        // no agency with this code (add it with put_agency first)
  TitleInvalid,         // over 100 bytes or control characters
  EmailInvalid,         // not empty and not shaped like local@domain.tld
  DuplicateInFile,      // the same ID number appears on more than one row (all of them are rejected)
  DuplicateInDatabase,  // a person with this ID number already exists
  AccountInvalid,       // not an account name (fold_account_name)
  AccountTaken,         // the account name is on another row of the file or belongs to someone already
};
// Stable lowercase names ("duplicate_in_file"), for reports and the catalogue.
std::string_view to_string(ImportRejection r) noexcept;

enum class ImportMode {
  AllOrNothing,   // any rejected row → nothing is written
  ValidRowsOnly,  // rejected rows are skipped, the others are written (still in one transaction)
};

struct ImportRowResult {
  std::size_t index = 0;           // position in the input, from 0
  std::string masked_national_id;  // never the ID itself: reports get printed and mailed
  ImportRejection rejection = ImportRejection::None;
  std::optional<tw::NationalIdError> id_error;
  std::optional<std::int64_t> person_id;  // set when written
};

struct ImportReport {
  std::vector<ImportRowResult> rows;
  std::size_t accepted = 0;  // rows that passed every check
  std::size_t rejected = 0;
  bool written = false;  // whether the accepted rows were stored
};

class PeopleStore {
 public:
  virtual ~PeopleStore() = default;
  // Adds an agency or renames it.
  virtual void put_agency(const Agency& agency) = 0;
  // All of them in one transaction, parents before their units, or none (BAD_REQUEST / STORE_ERROR).
  virtual void put_agencies(std::span<const Agency> agencies) = 0;
  virtual std::optional<Agency> agency(std::string_view code) = 0;
  // Every agency and unit, by code (機關組織).
  virtual std::vector<Agency> agencies() = 0;
  virtual std::optional<Agency> agency_by_oid(std::string_view oid) = 0;
  // Makes a person of the agency its personnel officer, in one transaction retiring the agency-card
  // bindings of the officer before (the cards then bind to the new one at their next first login).
  // Returns the previous officer. AGENCY_UNKNOWN, PERSON_NOT_FOUND, or BAD_REQUEST when the person
  // belongs to another agency.
  virtual std::optional<std::int64_t> set_officer(std::string_view agency_code, std::int64_t person_id,
                                                  Clock::time_point now) = 0;
  virtual ImportReport import_people(std::span<const PersonImportRow> rows, ImportMode mode) = 0;
  virtual std::optional<Person> find_by_national_id(const tw::NationalId& id) = 0;
  virtual std::optional<Person> get(std::int64_t person_id) = 0;
  // The full ID number, for an authorised view only. Every call is a deliberate reveal.
  virtual std::optional<tw::NationalId> reveal_national_id(std::int64_t person_id) = 0;
  // False if there is no such person.
  virtual bool set_active(std::int64_t person_id, bool active) = 0;
};

class SqlPeopleStore final : public PeopleStore {
 public:
  SqlPeopleStore(Database& db, const IdProtector& ids) : db_(db), ids_(ids) {}
  void put_agency(const Agency& agency) override;
  void put_agencies(std::span<const Agency> agencies) override;
  std::optional<Agency> agency(std::string_view code) override;
  std::vector<Agency> agencies() override;
  std::optional<Agency> agency_by_oid(std::string_view oid) override;
  std::optional<std::int64_t> set_officer(std::string_view agency_code, std::int64_t person_id,
                                          Clock::time_point now) override;
  ImportReport import_people(std::span<const PersonImportRow> rows, ImportMode mode) override;
  std::optional<Person> find_by_national_id(const tw::NationalId& id) override;
  std::optional<Person> get(std::int64_t person_id) override;
  std::optional<tw::NationalId> reveal_national_id(std::int64_t person_id) override;
  bool set_active(std::int64_t person_id, bool active) override;

 private:
  Person to_person(const Row& row) const;
  Database& db_;
  const IdProtector& ids_;
};

}  // namespace ecpa::store
