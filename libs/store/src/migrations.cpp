#include "ecpa/store/migrations.hpp"

#include <string>

#include "ecpa/common/error.hpp"

namespace ecpa::store {
namespace detail {
std::span<const Migration> sqlite_migrations();  // generated
}

namespace {

constexpr std::string_view kCreateTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

int current_version(Connection& conn) {
  auto row = conn.query_one("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return row ? static_cast<int>(row->i64(0)) : 0;
}

void check_list(std::span<const Migration> migrations) {
  for (std::size_t i = 0; i < migrations.size(); ++i) {
    if (migrations[i].version != static_cast<int>(i + 1)) {
      throw Error(codes::STORE_ERROR, "migration list is not numbered 1..N in order");
    }
  }
}

}  // namespace

std::span<const Migration> builtin_migrations(Backend backend) {
  if (backend == Backend::Sqlite) return detail::sqlite_migrations();
  throw Error(codes::STORE_BACKEND_UNSUPPORTED, "no migrations for this backend yet");
}

MigrationReport migrate(Database& db) { return migrate(db, builtin_migrations(db.backend())); }

MigrationReport migrate(Database& db, std::span<const Migration> migrations) {
  check_list(migrations);
  const int known = static_cast<int>(migrations.size());
  db.transaction([](Connection& conn) { conn.exec(kCreateTable); });

  MigrationReport report;
  report.from_version = -1;
  // One transaction per migration; the version is re-read inside it, so two programs starting together
  // on the same database apply each migration exactly once (the second finds it done).
  for (;;) {
    const bool more = db.transaction([&](Connection& conn) {
      const int current = current_version(conn);
      if (report.from_version < 0) report.from_version = current;
      report.to_version = current;
      if (current > known) {
        throw Error(codes::STORE_SCHEMA_TOO_NEW, "database schema is version " + std::to_string(current) +
                                                     ", this program knows up to " + std::to_string(known));
      }
      if (current == known) return false;
      const Migration& m = migrations[static_cast<std::size_t>(current)];
      conn.exec_script(m.sql);
      conn.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                {m.version, m.name, SystemClock::instance().now()});
      report.applied.push_back(m.version);
      report.to_version = m.version;
      return true;
    });
    if (!more) break;
  }
  return report;
}

int schema_version(Database& db) {
  return db.with_connection([](Connection& conn) {
    // The one catalogue query here is backend-specific (PostgreSQL: information_schema.tables).
    auto exists = conn.query_one(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'");
    if (!exists || exists->i64(0) == 0) return 0;
    return current_version(conn);
  });
}

}  // namespace ecpa::store
