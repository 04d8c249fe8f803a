#include "ecpa/store/audit_log.hpp"

#include <sodium.h>

#include "ecpa/common/error.hpp"
#include "sodium_init.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxField = 4096;
constexpr std::size_t kPage = 1000;
constexpr std::string_view kDomain = "openecpa audit record v1";

constexpr std::string_view kColumns =
    "seq, at, type, method, person_id, cert_issuer, cert_serial, reason, client_addr, trace_id, prev_hash, "
    "hash";

// The canonical encoding: every field in a fixed order, each with its length in front (8 bytes, big
// endian), so no two different records encode to the same bytes however their texts are chosen.
class Encoder {
 public:
  void u64(std::uint64_t v) {
    for (int shift = 56; shift >= 0; shift -= 8) out_.push_back(static_cast<std::uint8_t>(v >> shift));
  }
  void text(std::string_view s) {
    u64(s.size());
    out_.insert(out_.end(), s.begin(), s.end());
  }
  const Bytes& bytes() const { return out_; }

 private:
  Bytes out_;
};

Bytes sha256(BytesView a, BytesView b) {
  detail::ensure_sodium();
  crypto_hash_sha256_state st;
  crypto_hash_sha256_init(&st);
  crypto_hash_sha256_update(&st, a.data(), a.size());
  crypto_hash_sha256_update(&st, b.data(), b.size());
  Bytes out(crypto_hash_sha256_BYTES);
  crypto_hash_sha256_final(&st, out.data());
  return out;
}

AuditRecord to_record(const Row& r) {
  AuditRecord rec;
  rec.seq = r.i64(0);
  rec.event = AuditEvent{r.time(1), r.text(2), r.text(3), r.opt_i64(4), r.text(5),
                         r.text(6), r.text(7), r.text(8), r.text(9)};
  rec.prev_hash = r.blob(10);
  rec.hash = r.blob(11);
  return rec;
}

bool same(const Bytes& a, const Bytes& b) {
  return a.size() == b.size() && sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace

std::string_view to_string(AuditProblem p) noexcept {
  switch (p) {
    case AuditProblem::None:
      return "none";
    case AuditProblem::SequenceGap:
      return "sequence_gap";
    case AuditProblem::PrevHashMismatch:
      return "prev_hash_mismatch";
    case AuditProblem::HashMismatch:
      return "hash_mismatch";
  }
  return "unknown";
}

Bytes audit_genesis_hash() {
  constexpr std::string_view label = "openecpa audit genesis v1";
  return sha256(BytesView(reinterpret_cast<const std::uint8_t*>(label.data()), label.size()), {});
}

Bytes audit_record_hash(BytesView prev_hash, std::int64_t seq, const AuditEvent& e) {
  Encoder enc;
  enc.text(kDomain);
  enc.u64(static_cast<std::uint64_t>(seq));
  enc.u64(static_cast<std::uint64_t>(to_micros(e.at)));
  enc.text(e.type);
  enc.text(e.method);
  if (e.person_id) {
    enc.u64(1);
    enc.u64(static_cast<std::uint64_t>(*e.person_id));
  } else {
    enc.u64(0);
  }
  enc.text(e.cert_issuer);
  enc.text(e.cert_serial);
  enc.text(e.reason);
  enc.text(e.client_addr);
  enc.text(e.trace_id);
  return sha256(prev_hash, enc.bytes());
}

AuditRecord SqlAuditLog::append(const AuditEvent& e) {
  if (e.type.empty()) throw Error(codes::BAD_REQUEST, "audit event without a type");
  for (const std::string* f :
       {&e.type, &e.method, &e.cert_issuer, &e.cert_serial, &e.reason, &e.client_addr, &e.trace_id}) {
    if (f->size() > kMaxField) throw Error(codes::BAD_REQUEST, "audit event field over 4096 bytes");
  }
  // The write transaction serialises appenders (also across processes), so the chain never forks.
  return db_.transaction([&](Connection& conn) {
    AuditRecord rec;
    rec.event = e;
    auto last = conn.query_one("SELECT seq, hash FROM audit_events ORDER BY seq DESC LIMIT 1");
    rec.seq = last ? last->i64(0) + 1 : 1;
    rec.prev_hash = last ? last->blob(1) : audit_genesis_hash();
    rec.hash = audit_record_hash(rec.prev_hash, rec.seq, e);
    conn.exec(
        "INSERT INTO audit_events (seq, at, type, method, person_id, cert_issuer, cert_serial, reason, "
        "client_addr, trace_id, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        {rec.seq, e.at, e.type, e.method, e.person_id, e.cert_issuer, e.cert_serial, e.reason, e.client_addr,
         e.trace_id, rec.prev_hash, rec.hash});
    return rec;
  });
}

std::vector<AuditRecord> SqlAuditLog::read(std::int64_t after_seq, std::size_t limit) {
  auto rows = db_.with_connection([&](Connection& conn) {
    return conn.query(
        "SELECT " + std::string(kColumns) + " FROM audit_events WHERE seq > ? ORDER BY seq LIMIT ?",
        {after_seq, static_cast<std::int64_t>(std::min<std::size_t>(limit, INT64_MAX))});
  });
  std::vector<AuditRecord> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_record(r));
  return out;
}

AuditVerification SqlAuditLog::verify() {
  AuditVerification v;
  v.head_hash = audit_genesis_hash();
  std::int64_t expected_seq = 1;
  for (;;) {
    auto page = read(expected_seq - 1, kPage);
    for (const auto& rec : page) {
      auto fail = [&](AuditProblem p) {
        v.ok = false;
        v.problem = p;
        v.first_bad_seq = rec.seq;
        return v;
      };
      if (rec.seq != expected_seq) return fail(AuditProblem::SequenceGap);
      if (!same(rec.prev_hash, v.head_hash)) return fail(AuditProblem::PrevHashMismatch);
      if (!same(rec.hash, audit_record_hash(rec.prev_hash, rec.seq, rec.event))) {
        return fail(AuditProblem::HashMismatch);
      }
      v.head_hash = rec.hash;
      ++v.records_checked;
      ++expected_seq;
    }
    if (page.size() < kPage) return v;
  }
}

}  // namespace ecpa::store
