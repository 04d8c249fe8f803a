#include "ecpa/store/stores.hpp"

namespace ecpa::store {

Stores::Stores(std::unique_ptr<Database> db, const SecretBuffer& key)
    : db_(std::move(db)),
      ids_(key),
      people_(*db_, ids_),
      bindings_(*db_),
      nonces_(*db_),
      sessions_(*db_),
      audit_(*db_),
      todos_(*db_),
      ocsp_answers_(*db_),
      accounts_(*db_) {}

std::unique_ptr<Stores> Stores::open(const StoreConfig& config) {
  // The key first: without it the people table is unreadable, so there is no point touching the schema.
  SecretBuffer key = IdProtector::load_or_create_key(config.id_key_file);
  auto db = Database::open(config.url, config.options);
  MigrationReport report = migrate(*db);
  std::unique_ptr<Stores> stores(new Stores(std::move(db), key));
  stores->migration_ = std::move(report);
  return stores;
}

}  // namespace ecpa::store
