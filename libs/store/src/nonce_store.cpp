#include "ecpa/store/nonce_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {
constexpr std::size_t kMaxPurpose = 32;
}

void SqlNonceStore::put(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                        Clock::time_point expires_at) {
  if (purpose.empty() || !detail::is_clean_text(purpose, kMaxPurpose)) {
    throw Error(codes::BAD_REQUEST, "nonce purpose empty or malformed");
  }
  db_.transaction([&](Connection& conn) {
    conn.exec(
        "INSERT INTO auth_nonces (nonce_hash, presession_hash, purpose, expires_at) VALUES (?, ?, ?, ?)",
        {BytesView(nonce.bytes()), BytesView(presession.bytes()), purpose, expires_at});
  });
}

bool SqlNonceStore::take(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                         Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    // DELETE … RETURNING is the single-use guarantee: of any number of takers, in this process or another
    // on the same database, only the one whose DELETE removed the row gets it back.
    auto row = conn.query_one(
        "DELETE FROM auth_nonces WHERE nonce_hash = ? RETURNING presession_hash, purpose, expires_at",
        {BytesView(nonce.bytes())});
    conn.exec("DELETE FROM auth_nonces WHERE expires_at <= ?", {now});
    if (!row) return false;
    TokenHash stored_session;
    if (!TokenHash::from_bytes(row->blob(0), stored_session)) return false;
    const bool session_ok = stored_session == presession;
    return session_ok && row->text(1) == purpose && now < row->time(2);
  });
}

std::int64_t SqlNonceStore::sweep(Clock::time_point now) {
  return db_.transaction(
      [&](Connection& conn) { return conn.exec("DELETE FROM auth_nonces WHERE expires_at <= ?", {now}); });
}

}  // namespace ecpa::store
