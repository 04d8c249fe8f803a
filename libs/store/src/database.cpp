#include "ecpa/store/database.hpp"

#include <algorithm>
#include <condition_variable>
#include <functional>
#include <mutex>

#include "ecpa/common/error.hpp"
#include "sqlite_connection.hpp"

namespace ecpa::store {

std::int64_t to_micros(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

Clock::time_point from_micros(std::int64_t micros) {
  // The clock counts nanoseconds in 64 bits (about ±292 years): a value beyond that, only possible in a
  // damaged or tampered file, would overflow on conversion.
  constexpr std::int64_t kLimit =
      std::chrono::duration_cast<std::chrono::microseconds>(Duration::max()).count();
  if (micros > kLimit || micros < -kLimit) throw Error(codes::STORE_ERROR, "stored time is out of range");
  return Clock::time_point(std::chrono::duration_cast<Duration>(std::chrono::microseconds(micros)));
}

// ---- Row ----

const Row::Value& Row::at(std::size_t i) const {
  if (i >= cols_.size()) {
    throw Error(codes::STORE_ERROR,
                "row has " + std::to_string(cols_.size()) + " columns, asked for " + std::to_string(i));
  }
  return cols_[i];
}

namespace {
template <class T>
const T& expect(const Row::Value& v, std::size_t i, const char* type) {
  if (const T* p = std::get_if<T>(&v)) return *p;
  throw Error(codes::STORE_ERROR, "column " + std::to_string(i) + " is not " + type);
}
}  // namespace

bool Row::is_null(std::size_t i) const { return std::holds_alternative<std::nullptr_t>(at(i)); }
std::int64_t Row::i64(std::size_t i) const { return expect<std::int64_t>(at(i), i, "an integer"); }
const std::string& Row::text(std::size_t i) const { return expect<std::string>(at(i), i, "text"); }
const Bytes& Row::blob(std::size_t i) const { return expect<Bytes>(at(i), i, "a blob"); }
std::optional<std::int64_t> Row::opt_i64(std::size_t i) const {
  return is_null(i) ? std::nullopt : std::optional(i64(i));
}
std::optional<std::string> Row::opt_text(std::size_t i) const {
  return is_null(i) ? std::nullopt : std::optional(text(i));
}
std::optional<Clock::time_point> Row::opt_time(std::size_t i) const {
  return is_null(i) ? std::nullopt : std::optional(time(i));
}

// ---- Connection ----

std::optional<Row> Connection::query_one(std::string_view sql, std::initializer_list<Param> params) {
  auto rows = query(sql, params);
  if (rows.empty()) return std::nullopt;
  return std::move(rows.front());
}

std::int64_t Connection::exec(std::string_view sql, std::initializer_list<Param> params) {
  run(sql, std::span<const Param>(params.begin(), params.size()));
  return changes();
}

// ---- Pool ----

struct Database::Pool {
  std::function<std::unique_ptr<Connection>()> open_one;
  std::size_t max = 1;
  std::chrono::milliseconds acquire_timeout{};
  std::mutex mu;
  std::condition_variable freed;
  std::vector<std::unique_ptr<Connection>> idle;
  std::size_t open_count = 0;
};

Database::Database(Backend backend, std::unique_ptr<Pool> pool) : backend_(backend), pool_(std::move(pool)) {}
Database::~Database() = default;

std::unique_ptr<Database> Database::open(std::string_view url, DatabaseOptions options) {
  auto pool = std::make_unique<Pool>();
  pool->acquire_timeout = options.acquire_timeout;
  pool->max = std::max<std::size_t>(options.max_connections, 1);

  constexpr std::string_view kSqlite = "sqlite://";
  std::string path;
  if (url == "sqlite::memory:") {
    // Every connection to ":memory:" would be a different, empty database: keep exactly one.
    pool->max = 1;
  } else if (url.starts_with(kSqlite)) {
    path = std::string(url.substr(kSqlite.size()));
    if (path.empty() || path.find('\0') != std::string::npos) {
      throw Error(codes::STORE_URL_INVALID, "sqlite URL has no file path");
    }
  } else if (url.starts_with("postgresql://") || url.starts_with("postgres://")) {
    throw Error(codes::STORE_BACKEND_UNSUPPORTED, "the PostgreSQL backend is not implemented yet");
  } else {
    // Not echoed: a mistyped URL may carry a password.
    throw Error(codes::STORE_URL_INVALID, "database URL must start with sqlite:// or be sqlite::memory:");
  }
  pool->open_one = [path, options] { return detail::open_sqlite(path, options); };

  std::unique_ptr<Database> db(new Database(Backend::Sqlite, std::move(pool)));
  // Open one connection now, so a bad path or unusable file fails at start-up, not on the first request.
  { Lease first = db->acquire(); }
  return db;
}

Database::Lease Database::acquire() {
  std::unique_lock lock(pool_->mu);
  const bool ready = pool_->freed.wait_for(
      lock, pool_->acquire_timeout, [&] { return !pool_->idle.empty() || pool_->open_count < pool_->max; });
  if (!ready) {
    throw Error(codes::STORE_UNAVAILABLE, "no free database connection within " +
                                              std::to_string(pool_->acquire_timeout.count()) + " ms");
  }
  if (!pool_->idle.empty()) {
    auto conn = std::move(pool_->idle.back());
    pool_->idle.pop_back();
    return Lease(this, std::move(conn));
  }
  ++pool_->open_count;
  lock.unlock();
  try {
    return Lease(this, pool_->open_one());
  } catch (...) {
    lock.lock();
    --pool_->open_count;
    pool_->freed.notify_one();
    throw;
  }
}

void Database::release(std::unique_ptr<Connection> conn) noexcept {
  if (!conn) return;
  // A connection goes back clean: a transaction someone opened by hand (exec("BEGIN")) and left open
  // would otherwise hold the write lock and leak its changes into the next borrower's work.
  conn->rollback();
  std::lock_guard lock(pool_->mu);
  pool_->idle.push_back(std::move(conn));
  pool_->freed.notify_one();
}

Database::Lease::~Lease() {
  if (db_ != nullptr) db_->release(std::move(conn_));
}

// ---- Transactions ----

namespace {
// The databases this thread is inside a transaction of.
thread_local std::vector<const Database*> tls_open_transactions;
}  // namespace

Database::TransactionScope::TransactionScope(Database& db, Connection& conn) : db_(db), conn_(conn) {
  if (std::find(tls_open_transactions.begin(), tls_open_transactions.end(), &db_) !=
      tls_open_transactions.end()) {
    throw Error(codes::STORE_ERROR, "nested transaction on the same database (would wait on its own lock)");
  }
  conn_.begin_write();
  tls_open_transactions.push_back(&db_);
}

Database::TransactionScope::~TransactionScope() {
  if (!done_) conn_.rollback();
  std::erase(tls_open_transactions, &db_);
}

void Database::TransactionScope::commit() {
  conn_.commit();
  done_ = true;
}

}  // namespace ecpa::store
