#pragma once
// The `tbsPackage` JSON a page sends to the component (REFERENCE §1), read strictly: every field is
// checked for type and range here, so the code behind it works with typed values only.
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "ecpa/common/secret.hpp"
#include "ecpa/crypto/bytes.hpp"

namespace ecpa::agent {

enum class Func { GetUserCert, CheckEnvir, MakeSignature, DecryptData };
enum class SignatureType { Pkcs7, Pkcs1 };

// The `func` a popup answers with for a request func: "pkcs11info", "sign", "decrypt".
std::string_view answer_func(Func func);

inline constexpr std::size_t kMaxPackageBytes = std::size_t{512} * 1024;
inline constexpr std::size_t kMaxTbsBytes = std::size_t{256} * 1024;
inline constexpr std::size_t kMaxPinBytes = 64;

struct TbsPackage {
  Func func = Func::CheckEnvir;
  SignatureType signature_type = SignatureType::Pkcs7;
  crypto::Bytes tbs;  // decoded (tbsEncoding applied)
  crypto::DigestAlgorithm hash = crypto::DigestAlgorithm::Sha256;
  bool with_card_sn = false;
  std::optional<SecretBuffer> pin;  // absent or empty → the agent's PIN pad
  std::optional<std::string> nonce;
  std::optional<std::string> slot_description;
  crypto::Bytes cipher;  // DecryptData: the RSA PKCS#1 v1.5 ciphertext
  // Ours: the id of the agent PIN pad window the page opened for this request (32 lowercase hex).
  std::optional<std::string> pin_request;
};

// Throws ecpa::Error: AGENT_PACKAGE_JSON_INVALID (not JSON, not an object, too big),
// AGENT_FUNCTION_UNSUPPORTED (unknown func), AGENT_PARAMETER_INVALID with param "field" (a field of
// the wrong type or value). `text` may hold a PIN: it is never copied into an error or a log.
TbsPackage parse_tbs_package(std::string_view text);

// The func of a package without reading the rest (to answer with the right func on an error).
std::optional<Func> peek_func(std::string_view text);

bool is_pin_request_id(std::string_view id);

}  // namespace ecpa::agent
