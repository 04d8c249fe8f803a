#include "ecpa/store/binding_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxDn = 1024;
constexpr std::size_t kMaxCardSn = 64;
constexpr std::size_t kMaxSubjectSerial = 64;

constexpr std::string_view kSelect =
    "SELECT id, person_id, method, issuer_dn, serial_hex, card_sn, subject_serial, bound_at, replaced_at "
    "FROM cert_bindings ";

BindingMethod method_from(const std::string& s) {
  if (s == "citizen") return BindingMethod::Citizen;
  if (s == "agency") return BindingMethod::Agency;
  throw Error(codes::STORE_ERROR, "cert_bindings.method holds an unknown value");
}

CertificateBinding to_binding(const Row& r) {
  return CertificateBinding{r.i64(0),      r.i64(1),  method_from(r.text(2)),
                            r.text(3),     r.text(4), r.opt_text(5),
                            r.opt_text(6), r.time(7), r.opt_time(8)};
}

std::string sql(std::string_view tail) { return std::string(kSelect) + std::string(tail); }

}  // namespace

std::string_view to_string(BindingMethod m) noexcept {
  return m == BindingMethod::Citizen ? "citizen" : "agency";
}

std::optional<std::string> normalize_serial_hex(std::string_view serial) {
  if (serial.empty() || serial.size() > 64) return std::nullopt;
  std::string out;
  for (char c : serial) {
    if (c >= 'a' && c <= 'f') c = static_cast<char>(c - 'a' + 'A');
    if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'F'))) return std::nullopt;
    if (out.empty() && c == '0') continue;
    out.push_back(c);
  }
  if (out.empty()) out = "0";
  return out;
}

std::optional<CertificateBinding> SqlBindingStore::find_active(std::string_view issuer_dn,
                                                               std::string_view serial_hex) {
  auto serial = normalize_serial_hex(serial_hex);
  if (!serial) return std::nullopt;
  auto row = db_.with_connection([&](Connection& conn) {
    return conn.query_one(sql("WHERE issuer_dn = ? AND serial_hex = ? AND replaced_at IS NULL"),
                          {issuer_dn, *serial});
  });
  if (!row) return std::nullopt;
  return to_binding(*row);
}

std::vector<CertificateBinding> SqlBindingStore::find_active_by_card(std::string_view card_sn) {
  if (card_sn.empty()) return {};
  auto rows = db_.with_connection([&](Connection& conn) {
    return conn.query(sql("WHERE card_sn = ? AND replaced_at IS NULL ORDER BY id"), {card_sn});
  });
  std::vector<CertificateBinding> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_binding(r));
  return out;
}

BindResult SqlBindingStore::bind(std::int64_t person_id, const NewBinding& binding, Clock::time_point now) {
  auto serial = normalize_serial_hex(binding.serial_hex);
  if (!serial) throw Error(codes::BAD_REQUEST, "certificate serial is not hex of at most 64 digits");
  if (binding.issuer_dn.empty() || !detail::is_clean_text(binding.issuer_dn, kMaxDn)) {
    throw Error(codes::BAD_REQUEST, "issuer DN empty, too long or with control characters");
  }
  if (binding.card_sn && (binding.card_sn->empty() || !detail::is_clean_text(*binding.card_sn, kMaxCardSn))) {
    throw Error(codes::BAD_REQUEST, "card serial number empty, too long or with control characters");
  }
  if (binding.subject_serial && (binding.subject_serial->empty() ||
                                 !detail::is_clean_text(*binding.subject_serial, kMaxSubjectSerial))) {
    throw Error(codes::BAD_REQUEST, "subject serialNumber empty, too long or with control characters");
  }
  const std::string_view method = to_string(binding.method);

  return db_.transaction([&](Connection& conn) {
    if (!conn.query_one("SELECT 1 FROM people WHERE id = ?", {person_id})) {
      throw Error(codes::NOT_FOUND, "bind: no person with id " + std::to_string(person_id));
    }
    // A citizen certificate names one person for life: once bound (even if since replaced) to someone, it
    // is never accepted for anyone else. An agency card names an agency, not a person: it may move to the
    // agency's next personnel officer once its binding to the previous one has been retired (set_officer).
    auto other = conn.query_one(
        binding.method == BindingMethod::Agency
            ? "SELECT person_id FROM cert_bindings WHERE issuer_dn = ? AND serial_hex = ? AND person_id <> ? "
              "AND replaced_at IS NULL LIMIT 1"
            : "SELECT person_id FROM cert_bindings WHERE issuer_dn = ? AND serial_hex = ? AND person_id <> ? "
              "LIMIT 1",
        {binding.issuer_dn, *serial, person_id});
    if (other) {
      throw Error(codes::CERT_ALREADY_BOUND,
                  "certificate is bound to person " + std::to_string(other->i64(0)));
    }
    auto active = conn.query_one(sql("WHERE issuer_dn = ? AND serial_hex = ? AND replaced_at IS NULL"),
                                 {binding.issuer_dn, *serial});
    if (active) {
      CertificateBinding existing = to_binding(*active);
      if (existing.method != binding.method) {
        throw Error(codes::CERT_ALREADY_BOUND, "certificate is bound to this person for another method");
      }
      return BindResult{std::move(existing), std::nullopt, true};
    }
    BindResult result;
    auto replaced = conn.query(
        "UPDATE cert_bindings SET replaced_at = ? WHERE person_id = ? AND method = ? AND replaced_at IS NULL "
        "RETURNING id, person_id, method, issuer_dn, serial_hex, card_sn, subject_serial, bound_at, "
        "replaced_at",
        {now, person_id, method});
    if (!replaced.empty()) result.replaced = to_binding(replaced.front());
    auto inserted = conn.query(
        "INSERT INTO cert_bindings (person_id, method, issuer_dn, serial_hex, card_sn, subject_serial, "
        "bound_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) "
        "RETURNING id, person_id, method, issuer_dn, serial_hex, card_sn, subject_serial, bound_at, "
        "replaced_at",
        {person_id, method, binding.issuer_dn, *serial, binding.card_sn, binding.subject_serial, now});
    result.binding = to_binding(inserted.at(0));
    return result;
  });
}

std::vector<CertificateBinding> SqlBindingStore::history(std::int64_t person_id) {
  auto rows = db_.with_connection(
      [&](Connection& conn) { return conn.query(sql("WHERE person_id = ? ORDER BY id"), {person_id}); });
  std::vector<CertificateBinding> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_binding(r));
  return out;
}

}  // namespace ecpa::store
