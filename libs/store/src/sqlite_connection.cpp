#include "sqlite_connection.hpp"

#include <fcntl.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>
#include <unordered_map>

#include "ecpa/common/error.hpp"

namespace ecpa::store::detail {
namespace {

// Statements are short; a longer one is still named by its beginning in the log.
std::string sql_excerpt(std::string_view sql) {
  constexpr std::size_t kMax = 160;
  std::string s(sql.substr(0, kMax));
  for (char& c : s) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  if (sql.size() > kMax) s += "…";
  return s;
}

// The cause names SQLite's message and the SQL text, never the bound values: those are personal data
// (hashes of ID numbers, names) and causes go to the log. SQLite's own messages name columns, not values.
[[noreturn]] void fail(sqlite3* db, int rc, std::string_view what, std::string_view sql = {}) {
  const int ext = db != nullptr ? sqlite3_extended_errcode(db) : rc;
  std::string cause = "sqlite " + std::string(what) + ": " +
                      (db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc)) + " (code " +
                      std::to_string(ext) + ")";
  if (!sql.empty()) cause += " in: " + sql_excerpt(sql);
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw Error(codes::STORE_CONFLICT, std::move(cause));
    default:
      break;
  }
  switch (ext & 0xff) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_CANTOPEN:
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_READONLY:
    case SQLITE_PROTOCOL:
      throw Error(codes::STORE_UNAVAILABLE, std::move(cause));
    default:
      throw Error(codes::STORE_ERROR, std::move(cause));
  }
}

