#pragma once

// The SQL chokepoint: the only code in the project that talks to a database library (SQLite now,
// libpq later). Everything above speaks through Database / Connection with `?` placeholders and typed
// values, so that a value can never be spliced into SQL text, and so that a second backend only has to
// implement Connection.

#include <chrono>
#include <concepts>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "ecpa/common/clock.hpp"

namespace ecpa::store {

using Bytes = std::vector<std::uint8_t>;
using BytesView = std::span<const std::uint8_t>;
using Duration = Clock::time_point::duration;

// Time is stored as integer microseconds since the Unix epoch (UTC): exact, sortable, and the same
// in SQLite and PostgreSQL.
std::int64_t to_micros(Clock::time_point t);
Clock::time_point from_micros(std::int64_t micros);

// A value bound to a `?`. It only refers to the caller's data, which lives until the statement has run
// (the end of the full expression that built the parameter list).
class Param {
 public:
  using Storage = std::variant<std::nullptr_t, std::int64_t, std::string_view, BytesView>;

  Param(std::nullptr_t) : v_(nullptr) {}
  template <std::integral I>
  requires(!std::same_as<I, bool> && !std::same_as<I, char>) Param(I value)
      : v_(static_cast<std::int64_t>(value)) {}
  Param(std::string_view text) : v_(text) {}
  Param(const std::string& text) : v_(std::string_view(text)) {}
  Param(const char* text) : v_(std::string_view(text)) {}
  Param(BytesView blob) : v_(blob) {}
  Param(const Bytes& blob) : v_(BytesView(blob)) {}
  Param(Clock::time_point t) : v_(to_micros(t)) {}
  template <class T>
  Param(const std::optional<T>& value) : Param(nullptr) {
    if (value) *this = Param(*value);
  }

  const Storage& storage() const noexcept { return v_; }

 private:
  Storage v_;
};

// One result row, copied out of the database, with typed accessors. A column of an unexpected type is
// a STORE_ERROR (a schema/program mismatch), never a silent conversion.
class Row {
 public:
  using Value = std::variant<std::nullptr_t, std::int64_t, std::string, Bytes>;

  explicit Row(std::vector<Value> columns) : cols_(std::move(columns)) {}

  std::size_t size() const noexcept { return cols_.size(); }
  bool is_null(std::size_t i) const;
  std::int64_t i64(std::size_t i) const;
  const std::string& text(std::size_t i) const;
  const Bytes& blob(std::size_t i) const;
  Clock::time_point time(std::size_t i) const { return from_micros(i64(i)); }
  bool boolean(std::size_t i) const { return i64(i) != 0; }
  std::optional<std::int64_t> opt_i64(std::size_t i) const;
  std::optional<std::string> opt_text(std::size_t i) const;
  std::optional<Clock::time_point> opt_time(std::size_t i) const;

 private:
  const Value& at(std::size_t i) const;
  std::vector<Value> cols_;
};

// One connection, used by one thread at a time (the pool guarantees it). Statements are prepared once
// and cached per connection.
class Connection {
 public:
  virtual ~Connection() = default;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  // Runs one statement and returns every row it produced (SELECT, or anything with RETURNING).
  std::vector<Row> query(std::string_view sql, std::initializer_list<Param> params = {}) {
    return run(sql, std::span<const Param>(params.begin(), params.size()));
  }
  std::vector<Row> query(std::string_view sql, std::span<const Param> params) { return run(sql, params); }
  // The first row, if any.
  std::optional<Row> query_one(std::string_view sql, std::initializer_list<Param> params = {});
  // Runs one statement; returns the number of rows it changed.
  std::int64_t exec(std::string_view sql, std::initializer_list<Param> params = {});
  // Runs a script of several statements without parameters (migrations only).
  void exec_script(std::string_view sql) { run_script(sql); }

 protected:
  Connection() = default;

 private:
  friend class Database;
  virtual std::vector<Row> run(std::string_view sql, std::span<const Param> params) = 0;
  virtual std::int64_t changes() = 0;
  virtual void run_script(std::string_view sql) = 0;
  // Starts a transaction that will write: on SQLite BEGIN IMMEDIATE, so that concurrent writers queue on
  // the busy timeout instead of failing when a read lock cannot be upgraded.
  virtual void begin_write() = 0;
  virtual void commit() = 0;
  virtual void rollback() noexcept = 0;
};

enum class Backend { Sqlite, Postgresql };

struct DatabaseOptions {
  // Connections kept open at most (an in-memory SQLite database always has exactly one).
  std::size_t max_connections = 8;
  // How long a statement waits for another writer's lock before failing with STORE_UNAVAILABLE.
  std::chrono::milliseconds busy_timeout{5000};
  // How long acquire() waits for a free connection before failing with STORE_UNAVAILABLE.
  std::chrono::milliseconds acquire_timeout{5000};
};

// A pool of connections to one database. Thread-safe; not movable (leases point into it).
class Database {
 public:
  // `sqlite:///absolute/path.db`, `sqlite://relative/path.db`, `sqlite::memory:` (tests).
  // `postgresql://…` is recognised and refused with STORE_BACKEND_UNSUPPORTED until that backend exists;
  // anything else is STORE_URL_INVALID. A new SQLite file is created readable by its owner only.
  static std::unique_ptr<Database> open(std::string_view url, DatabaseOptions options = {});
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  Backend backend() const noexcept { return backend_; }

  // A connection borrowed from the pool; returned on destruction.
  class Lease {
   public:
    Lease(Lease&& other) noexcept : db_(std::exchange(other.db_, nullptr)), conn_(std::move(other.conn_)) {}
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    Connection& operator*() const noexcept { return *conn_; }
    Connection* operator->() const noexcept { return conn_.get(); }

   private:
    friend class Database;
    Lease(Database* db, std::unique_ptr<Connection> conn) : db_(db), conn_(std::move(conn)) {}
    Database* db_;
    std::unique_ptr<Connection> conn_;
  };
  [[nodiscard]] Lease acquire();

  // Runs fn(Connection&) outside any explicit transaction (each statement commits on its own).
  template <class F>
  decltype(auto) with_connection(F&& fn) {
    Lease lease = acquire();
    return std::forward<F>(fn)(*lease);
  }

  // Runs fn(Connection&) in one write transaction: committed when fn returns, rolled back when it throws
  // (the exception then propagates). A transaction inside another on the same thread is refused with
  // STORE_ERROR: it would wait for the outer one's lock until the busy timeout.
  template <class F>
  decltype(auto) transaction(F&& fn) {
    Lease lease = acquire();
    TransactionScope scope(*this, *lease);
    if constexpr (std::is_void_v<decltype(std::forward<F>(fn)(*lease))>) {
      std::forward<F>(fn)(*lease);
      scope.commit();
    } else {
      decltype(auto) result = std::forward<F>(fn)(*lease);
      scope.commit();
      return result;
    }
  }

 private:
  struct Pool;
  class TransactionScope {
   public:
    TransactionScope(Database& db, Connection& conn);
    ~TransactionScope();
    TransactionScope(const TransactionScope&) = delete;
    TransactionScope& operator=(const TransactionScope&) = delete;
    void commit();

   private:
    Database& db_;
    Connection& conn_;
    bool done_ = false;
  };

  Database(Backend backend, std::unique_ptr<Pool> pool);
  void release(std::unique_ptr<Connection> conn) noexcept;

  Backend backend_;
  std::unique_ptr<Pool> pool_;
};

}  // namespace ecpa::store
