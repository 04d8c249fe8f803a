#include "ecpa/store/session_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxLabel = 64;

constexpr std::string_view kColumns =
    "id_hash, person_id, method, amr, acr, csrf_hash, created_at, last_seen_at, idle_expires_at, "
    "absolute_expires_at";

TokenHash hash_from(const Bytes& b) {
  TokenHash h;
  if (!TokenHash::from_bytes(b, h)) throw Error(codes::STORE_ERROR, "session hash column has the wrong size");
  return h;
}

Session to_session(const Row& r) {
  return Session{hash_from(r.blob(0)), r.opt_i64(1), r.text(2), r.text(3), r.text(4),
                 hash_from(r.blob(5)), r.time(6),    r.time(7), r.time(8), r.time(9)};
}

void check(const NewSession& s) {
  if (s.idle_timeout <= Duration::zero() || s.absolute_timeout <= Duration::zero()) {
    throw Error(codes::BAD_REQUEST, "session timeouts must be positive");
  }
  for (const std::string* label : {&s.method, &s.amr, &s.acr}) {
    if (!detail::is_clean_text(*label, kMaxLabel)) throw Error(codes::BAD_REQUEST, "session label malformed");
  }
}

Session insert(Connection& conn, const NewSession& s, Clock::time_point now) {
  const Clock::time_point absolute = now + s.absolute_timeout;
  const Clock::time_point idle = std::min(now + s.idle_timeout, absolute);
  const auto idle_us = std::chrono::duration_cast<std::chrono::microseconds>(s.idle_timeout).count();
  auto rows = conn.query(
      "INSERT INTO sessions (id_hash, person_id, method, amr, acr, csrf_hash, created_at, last_seen_at, "
      "idle_timeout_us, idle_expires_at, absolute_expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
      "RETURNING " +
          std::string(kColumns),
      {BytesView(s.id.bytes()), s.person_id, s.method, s.amr, s.acr, BytesView(s.csrf.bytes()), now, now,
       idle_us, idle, absolute});
  return to_session(rows.at(0));
}

}  // namespace

Session SqlSessionStore::create(const NewSession& session, Clock::time_point now) {
  check(session);
  return db_.transaction([&](Connection& conn) { return insert(conn, session, now); });
}

Session SqlSessionStore::rotate(const TokenHash& old_id, const NewSession& session, Clock::time_point now) {
  check(session);
  return db_.transaction([&](Connection& conn) {
    conn.exec("DELETE FROM sessions WHERE id_hash = ?", {BytesView(old_id.bytes())});
    return insert(conn, session, now);
  });
}

std::optional<Session> SqlSessionStore::get_valid(const TokenHash& id, Clock::time_point now) {
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one(
        "SELECT " + std::string(kColumns) +
            " FROM sessions WHERE id_hash = ? AND idle_expires_at > ? AND absolute_expires_at > ?",
        {BytesView(id.bytes()), now, now});
  });
  if (!row) return std::nullopt;
  return to_session(*row);
}

bool SqlSessionStore::touch(const TokenHash& id, Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    // CASE instead of MIN()/LEAST(): the two-argument form differs between SQLite and PostgreSQL.
    return conn.exec(
               "UPDATE sessions SET last_seen_at = ?, idle_expires_at = CASE WHEN ? + idle_timeout_us < "
               "absolute_expires_at THEN ? + idle_timeout_us ELSE absolute_expires_at END "
               "WHERE id_hash = ? AND idle_expires_at > ? AND absolute_expires_at > ?",
               {now, now, now, BytesView(id.bytes()), now, now}) == 1;
  });
}

bool SqlSessionStore::remove(const TokenHash& id) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("DELETE FROM sessions WHERE id_hash = ?", {BytesView(id.bytes())}) == 1;
  });
}

std::int64_t SqlSessionStore::remove_for_person(std::int64_t person_id) {
  return db_.transaction(
      [&](Connection& conn) { return conn.exec("DELETE FROM sessions WHERE person_id = ?", {person_id}); });
}

std::int64_t SqlSessionStore::sweep(Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("DELETE FROM sessions WHERE idle_expires_at <= ? OR absolute_expires_at <= ?",
                     {now, now});
  });
}

}  // namespace ecpa::store