class SqliteConnection final : public Connection {
 public:
  explicit SqliteConnection(sqlite3* db) : db_(db) {}
  ~SqliteConnection() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close_v2(db_);
  }

  void configure(bool in_memory, const DatabaseOptions& options) {
    const auto ms = options.busy_timeout.count();
    sqlite3_busy_timeout(db_, ms > INT32_MAX ? INT32_MAX : static_cast<int>(ms));
    // Extended codes tell a unique violation (STORE_CONFLICT) from other constraint failures.
    sqlite3_extended_result_codes(db_, 1);
    if (!in_memory) {
      auto mode = run("PRAGMA journal_mode=WAL", {});
      if (mode.empty() || mode.front().text(0) != "wal") {
        throw Error(codes::STORE_UNAVAILABLE, "sqlite: the database refused WAL journal mode");
      }
    }
    run_script(
        "PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
        // Schema objects may not call functions with side effects: a tampered file cannot turn a view
        // or trigger into code that runs with our connection.
        "PRAGMA trusted_schema=OFF;");
  }

 private:
  // Resets a statement after use, whatever happened, so the cache never holds one mid-step or still
  // pointing at the caller's (by then dead) parameter buffers.
  struct ResetGuard {
    sqlite3_stmt* stmt;
    ~ResetGuard() {
      sqlite3_reset(stmt);
      sqlite3_clear_bindings(stmt);
    }
  };

  sqlite3_stmt* prepare(std::string_view sql) {
    std::string key(sql);
    if (auto it = cache_.find(key); it != cache_.end()) return it->second;
    // Statements are written in the code, so the cache stays small; the cap only guards against a
    // caller building SQL text dynamically.
    constexpr std::size_t kCacheCap = 256;
    if (cache_.size() >= kCacheCap) {
      for (auto& [k, s] : cache_) sqlite3_finalize(s);
      cache_.clear();
    }
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    int rc = sqlite3_prepare_v3(db_, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT,
                                &stmt, &tail);
    if (rc != SQLITE_OK) fail(db_, rc, "prepare", sql);
    if (stmt == nullptr) throw Error(codes::STORE_ERROR, "sqlite prepare: empty statement");
    // One statement per call: a second one after `;` would run unseen (and is how injected SQL looks).
    for (const char* p = tail; p != nullptr && p < sql.data() + sql.size(); ++p) {
      if (std::strchr(" \t\r\n;", *p) == nullptr) {
        sqlite3_finalize(stmt);
        throw Error(codes::STORE_ERROR, "sqlite prepare: more than one statement in: " + sql_excerpt(sql));
      }
    }
    cache_.emplace(std::move(key), stmt);
    return stmt;
  }

  void bind(sqlite3_stmt* stmt, std::span<const Param> params, std::string_view sql) {
    if (sqlite3_bind_parameter_count(stmt) != static_cast<int>(params.size())) {
      throw Error(codes::STORE_ERROR,
                  "sqlite bind: statement wants " + std::to_string(sqlite3_bind_parameter_count(stmt)) +
                      " values, got " + std::to_string(params.size()) + " in: " + sql_excerpt(sql));
    }
    for (std::size_t i = 0; i < params.size(); ++i) {
      const int idx = static_cast<int>(i + 1);
      int rc = std::visit(
          [&](const auto& v) -> int {
            using T = std::decay_t<decltype(v)>;
            if constexpr (std::is_same_v<T, std::nullptr_t>) {
              return sqlite3_bind_null(stmt, idx);
            } else if constexpr (std::is_same_v<T, std::int64_t>) {
              return sqlite3_bind_int64(stmt, idx, v);
            } else if constexpr (std::is_same_v<T, std::string_view>) {
              // A null data pointer would bind SQL NULL, not an empty string.
              return sqlite3_bind_text64(stmt, idx, v.data() != nullptr ? v.data() : "", v.size(),
                                         SQLITE_STATIC, SQLITE_UTF8);
            } else {
              if (v.empty()) return sqlite3_bind_zeroblob(stmt, idx, 0);
              return sqlite3_bind_blob64(stmt, idx, v.data(), v.size(), SQLITE_STATIC);
            }
          },
          params[i].storage());
      if (rc != SQLITE_OK) fail(db_, rc, "bind", sql);
    }
  }

  Row read_row(sqlite3_stmt* stmt, std::string_view sql) {
    const int n = sqlite3_column_count(stmt);
    std::vector<Row::Value> cols;
    cols.reserve(static_cast<std::size_t>(n));
    for (int c = 0; c < n; ++c) {
      switch (sqlite3_column_type(stmt, c)) {
        case SQLITE_NULL:
          cols.emplace_back(nullptr);
          break;
        case SQLITE_INTEGER:
          cols.emplace_back(static_cast<std::int64_t>(sqlite3_column_int64(stmt, c)));
          break;
        case SQLITE_TEXT: {
          const auto* p = reinterpret_cast<const char*>(sqlite3_column_text(stmt, c));
          cols.emplace_back(
              std::string(p != nullptr ? p : "", static_cast<std::size_t>(sqlite3_column_bytes(stmt, c))));
          break;
        }
        case SQLITE_BLOB: {
          const auto* p = static_cast<const std::uint8_t*>(sqlite3_column_blob(stmt, c));
          const auto len = static_cast<std::size_t>(sqlite3_column_bytes(stmt, c));
          cols.emplace_back(p != nullptr ? Bytes(p, p + len) : Bytes{});
          break;
        }
        default:
          throw Error(codes::STORE_ERROR, "sqlite: floating-point column " + std::to_string(c) +
                                              " is not supported in: " + sql_excerpt(sql));
      }
    }
    return Row(std::move(cols));
  }

  std::vector<Row> run(std::string_view sql, std::span<const Param> params) override {
    sqlite3_stmt* stmt = prepare(sql);
    ResetGuard guard{stmt};
    bind(stmt, params, sql);
    std::vector<Row> rows;
    for (;;) {
      int rc = sqlite3_step(stmt);
      if (rc == SQLITE_DONE) break;
      if (rc != SQLITE_ROW) fail(db_, rc, "step", sql);
      rows.push_back(read_row(stmt, sql));
    }
    return rows;
  }

  std::int64_t changes() override { return sqlite3_changes64(db_); }

  void run_script(std::string_view sql) override {
    std::string text(sql);
    char* msg = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &msg);
    sqlite3_free(msg);  // sqlite3_errmsg says the same
    if (rc != SQLITE_OK) fail(db_, rc, "exec", sql);
  }

  void begin_write() override { run("BEGIN IMMEDIATE", {}); }
  void commit() override { run("COMMIT", {}); }
  void rollback() noexcept override {
    // After some errors SQLite has already rolled back; then there is nothing left to undo.
    if (sqlite3_get_autocommit(db_) == 0) sqlite3_exec(db_, "ROLLBACK", nullptr, nullptr, nullptr);
  }

  sqlite3* db_;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

// Personal data lives in this file: create it readable by its owner only. SQLite gives the -wal and
// -shm files the same permissions as the database file.
void create_private_file(const std::string& path) {
  int fd = ::open(path.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_CLOEXEC, 0600);
  if (fd >= 0) {
    ::close(fd);
  } else if (errno != EEXIST) {
    throw Error(codes::STORE_UNAVAILABLE,
                "sqlite: cannot create database file: " + std::string(std::strerror(errno)));
  }
}

}  // namespace

std::unique_ptr<Connection> open_sqlite(const std::string& path, const DatabaseOptions& options) {
  const bool in_memory = path.empty();
  if (!in_memory) create_private_file(path);
  sqlite3* db = nullptr;
  // No SQLITE_OPEN_URI: the path is a file name, never parsed for ?options.
  int rc = sqlite3_open_v2(in_memory ? ":memory:" : path.c_str(), &db,
                           SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close_v2(db);
    throw Error(codes::STORE_UNAVAILABLE, "sqlite open: " + msg);
  }
  auto conn = std::make_unique<SqliteConnection>(db);
  conn->configure(in_memory, options);
  return conn;
}

}  // namespace ecpa::store::detail
