#include "ecpa/store/account_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::string_view kAccountColumns = "person_id, name, password_hash, must_change, changed_at";

Account to_account(const Row& r) {
  return Account{r.i64(0), r.text(1), r.opt_text(2), r.boolean(3), r.opt_time(4)};
}

BytesView view(const TokenHash& h) { return BytesView(h.bytes()); }

void write_password(Connection& conn, std::int64_t person_id, const std::string& hash, bool must_change,
                    Clock::time_point now, std::size_t keep_history) {
  if (conn.exec("UPDATE accounts SET password_hash = ?, must_change = ?, changed_at = ? WHERE person_id = ?",
                {hash, must_change ? 1 : 0, now, person_id}) != 1)
    throw Error(codes::ACCOUNT_NOT_FOUND, "no account for person " + std::to_string(person_id));
  conn.exec("INSERT INTO password_history (person_id, password_hash, set_at) VALUES (?, ?, ?)",
            {person_id, hash, now});
  conn.exec(
      "DELETE FROM password_history WHERE person_id = ? AND id NOT IN "
      "(SELECT id FROM password_history WHERE person_id = ? ORDER BY set_at DESC, id DESC LIMIT ?)",
      {person_id, person_id, static_cast<std::int64_t>(std::max<std::size_t>(keep_history, 1))});
}

ResetLookup lookup(const std::optional<Row>& row, Clock::time_point now) {
  if (!row) return {};
  // A spent link is as good as none, but its person is known: the audit of a second use names them.
  if (!row->is_null(2)) return ResetLookup{ResetState::Invalid, row->i64(0)};
  return ResetLookup{now < row->time(1) ? ResetState::Valid : ResetState::Expired, row->i64(0)};
}

}  // namespace

std::optional<std::string> fold_account_name(std::string_view typed) {
  auto t = detail::trim(typed);
  if (t.size() < 3 || t.size() > 32) return std::nullopt;
  std::string out;
  out.reserve(t.size());
  for (char c : t) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    const bool letter = c >= 'a' && c <= 'z';
    if (!letter && !(c >= '0' && c <= '9') && c != '.' && c != '_' && c != '-') return std::nullopt;
    out.push_back(c);
  }
  if (!(out.front() >= 'a' && out.front() <= 'z')) return std::nullopt;
  return out;
}

std::optional<Account> SqlAccountStore::find(std::string_view folded_name) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE name = ?",
                          {folded_name});
  });
  if (!row) return std::nullopt;
  return to_account(*row);
}

std::optional<Account> SqlAccountStore::for_person(std::int64_t person_id) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT " + std::string(kAccountColumns) + " FROM accounts WHERE person_id = ?",
                          {person_id});
  });
  if (!row) return std::nullopt;
  return to_account(*row);
}

bool SqlAccountStore::set_password(std::int64_t person_id, const std::string& hash, bool must_change,
                                   Clock::time_point now, std::size_t keep_history,
                                   const std::optional<std::string>& expected_hash) {
  return db_.transaction([&](Connection& conn) {
    if (expected_hash) {
      auto row = conn.query_one("SELECT password_hash FROM accounts WHERE person_id = ?", {person_id});
      if (row && row->opt_text(0) != expected_hash) return false;
    }
    write_password(conn, person_id, hash, must_change, now, keep_history);
    conn.exec("UPDATE password_resets SET used_at = ? WHERE person_id = ? AND used_at IS NULL",
              {now, person_id});
    conn.exec("DELETE FROM sessions WHERE person_id = ?", {person_id});
    return true;
  });
}

void SqlAccountStore::replace_hash(std::int64_t person_id, const std::string& hash) {
  db_.transaction([&](Connection& conn) {
    conn.exec("UPDATE accounts SET password_hash = ? WHERE person_id = ?", {hash, person_id});
  });
}

std::vector<std::string> SqlAccountStore::recent_hashes(std::int64_t person_id, std::size_t n) {
  return db_.with_connection([&](Connection& conn) {
    std::vector<std::string> out;
    for (const auto& r : conn.query("SELECT password_hash FROM password_history WHERE person_id = ? "
                                    "ORDER BY set_at DESC, id DESC LIMIT ?",
                                    {person_id, static_cast<std::int64_t>(n)}))
      out.push_back(r.text(0));
    return out;
  });
}

