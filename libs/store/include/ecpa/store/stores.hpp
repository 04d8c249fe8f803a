#pragma once

// Everything the portal needs from storage, opened in one call: the database (migrated), the
// personal-data key and one instance of each store. Handlers should still depend on the narrow
// interfaces (PeopleStore&, NonceStore&, …), not on this bundle.

#include <filesystem>
#include <memory>
#include <string>

#include "ecpa/store/account_store.hpp"
#include "ecpa/store/audit_log.hpp"
#include "ecpa/store/binding_store.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/store/id_protector.hpp"
#include "ecpa/store/migrations.hpp"
#include "ecpa/store/nonce_store.hpp"
#include "ecpa/store/ocsp_answer_store.hpp"
#include "ecpa/store/people_store.hpp"
#include "ecpa/store/session_store.hpp"
#include "ecpa/store/todo_store.hpp"

namespace ecpa::store {

struct StoreConfig {
  std::string url;                    // see Database::open
  std::filesystem::path id_key_file;  // created (0600) when missing
  DatabaseOptions options;
};

class Stores {
 public:
  // Opens the database, applies pending migrations (STORE_SCHEMA_TOO_NEW if the file is newer than the
  // program) and loads or creates the key.
  static std::unique_ptr<Stores> open(const StoreConfig& config);
  Stores(const Stores&) = delete;
  Stores& operator=(const Stores&) = delete;

  Database& database() noexcept { return *db_; }
  const IdProtector& ids() const noexcept { return ids_; }
  const MigrationReport& migration() const noexcept { return migration_; }
  PeopleStore& people() noexcept { return people_; }
  BindingStore& bindings() noexcept { return bindings_; }
  NonceStore& nonces() noexcept { return nonces_; }
  SessionStore& sessions() noexcept { return sessions_; }
  AuditLog& audit() noexcept { return audit_; }
  TodoStore& todos() noexcept { return todos_; }
  OcspAnswerStore& ocsp_answers() noexcept { return ocsp_answers_; }
  AccountStore& accounts() noexcept { return accounts_; }

 private:
  Stores(std::unique_ptr<Database> db, const SecretBuffer& key);

  std::unique_ptr<Database> db_;
  IdProtector ids_;
  MigrationReport migration_;
  SqlPeopleStore people_;
  SqlBindingStore bindings_;
  SqlNonceStore nonces_;
  SqlSessionStore sessions_;
  SqlAuditLog audit_;
  SqlTodoStore todos_;
  SqlOcspAnswerStore ocsp_answers_;
  SqlAccountStore accounts_;
};

}  // namespace ecpa::store
