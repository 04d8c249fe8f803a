#include "ecpa/crypto/chain.hpp"

#include <openssl/x509_vfy.h>

#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

namespace {

struct X509StackFree {
  void operator()(STACK_OF(X509) * s) const noexcept { sk_X509_free(s); }  // borrowed entries
};
using BorrowedStackPtr = std::unique_ptr<STACK_OF(X509), X509StackFree>;

// The leaf's validity window is judged by the caller (with a skew allowance and distinct error
// codes); every other error, at every depth, stands.
int ignore_leaf_time(int ok, X509_STORE_CTX* ctx) {
  if (ok == 0 && X509_STORE_CTX_get_error_depth(ctx) == 0) {
    int err = X509_STORE_CTX_get_error(ctx);
    if (err == X509_V_ERR_CERT_NOT_YET_VALID || err == X509_V_ERR_CERT_HAS_EXPIRED) return 1;
  }
  return ok;
}

}  // namespace

struct TrustStore::State {
  std::vector<Certificate> anchors, intermediates;
  X509StorePtr store;
  BorrowedStackPtr untrusted;
};

TrustStore::TrustStore(std::vector<Certificate> anchors, std::vector<Certificate> intermediates) {
  auto s = std::make_shared<State>();
  s->anchors = std::move(anchors);
  s->intermediates = std::move(intermediates);
  s->store.reset(X509_STORE_new());
  s->untrusted.reset(sk_X509_new_null());
  if (!s->store || !s->untrusted) throw openssl_error(codes::CRYPTO_ERROR, "X509_STORE_new");
  for (const auto& a : s->anchors) {
    if (X509_STORE_add_cert(s->store.get(), a.native()) != 1) {
      throw openssl_error(codes::CRYPTO_ERROR, "X509_STORE_add_cert");
    }
  }
  // The stack borrows the X509s the Certificates in `intermediates` own; both live in State.
  for (const auto& c : s->intermediates) {
    if (sk_X509_push(s->untrusted.get(), c.native()) <= 0)
      throw openssl_error(codes::CRYPTO_ERROR, "sk_X509_push");
  }
  X509_STORE_set_verify_cb(s->store.get(), ignore_leaf_time);
  state_ = std::move(s);
}

const std::vector<Certificate>& TrustStore::anchors() const { return state_->anchors; }
const std::vector<Certificate>& TrustStore::intermediates() const { return state_->intermediates; }

std::vector<Certificate> TrustStore::verify(const Certificate& leaf, TimePoint at) const {
  X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!ctx ||
      X509_STORE_CTX_init(ctx.get(), state_->store.get(), leaf.native(), state_->untrusted.get()) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "X509_STORE_CTX_init");
  }
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_time(param, static_cast<time_t>(to_unix_seconds(at)));
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_X509_STRICT);
  int rc = X509_verify_cert(ctx.get());
  if (rc != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    drain_openssl_errors();
    throw Error(codes::CERT_UNTRUSTED,
                std::string("no path to a configured anchor: ") + X509_verify_cert_error_string(err));
  }
  // Map the chain back to our configured objects by identity (the store holds the same X509s).
  std::vector<Certificate> path{leaf};
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 1; i < sk_X509_num(chain); ++i) {
    X509* x = sk_X509_value(chain, i);
    const Certificate* found = nullptr;
    for (const auto* list : {&state_->intermediates, &state_->anchors}) {
      for (const auto& c : *list) {
        if (c.native() == x) found = &c;
      }
    }
    path.push_back(found != nullptr ? *found : Certificate::from_native(x));
  }
  return path;
}

bool certificate_signed_by(const Certificate& cert, const PublicKey& issuer_key) {
  int rc = X509_verify(cert.native(), issuer_key.native());
  if (rc != 1) drain_openssl_errors();
  return rc == 1;
}

}  // namespace ecpa::crypto
