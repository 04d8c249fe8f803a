#include "ecpa/crypto/ocsp.hpp"

#include <openssl/objects.h>

#include <ctime>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

namespace {

Bytes octets(const ASN1_OCTET_STRING* s) {
  const unsigned char* p = ASN1_STRING_get0_data(s);
  return Bytes(p, p + ASN1_STRING_length(s));
}

ByteView public_key_bits(const Certificate& cert) {
  const unsigned char* bits = nullptr;
  int len = 0;
  X509_PUBKEY_get0_param(nullptr, &bits, &len, nullptr, X509_get_X509_PUBKEY(cert.native()));
  return ByteView(bits, static_cast<std::size_t>(len));
}

// OCSP_CERTID → CertId; throws `code` for a hash we do not speak or hashes of the wrong length.
CertId read_cert_id(OCSP_CERTID* cid, ErrorCode code) {
  ASN1_OCTET_STRING* name_hash = nullptr;
  ASN1_OBJECT* md = nullptr;
  ASN1_OCTET_STRING* key_hash = nullptr;
  ASN1_INTEGER* serial = nullptr;
  if (OCSP_id_get0_info(&name_hash, &md, &key_hash, &serial, cid) != 1) throw openssl_error(code, "CertID");
  auto alg = detail::digest_of_nid(OBJ_obj2nid(md));
  if (!alg) throw Error(code, "CertID hash algorithm not supported: " + detail::oid_text(md));
  CertId id{*alg, octets(name_hash), octets(key_hash), {}};
  if (id.issuer_name_hash.size() != digest_size(*alg) || id.issuer_key_hash.size() != digest_size(*alg)) {
    throw Error(code, "CertID hash of the wrong length");
  }
  try {
    id.serial_hex = serial_to_hex(serial);
  } catch (const Error& e) {
    throw Error(code, "CertID serial: " + e.cause());
  }
  return id;
}

// CertId → OCSP_CERTID, encoding it ourselves because OpenSSL only builds one from the issuer
// certificate, while a responder must answer with exactly the hashes the client sent.
OcspCertIdPtr to_native(const CertId& id) {
  if (id.issuer_name_hash.size() != digest_size(id.hash) ||
      id.issuer_key_hash.size() != digest_size(id.hash)) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "CertID hash of the wrong length");
  }
  std::unique_ptr<X509_ALGOR, OpenSslDeleter<X509_ALGOR_free>> alg(X509_ALGOR_new());
  if (!alg) throw openssl_error(codes::CRYPTO_ERROR, "X509_ALGOR_new");
  // RFC 6960 clients send the hash AlgorithmIdentifier with NULL parameters (X509_ALGOR_set_md omits
  // them for SHA-2); keep what `openssl ocsp` sends so both sides hash-compare the same bytes.
  X509_ALGOR_set0(alg.get(), OBJ_nid2obj(EVP_MD_get_type(evp_md(id.hash))), V_ASN1_NULL, nullptr);
  auto serial = serial_from_hex(id.serial_hex);
  Bytes content = detail::to_der(alg.get(), i2d_X509_ALGOR, codes::CRYPTO_ERROR, "AlgorithmIdentifier");
  for (const Bytes* h : {&id.issuer_name_hash, &id.issuer_key_hash}) {
    Bytes os = detail::make_tlv(0x04, *h);
    content.insert(content.end(), os.begin(), os.end());
  }
  Bytes serial_der = detail::to_der(serial.get(), i2d_ASN1_INTEGER, codes::CRYPTO_ERROR, "serial");
  content.insert(content.end(), serial_der.begin(), serial_der.end());
  Bytes der = detail::make_tlv(0x30, content);
  const unsigned char* p = der.data();
  OcspCertIdPtr cid(d2i_OCSP_CERTID(nullptr, &p, static_cast<long>(der.size())));
  if (!cid) throw openssl_error(codes::CRYPTO_ERROR, "d2i_OCSP_CERTID");
  return cid;
}

// The value of a nonce extension: an OCTET STRING inside extnValue (RFC 8954).
std::optional<Bytes> read_nonce(X509_EXTENSION* ext, ErrorCode code) {
  if (ext == nullptr) return std::nullopt;
  const ASN1_OCTET_STRING* v = X509_EXTENSION_get_data(ext);
  const unsigned char* p = ASN1_STRING_get0_data(v);
  const unsigned char* begin = p;
  long len = ASN1_STRING_length(v);
  Asn1OctetStringPtr inner(d2i_ASN1_OCTET_STRING(nullptr, &p, len));
  if (!inner || p != begin + len) {
    drain_openssl_errors();
    throw Error(code, "nonce is not an OCTET STRING");
  }
  return octets(inner.get());
}

}  // namespace

