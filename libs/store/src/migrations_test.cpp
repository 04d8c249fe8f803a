#include "ecpa/store/migrations.hpp"

#include <gtest/gtest.h>

#include <thread>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::code_of;
using testing::TempDir;

std::int64_t count_tables(Database& db, std::string_view name) {
  return db.with_connection([&](Connection& c) {
    return c.query_one("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", {name})
        ->i64(0);
  });
}

TEST(Migrations, BuiltinListIsNumberedAndNotEmpty) {
  auto list = builtin_migrations(Backend::Sqlite);
  ASSERT_FALSE(list.empty());
  for (std::size_t i = 0; i < list.size(); ++i) EXPECT_EQ(list[i].version, static_cast<int>(i + 1));
  EXPECT_EQ(list[0].name, "initial");
  EXPECT_EQ(code_of([] { builtin_migrations(Backend::Postgresql); }), "STORE_BACKEND_UNSUPPORTED");
}

TEST(Migrations, FreshDatabaseGetsEverySchemaObject) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "m.db"));
  EXPECT_EQ(schema_version(*db), 0);
  auto report = migrate(*db);
  const int latest = static_cast<int>(builtin_migrations(Backend::Sqlite).size());
  EXPECT_EQ(report.from_version, 0);
  EXPECT_EQ(report.to_version, latest);
  EXPECT_EQ(report.applied.size(), static_cast<std::size_t>(latest));
  EXPECT_EQ(schema_version(*db), latest);
  for (auto table : {"agencies", "people", "cert_bindings", "auth_nonces", "sessions", "audit_events",
                     "todos", "schema_migrations"}) {
    EXPECT_EQ(count_tables(*db, table), 1) << table;
  }
}

TEST(Migrations, RunningAgainIsANoOp) {
  TempDir dir;
  {
    auto db = Database::open(testing::sqlite_url(dir / "m.db"));
    migrate(*db);
  }
  auto db = Database::open(testing::sqlite_url(dir / "m.db"));
  auto report = migrate(*db);
  EXPECT_TRUE(report.applied.empty());
  EXPECT_EQ(report.from_version, report.to_version);
  auto rows = db->with_connection(
      [](Connection& c) { return c.query_one("SELECT COUNT(*) FROM schema_migrations"); });
  EXPECT_EQ(rows->i64(0), static_cast<std::int64_t>(builtin_migrations(Backend::Sqlite).size()));
}

TEST(Migrations, NewerDatabaseIsRefused) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "m.db"));
  migrate(*db);
  db->transaction([](Connection& c) {
    c.exec("INSERT INTO schema_migrations (version, name, applied_at) VALUES (999, 'future', 0)");
  });
  EXPECT_EQ(code_of([&] { migrate(*db); }), "STORE_SCHEMA_TOO_NEW");
}

TEST(Migrations, AFailingMigrationLeavesNoTrace) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "m.db"));
  const Migration list[] = {
      {1, "one", "CREATE TABLE one (a INTEGER);"},
      {2, "two", "CREATE TABLE two (a INTEGER); INSERT INTO nowhere VALUES (1);"},
  };
  EXPECT_EQ(code_of([&] { migrate(*db, list); }), "STORE_ERROR");
  EXPECT_EQ(schema_version(*db), 1);
  EXPECT_EQ(count_tables(*db, "one"), 1);
  EXPECT_EQ(count_tables(*db, "two"), 0);  // its half was rolled back with it
}

TEST(Migrations, ListMustBeNumberedInOrder) {
  auto db = Database::open("sqlite::memory:");
  const Migration list[] = {{2, "two", "SELECT 1;"}};
  EXPECT_EQ(code_of([&] { migrate(*db, list); }), "STORE_ERROR");
}

TEST(Migrations, TwoProgramsStartingTogetherApplyEachOnce) {
  TempDir dir;
  const auto file = dir / "m.db";
  Database::open(testing::sqlite_url(file));  // create the file
  std::vector<MigrationReport> reports(2);
  std::vector<std::thread> threads;
  threads.reserve(2);
  for (int i = 0; i < 2; ++i) {
    threads.emplace_back([&, i] {
      auto db = Database::open(testing::sqlite_url(file));
      reports[static_cast<std::size_t>(i)] = migrate(*db);
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(reports[0].applied.size() + reports[1].applied.size(),
            builtin_migrations(Backend::Sqlite).size());
}

}  // namespace
}  // namespace ecpa::store
