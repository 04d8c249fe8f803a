#pragma once

// Versioned schema migrations. The SQL files (libs/store/migrations/<backend>/NNN_name.sql) are embedded
// at build time; each is applied once, in order, in its own transaction, and recorded in
// schema_migrations. Running migrate() again is a no-op; a database whose schema is newer than this
// program knows is refused (STORE_SCHEMA_TOO_NEW) rather than written with assumptions that no longer hold.

#include <span>
#include <string_view>
#include <vector>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sql;
};

struct MigrationReport {
  int from_version = 0;
  int to_version = 0;
  std::vector<int> applied;
};

// The migrations built into this program for a backend.
std::span<const Migration> builtin_migrations(Backend backend);

// Brings the schema up to date with the built-in migrations.
MigrationReport migrate(Database& db);
// Same, with an explicit list (versions 1..N in order): for tests.
MigrationReport migrate(Database& db, std::span<const Migration> migrations);

// The highest applied version; 0 for an empty database.
int schema_version(Database& db);

}  // namespace ecpa::store