CertId make_cert_id(const Certificate& cert, const Certificate& issuer, DigestAlgorithm hash) {
  return CertId{hash, digest(hash, issuer.subject_der()), digest(hash, public_key_bits(issuer)),
                cert.serial_hex()};
}

bool cert_id_matches_issuer(const CertId& id, const Certificate& issuer) {
  return equal_constant_time(id.issuer_name_hash, digest(id.hash, issuer.subject_der())) &&
         equal_constant_time(id.issuer_key_hash, digest(id.hash, public_key_bits(issuer)));
}

// ---- Requests ----

OcspRequest OcspRequest::from_der(ByteView der) {
  const unsigned char* p = der.data();
  OcspRequestPtr req(d2i_OCSP_REQUEST(nullptr, &p, static_cast<long>(der.size())));
  if (!req) throw openssl_error(codes::OCSP_REQUEST_MALFORMED, "d2i_OCSP_REQUEST");
  if (p != der.data() + der.size()) throw Error(codes::OCSP_REQUEST_MALFORMED, "trailing bytes");
  OcspRequest out;
  out.der_.assign(der.begin(), der.end());
  int n = OCSP_request_onereq_count(req.get());
  if (n <= 0) throw Error(codes::OCSP_REQUEST_MALFORMED, "no CertID");
  for (int i = 0; i < n; ++i) {
    out.ids_.push_back(read_cert_id(OCSP_onereq_get0_id(OCSP_request_onereq_get0(req.get(), i)),
                                    codes::OCSP_REQUEST_MALFORMED));
  }
  int idx = OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, -1);
  if (idx >= 0) {
    if (OCSP_REQUEST_get_ext_by_NID(req.get(), NID_id_pkix_OCSP_Nonce, idx) >= 0) {
      throw Error(codes::OCSP_REQUEST_MALFORMED, "two nonces");
    }
    out.nonce_ = read_nonce(OCSP_REQUEST_get_ext(req.get(), idx), codes::OCSP_REQUEST_MALFORMED);
  }
  out.signed_ = OCSP_request_is_signed(req.get()) == 1;
  return out;
}

OcspRequestBuilder& OcspRequestBuilder::add(CertId id) {
  ids_.push_back(std::move(id));
  return *this;
}
OcspRequestBuilder& OcspRequestBuilder::nonce(Bytes value) {
  nonce_ = std::move(value);
  random_nonce_ = false;
  return *this;
}
OcspRequestBuilder& OcspRequestBuilder::without_nonce() {
  nonce_.reset();
  random_nonce_ = false;
  return *this;
}

Bytes OcspRequestBuilder::build() {
  if (ids_.empty()) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "OCSP request without CertID");
  OcspRequestPtr req(OCSP_REQUEST_new());
  if (!req) throw openssl_error(codes::CRYPTO_ERROR, "OCSP_REQUEST_new");
  for (const auto& id : ids_) {
    auto cid = to_native(id);
    if (OCSP_request_add0_id(req.get(), cid.get()) == nullptr)
      throw openssl_error(codes::CRYPTO_ERROR, "add0_id");
    static_cast<void>(cid.release());  // the request owns it now
  }
  if (random_nonce_) nonce_ = random_bytes(32);
  if (nonce_ && OCSP_request_add1_nonce(req.get(), nonce_->data(), static_cast<int>(nonce_->size())) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "add1_nonce");
  }
  return detail::to_der(req.get(), i2d_OCSP_REQUEST, codes::CRYPTO_ERROR, "i2d_OCSP_REQUEST");
}

// ---- Responses ----

std::string_view response_status_name(OcspResponseStatus s) {
  switch (s) {
    case OcspResponseStatus::Successful:
      return "successful";
    case OcspResponseStatus::MalformedRequest:
      return "malformedRequest";
    case OcspResponseStatus::InternalError:
      return "internalError";
    case OcspResponseStatus::TryLater:
      return "tryLater";
    case OcspResponseStatus::SigRequired:
      return "sigRequired";
    case OcspResponseStatus::Unauthorized:
      return "unauthorized";
  }
  return "unknown";
}

