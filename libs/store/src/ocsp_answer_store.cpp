#include "ecpa/store/ocsp_answer_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {
// "sha1|<40 hex>|<40 hex>|<serial hex>": 20-byte serials and SHA-512 CertID hashes fit with room.
constexpr std::size_t kMaxKey = 400;
}  // namespace

std::optional<StoredOcspAnswer> SqlOcspAnswerStore::find(std::string_view cert_key, Clock::time_point now) {
  if (!detail::is_clean_text(cert_key, kMaxKey)) return std::nullopt;
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one(
        "SELECT checked_at, this_update, next_update FROM ocsp_good_answers WHERE cert_key = ? "
        "AND next_update > ? AND revoked_at IS NULL",
        {cert_key, now});
  });
  if (!row) return std::nullopt;
  return StoredOcspAnswer{row->time(0), row->time(1), row->time(2)};
}

void SqlOcspAnswerStore::put(std::string_view cert_key, const StoredOcspAnswer& answer) {
  if (cert_key.empty() || !detail::is_clean_text(cert_key, kMaxKey))
    throw Error(codes::BAD_REQUEST, "OCSP answer key empty or malformed");
  db_.transaction([&](Connection& conn) {
    // The WHERE of the upsert is the guard: one statement, so no other process's forget can fall between
    // the check and the write.
    conn.exec(
        "INSERT INTO ocsp_good_answers (cert_key, checked_at, this_update, next_update, revoked_at) "
        "VALUES (?, ?, ?, ?, NULL) "
        "ON CONFLICT (cert_key) DO UPDATE SET checked_at = excluded.checked_at, "
        "this_update = excluded.this_update, next_update = excluded.next_update, revoked_at = NULL "
        "WHERE ocsp_good_answers.revoked_at IS NULL OR ocsp_good_answers.revoked_at < excluded.this_update",
        {cert_key, answer.checked_at, answer.this_update, answer.next_update});
  });
}

void SqlOcspAnswerStore::forget(std::string_view cert_key, Clock::time_point seen_at) {
  if (cert_key.empty() || !detail::is_clean_text(cert_key, kMaxKey)) return;
  const Clock::time_point keep_until = seen_at + std::chrono::hours(24);
  db_.transaction([&](Connection& conn) {
    conn.exec(
        "INSERT INTO ocsp_good_answers (cert_key, checked_at, this_update, next_update, revoked_at) "
        "VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (cert_key) DO UPDATE SET revoked_at = excluded.revoked_at, "
        "next_update = MAX(ocsp_good_answers.next_update, excluded.next_update)",
        {cert_key, seen_at, seen_at, keep_until, seen_at});
  });
}

std::int64_t SqlOcspAnswerStore::sweep(Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("DELETE FROM ocsp_good_answers WHERE next_update <= ?", {now});
  });
}

}  // namespace ecpa::store