std::optional<Clock::time_point> SqlAccountStore::locked_until(const TokenHash& name_key,
                                                               Clock::time_point now) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one(
        "SELECT locked_until FROM login_failures WHERE account_key = ? AND locked_until > ?",
        {view(name_key), now});
  });
  if (!row) return std::nullopt;
  return row->time(0);
}

FailureCount SqlAccountStore::add_failure(const TokenHash& name_key, Clock::time_point now,
                                          const LockoutRule& rule) {
  return db_.transaction([&](Connection& conn) {
    auto row = conn.query_one(
        "SELECT failures, last_failed_at, locked_until FROM login_failures WHERE account_key = ?",
        {view(name_key)});
    FailureCount count;
    if (row) {
      const auto locked = row->opt_time(2);
      if (locked && *locked > now) return FailureCount{static_cast<int>(row->i64(0)), locked, true};
      // A lock that has run out, or failures older than the window, start the count again.
      const bool stale = locked || row->time(1) + rule.lock_for <= now;
      count.failures = stale ? 0 : static_cast<int>(row->i64(0));
    }
    count.failures += 1;
    if (count.failures >= rule.max_failures) count.locked_until = now + rule.lock_for;
    conn.exec(
        "INSERT INTO login_failures (account_key, failures, last_failed_at, locked_until) VALUES (?, ?, ?, "
        "?) "
        "ON CONFLICT (account_key) DO UPDATE SET failures = excluded.failures, "
        "last_failed_at = excluded.last_failed_at, locked_until = excluded.locked_until",
        {view(name_key), count.failures, now, count.locked_until});
    return count;
  });
}

void SqlAccountStore::clear_failures(const TokenHash& name_key) {
  db_.transaction([&](Connection& conn) {
    conn.exec("DELETE FROM login_failures WHERE account_key = ?", {view(name_key)});
  });
}

std::int64_t SqlAccountStore::sweep_failures(Clock::time_point now, const LockoutRule& rule) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec(
        "DELETE FROM login_failures WHERE last_failed_at <= ? AND (locked_until IS NULL OR locked_until <= "
        "?)",
        {now - rule.lock_for, now});
  });
}

void SqlAccountStore::put_reset(const TokenHash& token, std::int64_t person_id, Clock::time_point now,
                                Clock::time_point expires_at) {
  db_.transaction([&](Connection& conn) {
    conn.exec(
        "INSERT INTO password_resets (token_hash, person_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        {view(token), person_id, now, expires_at});
    // Spent links are kept a day for the audit of a second use, then go.
    conn.exec("DELETE FROM password_resets WHERE expires_at < ?", {now - std::chrono::hours(24)});
  });
}

ResetLookup SqlAccountStore::find_reset(const TokenHash& token, Clock::time_point now) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one("SELECT person_id, expires_at, used_at FROM password_resets WHERE token_hash = ?",
                          {view(token)});
  });
  return lookup(row, now);
}

ResetLookup SqlAccountStore::complete_reset(const TokenHash& token, Clock::time_point now,
                                            const std::string& new_hash, std::size_t keep_history,
                                            const TokenHash& name_key) {
  return db_.transaction([&](Connection& conn) {
    auto found = lookup(
        conn.query_one("SELECT person_id, expires_at, used_at FROM password_resets WHERE token_hash = ?",
                       {view(token)}),
        now);
    if (found.state != ResetState::Valid) return found;
    // Spent in the same statement that checks it is unspent: of two concurrent uses only one gets a row.
    if (conn.exec("UPDATE password_resets SET used_at = ? WHERE token_hash = ? AND used_at IS NULL",
                  {now, view(token)}) != 1)
      return ResetLookup{};
    conn.exec("UPDATE password_resets SET used_at = ? WHERE person_id = ? AND used_at IS NULL",
              {now, found.person_id});
    write_password(conn, found.person_id, new_hash, /*must_change=*/false, now, keep_history);
    conn.exec("DELETE FROM login_failures WHERE account_key = ?", {view(name_key)});
    conn.exec("DELETE FROM sessions WHERE person_id = ?", {found.person_id});
    return found;
  });
}

}  // namespace ecpa::store