std::string_view cert_status_name(CertStatus s) {
  switch (s) {
    case CertStatus::Good:
      return "good";
    case CertStatus::Revoked:
      return "revoked";
    case CertStatus::Unknown:
      return "unknown";
  }
  return "unknown";
}

OcspResponse OcspResponse::from_der(ByteView der) {
  constexpr auto kCode = codes::OCSP_RESPONSE_MALFORMED;
  const unsigned char* p = der.data();
  OcspResponsePtr resp(d2i_OCSP_RESPONSE(nullptr, &p, static_cast<long>(der.size())));
  if (!resp) throw openssl_error(kCode, "d2i_OCSP_RESPONSE");
  if (p != der.data() + der.size()) throw Error(kCode, "trailing bytes");
  OcspResponse out;
  out.der_.assign(der.begin(), der.end());
  int status = OCSP_response_status(resp.get());
  switch (status) {
    case 0:
    case 1:
    case 2:
    case 3:
    case 5:
    case 6:
      out.status_ = static_cast<OcspResponseStatus>(status);
      break;
    default:
      throw Error(kCode, "unknown response status " + std::to_string(status));
  }
  if (!out.successful()) return out;

  OcspBasicRespPtr basic(OCSP_response_get1_basic(resp.get()));
  if (!basic) throw openssl_error(kCode, "not a basic response");
  OCSP_BASICRESP* bs = basic.get();
  try {
    out.produced_at_ = from_asn1_time(OCSP_resp_get0_produced_at(bs));
    int n = OCSP_resp_count(bs);
    if (n <= 0) throw Error(kCode, "no single response");
    for (int i = 0; i < n; ++i) {
      OCSP_SINGLERESP* single = OCSP_resp_get0(bs, i);
      SingleResponse s;
      s.id = read_cert_id(const_cast<OCSP_CERTID*>(OCSP_SINGLERESP_get0_id(single)), kCode);
      int reason = -1;
      ASN1_GENERALIZEDTIME *rev = nullptr, *thisupd = nullptr, *nextupd = nullptr;
      int st = OCSP_single_get0_status(single, &reason, &rev, &thisupd, &nextupd);
      if (st == V_OCSP_CERTSTATUS_GOOD) {
        s.status = CertStatus::Good;
      } else if (st == V_OCSP_CERTSTATUS_REVOKED) {
        s.status = CertStatus::Revoked;
        s.revoked_at = from_asn1_time(rev);
        if (reason != -1) {
          s.reason = reason_from_code(reason);
          if (!s.reason) throw Error(kCode, "unknown revocation reason");
        }
      } else if (st == V_OCSP_CERTSTATUS_UNKNOWN) {
        s.status = CertStatus::Unknown;
      } else {
        throw Error(kCode, "unreadable certificate status");
      }
      s.this_update = from_asn1_time(thisupd);
      if (nextupd != nullptr) s.next_update = from_asn1_time(nextupd);
      out.responses_.push_back(std::move(s));
    }
  } catch (const Error& e) {
    if (e.code() == kCode) throw;
    throw Error(kCode, e.cause());
  }
  int idx = OCSP_BASICRESP_get_ext_by_NID(bs, NID_id_pkix_OCSP_Nonce, -1);
  if (idx >= 0) {
    if (OCSP_BASICRESP_get_ext_by_NID(bs, NID_id_pkix_OCSP_Nonce, idx) >= 0) throw Error(kCode, "two nonces");
    out.nonce_ = read_nonce(OCSP_BASICRESP_get_ext(bs, idx), kCode);
  }
  const STACK_OF(X509)* certs = OCSP_resp_get0_certs(bs);
  for (int i = 0; i < sk_X509_num(certs); ++i) {
    try {
      out.certs_.push_back(Certificate::from_native(sk_X509_value(certs, i)));
    } catch (const Error& e) {
      throw Error(kCode, "included certificate: " + e.cause());
    }
  }
  const ASN1_OCTET_STRING* key_hash = nullptr;
  const X509_NAME* name = nullptr;
  if (OCSP_resp_get0_id(bs, &key_hash, &name) != 1) throw openssl_error(kCode, "responder ID");
  if (key_hash != nullptr) out.responder_key_hash_ = octets(key_hash);
  if (name != nullptr) out.responder_name_ = DistinguishedName::from_x509(name);
  out.basic_ = std::shared_ptr<OCSP_BASICRESP>(basic.release(), OCSP_BASICRESP_free);
  return out;
}

