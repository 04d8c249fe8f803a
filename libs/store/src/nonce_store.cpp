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

std::string_view to_string(NonceTake t) noexcept {
  switch (t) {
    case NonceTake::Taken:
      return "taken";
    case NonceTake::Expired:
      return "expired";
    case NonceTake::Invalid:
      return "invalid";
  }
  return "invalid";
}

NonceTake SqlNonceStore::take(const TokenHash& nonce, const TokenHash& presession, std::string_view purpose,
                              Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    // DELETE … RETURNING is the single-use guarantee: of any number of takers, in this process or another
    // on the same database, only the one whose DELETE removed the row gets it back. Only the session and
    // purpose it was issued to can remove it: someone else presenting it (a stolen signed package sent
    // from another session) is refused and leaves it for its owner.
    auto row = conn.query_one(
        "DELETE FROM auth_nonces WHERE nonce_hash = ? AND presession_hash = ? AND purpose = ? "
        "RETURNING expires_at",
        {BytesView(nonce.bytes()), BytesView(presession.bytes()), purpose});
    conn.exec("DELETE FROM auth_nonces WHERE expires_at <= ?", {now - retention_});
    if (!row) return NonceTake::Invalid;
    return now < row->time(0) ? NonceTake::Taken : NonceTake::Expired;
  });
}

std::int64_t SqlNonceStore::sweep(Clock::time_point now) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("DELETE FROM auth_nonces WHERE expires_at <= ?", {now - retention_});
  });
}

}  // namespace ecpa::store
