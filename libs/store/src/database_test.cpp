#include "ecpa/store/database.hpp"

#include <gtest/gtest.h>
#include <sys/stat.h>

#include <atomic>
#include <thread>

#include "store_testing.hpp"

namespace ecpa::store {
namespace {

using testing::code_of;
using testing::TempDir;

std::unique_ptr<Database> memory_db() {
  auto db = Database::open("sqlite::memory:");
  db->transaction([](Connection& c) {
    c.exec("CREATE TABLE t (id INTEGER PRIMARY KEY, name TEXT UNIQUE, n INTEGER, data BLOB)");
  });
  return db;
}

TEST(Database, BindsAndReadsEveryType) {
  auto db = memory_db();
  const Bytes blob = {0, 1, 2, 255};
  db->transaction([&](Connection& c) {
    EXPECT_EQ(c.exec("INSERT INTO t (name, n, data) VALUES (?, ?, ?)", {"甲", std::int64_t{-5}, blob}), 1);
    EXPECT_EQ(c.exec("INSERT INTO t (name, n, data) VALUES (?, ?, ?)", {nullptr, 7, nullptr}), 1);
  });
  auto rows =
      db->with_connection([](Connection& c) { return c.query("SELECT name, n, data FROM t ORDER BY id"); });
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].text(0), "甲");
  EXPECT_EQ(rows[0].i64(1), -5);
  EXPECT_EQ(rows[0].blob(2), blob);
  EXPECT_TRUE(rows[1].is_null(0));
  EXPECT_EQ(rows[1].opt_text(0), std::nullopt);
  EXPECT_EQ(rows[1].opt_i64(1), 7);
  EXPECT_TRUE(rows[1].is_null(2));
}

TEST(Database, EmptyTextAndBlobAreNotNull) {
  auto db = memory_db();
  db->transaction([](Connection& c) {
    c.exec("INSERT INTO t (name, n, data) VALUES (?, 1, ?)", {std::string_view{}, BytesView{}});
  });
  auto row = db->with_connection([](Connection& c) { return c.query_one("SELECT name, data FROM t"); });
  ASSERT_TRUE(row);
  EXPECT_EQ(row->text(0), "");
  EXPECT_TRUE(row->blob(1).empty());
}