std::optional<SingleResponse> OcspResponse::find(const CertId& id) const {
  for (const auto& s : responses_) {
    if (s.id == id) return s;
  }
  return std::nullopt;
}

bool OcspResponse::signed_by(const Certificate& signer) const {
  if (!basic_) return false;
  // What OCSP_basic_verify does for the signature itself, without its chain policy.
  int rc = ASN1_item_verify(ASN1_ITEM_rptr(OCSP_RESPDATA), OCSP_resp_get0_tbs_sigalg(basic_.get()),
                            OCSP_resp_get0_signature(basic_.get()),
                            const_cast<OCSP_RESPDATA*>(OCSP_resp_get0_respdata(basic_.get())),
                            X509_get0_pubkey(signer.native()));
  drain_openssl_errors();
  return rc == 1;
}

bool OcspResponse::responder_id_matches(const Certificate& cert) const {
  if (responder_key_hash_) return equal_constant_time(*responder_key_hash_, sha1(public_key_bits(cert)));
  if (responder_name_) {
    const X509_NAME* name = nullptr;
    const ASN1_OCTET_STRING* key_hash = nullptr;
    OCSP_resp_get0_id(basic_.get(), &key_hash, &name);
    return name != nullptr && X509_NAME_cmp(name, X509_get_subject_name(cert.native())) == 0;
  }
  return false;
}

OcspResponseBuilder& OcspResponseBuilder::add(SingleResponse single) {
  singles_.push_back(std::move(single));
  return *this;
}
OcspResponseBuilder& OcspResponseBuilder::nonce(Bytes value) {
  nonce_ = std::move(value);
  return *this;
}
OcspResponseBuilder& OcspResponseBuilder::produced_at(TimePoint t) {
  produced_at_ = t;
  return *this;
}
OcspResponseBuilder& OcspResponseBuilder::responder_id_by_name() {
  by_name_ = true;
  return *this;
}
OcspResponseBuilder& OcspResponseBuilder::include_signer_cert(bool include) {
  include_cert_ = include;
  return *this;
}

namespace {

// OCSP_basic_sign always stamps producedAt with the machine's clock. To answer at an injected time
// (tests with a pinned clock, the simulator's clock) we rewrite the 15-byte GeneralizedTime in the
// encoded tbsResponseData and sign it again; both edits keep every length, so no outer length
// changes.
Bytes restamp_produced_at(Bytes basic_der, TimePoint t, const PrivateKey& key) {
  auto fail = [] { return Error(codes::CRYPTO_ERROR, "unexpected BasicOCSPResponse layout"); };
  detail::Tlv outer, tbs, item, alg, sig;
  if (!detail::read_tlv(basic_der, 0, outer) || outer.tag != 0x30) throw fail();
  std::size_t tbs_pos = outer.header;
  if (!detail::read_tlv(basic_der, tbs_pos, tbs) || tbs.tag != 0x30) throw fail();
  std::size_t pos = tbs_pos + tbs.header;
  if (!detail::read_tlv(basic_der, pos, item)) throw fail();
  if (item.tag == 0xA0) {  // version
    pos = item.end(pos);
    if (!detail::read_tlv(basic_der, pos, item)) throw fail();
  }
  if (item.tag != 0xA1 && item.tag != 0xA2) throw fail();  // responderID
  pos = item.end(pos);
  if (!detail::read_tlv(basic_der, pos, item) || item.tag != 0x18 || item.length != 15) throw fail();
  std::time_t secs = static_cast<std::time_t>(to_unix_seconds(t));
  std::tm tm{};
  if (gmtime_r(&secs, &tm) == nullptr) throw fail();
  char stamp[32];
  if (std::strftime(stamp, sizeof stamp, "%Y%m%d%H%M%SZ", &tm) != 15) throw fail();
  std::copy(stamp, stamp + 15, basic_der.begin() + static_cast<long>(pos + item.header));

  std::size_t alg_pos = tbs.end(tbs_pos);
  if (!detail::read_tlv(basic_der, alg_pos, alg) || alg.tag != 0x30) throw fail();
  std::size_t sig_pos = alg.end(alg_pos);
  if (!detail::read_tlv(basic_der, sig_pos, sig) || sig.tag != 0x03 || sig.length < 1) throw fail();
  Bytes signature =
      key.sign(DigestAlgorithm::Sha256, ByteView(basic_der).subspan(tbs_pos, tbs.header + tbs.length));
  if (signature.size() != sig.length - 1) throw fail();
  std::copy(signature.begin(), signature.end(),
            basic_der.begin() + static_cast<long>(sig_pos + sig.header + 1));
  return basic_der;
}

}  // namespace

