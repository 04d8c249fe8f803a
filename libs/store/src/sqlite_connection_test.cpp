#include "sqlite_connection.hpp"

#include <gtest/gtest.h>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::code_of;
using testing::TempDir;

TEST(SqliteConnection, FileDatabasesUseWalNormalSyncAndForeignKeys) {
  TempDir dir;
  auto conn = detail::open_sqlite((dir / "s.db").string(), {});
  EXPECT_EQ(conn->query_one("PRAGMA journal_mode")->text(0), "wal");
  EXPECT_EQ(conn->query_one("PRAGMA synchronous")->i64(0), 1);  // NORMAL
  EXPECT_EQ(conn->query_one("PRAGMA foreign_keys")->i64(0), 1);
  EXPECT_EQ(conn->query_one("PRAGMA trusted_schema")->i64(0), 0);
}

TEST(SqliteConnection, ForeignKeysAreEnforced) {
  auto conn = detail::open_sqlite("", {});
  conn->exec_script(
      "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
      "CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent (id));");
  EXPECT_EQ(code_of([&] { conn->exec("INSERT INTO child (parent_id) VALUES (?)", {42}); }), "STORE_ERROR");
}

TEST(SqliteConnection, PreparedStatementsAreReusedWithFreshBindings) {
  auto conn = detail::open_sqlite("", {});
  for (int i = 0; i < 1000; ++i) {
    EXPECT_EQ(conn->query_one("SELECT ? + 1", {i})->i64(0), i + 1);
  }
}

TEST(SqliteConnection, BusyWriterTimesOutAsUnavailable) {
  TempDir dir;
  const auto path = (dir / "b.db").string();
  auto holder = detail::open_sqlite(path, {});
  auto waiter = detail::open_sqlite(path, {.busy_timeout = std::chrono::milliseconds(100)});
  holder->exec_script("CREATE TABLE t (a INTEGER); BEGIN IMMEDIATE; INSERT INTO t VALUES (1);");
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(code_of([&] { waiter->exec_script("BEGIN IMMEDIATE"); }), "STORE_UNAVAILABLE");
  EXPECT_GE(std::chrono::steady_clock::now() - start, std::chrono::milliseconds(90));
  holder->exec_script("COMMIT");
  waiter->exec_script("BEGIN IMMEDIATE; INSERT INTO t VALUES (2); COMMIT;");
  EXPECT_EQ(waiter->query_one("SELECT COUNT(*) FROM t")->i64(0), 2);
}

TEST(SqliteConnection, PathIsAFileNameNotAUri) {
  TempDir dir;
  // With URI parsing on, this would open an in-memory database instead of a file.
  const auto path = (dir / "file:x.db?mode=memory").string();
  auto conn = detail::open_sqlite(path, {});
  conn->exec_script("CREATE TABLE t (a INTEGER)");
  EXPECT_TRUE(std::filesystem::exists(path));
}

}  // namespace
}  // namespace ecpa::store