TEST(Database, OptionalAndTimeParams) {
  auto db = memory_db();
  const auto t = Clock::time_point(std::chrono::microseconds(1'700'000'000'123'456));
  std::optional<std::int64_t> none;
  db->transaction([&](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES (?, ?)", {none, t}); });
  auto row = db->with_connection([](Connection& c) { return c.query_one("SELECT name, n FROM t"); });
  EXPECT_TRUE(row->is_null(0));
  EXPECT_EQ(row->time(1), t);
  EXPECT_EQ(to_micros(from_micros(42)), 42);
}

TEST(Database, OutOfRangeStoredTimeIsAnErrorNotOverflow) {
  auto db = memory_db();
  db->transaction([](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES ('x', ?)", {INT64_MAX}); });
  auto row = db->with_connection([](Connection& c) { return c.query_one("SELECT n FROM t"); });
  EXPECT_EQ(code_of([&] { (void)row->time(0); }), "STORE_ERROR");
}

TEST(Database, WrongColumnTypeOrIndexIsStoreError) {
  auto db = memory_db();
  auto row = db->with_connection([](Connection& c) { return c.query_one("SELECT 'x', 1"); });
  EXPECT_EQ(code_of([&] { (void)row->i64(0); }), "STORE_ERROR");
  EXPECT_EQ(code_of([&] { (void)row->text(1); }), "STORE_ERROR");
  EXPECT_EQ(code_of([&] { (void)row->blob(0); }), "STORE_ERROR");
  EXPECT_EQ(code_of([&] { (void)row->i64(2); }), "STORE_ERROR");
}

TEST(Database, TransactionCommitsAndReturnsValue) {
  auto db = memory_db();
  auto id = db->transaction([](Connection& c) {
    return c.query_one("INSERT INTO t (name, n) VALUES ('a', 1) RETURNING id")->i64(0);
  });
  EXPECT_EQ(id, 1);
  auto n = db->with_connection([](Connection& c) { return c.query_one("SELECT COUNT(*) FROM t")->i64(0); });
  EXPECT_EQ(n, 1);
}

TEST(Database, TransactionRollsBackWhenTheFunctionThrows) {
  auto db = memory_db();
  EXPECT_THROW(db->transaction([](Connection& c) {
    c.exec("INSERT INTO t (name, n) VALUES ('a', 1)");
    throw std::runtime_error("stop");
  }),
               std::runtime_error);
  auto n = db->with_connection([](Connection& c) { return c.query_one("SELECT COUNT(*) FROM t")->i64(0); });
  EXPECT_EQ(n, 0);
  // The connection is usable again afterwards (not left inside the failed transaction).
  db->transaction([](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES ('b', 2)"); });
}

TEST(Database, NestedTransactionIsRefusedNotDeadlocked) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "n.db"));
  EXPECT_EQ(code_of([&] { db->transaction([&](Connection&) { db->transaction([](Connection&) {}); }); }),
            "STORE_ERROR");
  db->transaction([](Connection& c) { c.exec("CREATE TABLE x (a INTEGER)"); });  // still usable
}

TEST(Database, UniqueViolationIsConflictAndTheCauseHoldsNoValue) {
  auto db = memory_db();
  db->transaction([](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES (?, 1)", {"A123456789"}); });
  try {
    db->transaction([](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES (?, 2)", {"A123456789"}); });
    FAIL() << "no error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), codes::STORE_CONFLICT);
    EXPECT_NE(e.cause().find("UNIQUE"), std::string::npos) << e.cause();
    EXPECT_EQ(std::string(e.what()).find("A123456789"), std::string::npos) << e.what();
    EXPECT_EQ(e.cause().find("A123456789"), std::string::npos) << e.cause();
  }
}

TEST(Database, BadSqlIsStoreError) {
  auto db = memory_db();
  EXPECT_EQ(code_of([&] { db->with_connection([](Connection& c) { c.query("SELEKT 1"); }); }), "STORE_ERROR");
  EXPECT_EQ(code_of([&] { db->with_connection([](Connection& c) { c.query("SELECT * FROM missing"); }); }),
            "STORE_ERROR");
}

TEST(Database, OneStatementPerCall) {
  auto db = memory_db();
  EXPECT_EQ(code_of([&] { db->with_connection([](Connection& c) { c.exec("SELECT 1; DROP TABLE t"); }); }),
            "STORE_ERROR");
  // The table survived, and a trailing semicolon alone is fine.
  db->with_connection([](Connection& c) { c.query("SELECT COUNT(*) FROM t;"); });
}

TEST(Database, ParameterCountMustMatch) {
  auto db = memory_db();
  EXPECT_EQ(code_of([&] { db->with_connection([](Connection& c) { c.query("SELECT ?", {}); }); }),
            "STORE_ERROR");
  EXPECT_EQ(code_of([&] { db->with_connection([](Connection& c) { c.query("SELECT 1", {1}); }); }),
            "STORE_ERROR");
}

TEST(Database, ValuesAreNeverSqlText) {
  auto db = memory_db();
  const std::string evil = "x'); DROP TABLE t; --";
  db->transaction([&](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES (?, 1)", {evil}); });
  auto row = db->with_connection([](Connection& c) { return c.query_one("SELECT name FROM t"); });
  EXPECT_EQ(row->text(0), evil);
}

TEST(Database, UrlsAreCheckedAndPostgresIsNotYet) {
  EXPECT_EQ(code_of([] { Database::open("postgresql://u@localhost/db"); }), "STORE_BACKEND_UNSUPPORTED");
  EXPECT_EQ(code_of([] { Database::open("postgres://u@localhost/db"); }), "STORE_BACKEND_UNSUPPORTED");
  EXPECT_EQ(code_of([] { Database::open("mysql://u:secret@host/db"); }), "STORE_URL_INVALID");
  EXPECT_EQ(code_of([] { Database::open("sqlite://"); }), "STORE_URL_INVALID");
  EXPECT_EQ(code_of([] { Database::open(""); }), "STORE_URL_INVALID");
  try {
    Database::open("mysql://u:secret@host/db");
  } catch (const Error& e) {
    EXPECT_EQ(std::string(e.what()).find("secret"), std::string::npos);
  }
}

TEST(Database, UnopenableFileIsUnavailable) {
  TempDir dir;
  EXPECT_EQ(code_of([&] { Database::open(testing::sqlite_url(dir / "no/such/dir/x.db")); }),
            "STORE_UNAVAILABLE");
}

TEST(Database, NewFileIsPrivate) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "p.db"));
  struct stat st {};
  ASSERT_EQ(::stat((dir / "p.db").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Database, ConcurrentWritersSerialise) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "c.db"), {.max_connections = 4});
  db->transaction([](Connection& c) {
    c.exec("CREATE TABLE counter (n INTEGER NOT NULL)");
    c.exec("INSERT INTO counter (n) VALUES (0)");
  });
  // Read-then-write in each transaction: without BEGIN IMMEDIATE some would fail with SQLITE_BUSY
  // (a read lock that cannot be upgraded), or increments would be lost.
  constexpr int kThreads = 4, kEach = 50;
  std::vector<std::thread> threads;
  threads.reserve(kThreads);
  std::atomic<int> failures{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < kEach; ++i) {
        try {
          db->transaction([](Connection& c) {
            auto n = c.query_one("SELECT n FROM counter")->i64(0);
            std::this_thread::sleep_for(std::chrono::microseconds(500));  // let the others try meanwhile
            c.exec("UPDATE counter SET n = ?", {n + 1});
          });
        } catch (...) {
          ++failures;
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(failures.load(), 0);
  auto n = db->with_connection([](Connection& c) { return c.query_one("SELECT n FROM counter")->i64(0); });
  EXPECT_EQ(n, kThreads * kEach);
}

TEST(Database, PoolWaitsThenReportsUnavailable) {
  auto db = Database::open("sqlite::memory:", {.acquire_timeout = std::chrono::milliseconds(50)});
  auto held = db->acquire();
  std::string code;
  std::thread other([&] { code = code_of([&] { auto second = db->acquire(); }); });
  other.join();
  EXPECT_EQ(code, "STORE_UNAVAILABLE");
}

TEST(Database, ALeftOpenTransactionIsRolledBackOnReturn) {
  auto db = memory_db();
  db->with_connection([](Connection& c) {
    c.exec("BEGIN");
    c.exec("INSERT INTO t (name, n) VALUES ('half', 1)");
  });
  auto n = db->with_connection([](Connection& c) { return c.query_one("SELECT COUNT(*) FROM t")->i64(0); });
  EXPECT_EQ(n, 0);
  db->transaction([](Connection& c) { c.exec("INSERT INTO t (name, n) VALUES ('whole', 1)"); });
}

TEST(Database, LeasesAreReused) {
  TempDir dir;
  auto db = Database::open(testing::sqlite_url(dir / "r.db"), {.max_connections = 2});
  Connection* first = nullptr;
  {
    auto lease = db->acquire();
    first = &*lease;
  }
  auto again = db->acquire();
  EXPECT_EQ(&*again, first);
}

}  // namespace
}  // namespace ecpa::store