Bytes OcspResponseBuilder::sign(const Certificate& signer, const PrivateKey& key) const {
  if (singles_.empty()) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "OCSP response without single response");
  if (!(signer.public_key() == key.public_key())) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "OCSP signer key does not match its certificate");
  }
  OcspBasicRespPtr bs(OCSP_BASICRESP_new());
  if (!bs) throw openssl_error(codes::CRYPTO_ERROR, "OCSP_BASICRESP_new");
  for (const auto& s : singles_) {
    auto cid = to_native(s.id);
    auto thisupd = to_asn1_time(s.this_update);
    Asn1TimePtr nextupd = s.next_update ? to_asn1_time(*s.next_update) : nullptr;
    Asn1TimePtr revtime;
    int status = V_OCSP_CERTSTATUS_GOOD;
    int reason = OCSP_REVOKED_STATUS_NOSTATUS;
    if (s.status == CertStatus::Revoked) {
      if (!s.revoked_at) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "revoked without a revocation time");
      status = V_OCSP_CERTSTATUS_REVOKED;
      revtime = to_asn1_time(*s.revoked_at);
      if (s.reason) reason = static_cast<int>(*s.reason);
    } else if (s.status == CertStatus::Unknown) {
      status = V_OCSP_CERTSTATUS_UNKNOWN;
    }
    // OCSP wants GeneralizedTime everywhere; ASN1_TIME_to_generalizedtime converts UTCTime values.
    auto gen = [](const Asn1TimePtr& t) -> Asn1TimePtr {
      if (!t) return nullptr;
      return Asn1TimePtr(ASN1_TIME_to_generalizedtime(t.get(), nullptr));
    };
    auto g_this = gen(thisupd), g_next = gen(nextupd), g_rev = gen(revtime);
    if (OCSP_basic_add1_status(bs.get(), cid.get(), status, reason, g_rev.get(), g_this.get(),
                               g_next.get()) == nullptr) {
      throw openssl_error(codes::CRYPTO_ERROR, "OCSP_basic_add1_status");
    }
  }
  if (nonce_ && OCSP_basic_add1_nonce(bs.get(), const_cast<unsigned char*>(nonce_->data()),
                                      static_cast<int>(nonce_->size())) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "OCSP_basic_add1_nonce");
  }
  unsigned long flags = (by_name_ ? 0 : OCSP_RESPID_KEY) | (include_cert_ ? 0 : OCSP_NOCERTS);
  if (OCSP_basic_sign(bs.get(), signer.native(), key.native(), EVP_sha256(), nullptr, flags) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "OCSP_basic_sign");
  }
  Bytes basic_der = detail::to_der(bs.get(), i2d_OCSP_BASICRESP, codes::CRYPTO_ERROR, "i2d_OCSP_BASICRESP");
  if (produced_at_) {
    basic_der = restamp_produced_at(std::move(basic_der), *produced_at_, key);
    const unsigned char* p = basic_der.data();
    bs.reset(d2i_OCSP_BASICRESP(nullptr, &p, static_cast<long>(basic_der.size())));
    if (!bs) throw openssl_error(codes::CRYPTO_ERROR, "d2i_OCSP_BASICRESP");
  }
  OcspResponsePtr resp(OCSP_response_create(OCSP_RESPONSE_STATUS_SUCCESSFUL, bs.get()));
  if (!resp) throw openssl_error(codes::CRYPTO_ERROR, "OCSP_response_create");
  return detail::to_der(resp.get(), i2d_OCSP_RESPONSE, codes::CRYPTO_ERROR, "i2d_OCSP_RESPONSE");
}

Bytes OcspResponseBuilder::error(OcspResponseStatus status) {
  if (status == OcspResponseStatus::Successful) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "a successful response needs a signature");
  }
  OcspResponsePtr resp(OCSP_response_create(static_cast<int>(status), nullptr));
  if (!resp) throw openssl_error(codes::CRYPTO_ERROR, "OCSP_response_create");
  return detail::to_der(resp.get(), i2d_OCSP_RESPONSE, codes::CRYPTO_ERROR, "i2d_OCSP_RESPONSE");
}

}  // namespace ecpa::crypto
