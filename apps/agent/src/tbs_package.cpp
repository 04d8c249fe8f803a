#include "tbs_package.hpp"

#include <nlohmann/json.hpp>

#include "ecpa/common/error.hpp"
#include "ecpa/common/json.hpp"

namespace ecpa::agent {

namespace {

using nlohmann::json;

Error bad_field(std::string_view field) {
  return std::move(Error(codes::AGENT_PARAMETER_INVALID, "tbsPackage field " + std::string(field))
                       .with("field", std::string(field)));
}

std::optional<Func> func_from_name(std::string_view name) {
  if (name == "GetUserCert") return Func::GetUserCert;
  if (name == "CheckEnvir") return Func::CheckEnvir;
  if (name == "MakeSignature") return Func::MakeSignature;
  if (name == "DecryptData") return Func::DecryptData;
  return std::nullopt;
}

// A string field or nothing; any other JSON type is a caller bug we must report, not guess about.
std::optional<std::string> string_field(const json& object, const char* name, std::size_t max_bytes) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw bad_field(name);
  const auto& s = it->get_ref<const std::string&>();
  if (s.size() > max_bytes) throw bad_field(name);
  return s;
}

// The official component's booleans are the strings "true"/"false"; JSON booleans are accepted too.
bool bool_field(const json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || it->is_null()) return false;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_string()) {
    const auto& s = it->get_ref<const std::string&>();
    if (s == "true") return true;
    if (s == "false" || s.empty()) return false;
  }
  throw bad_field(name);
}

crypto::Bytes decode_base64_field(const std::string& text, const char* name) {
  try {
    return crypto::from_base64(text);
  } catch (const Error&) {
    throw bad_field(name);
  }
}

json parse_object(std::string_view text) {
  if (text.size() > kMaxPackageBytes) throw Error(codes::AGENT_PACKAGE_JSON_INVALID, "tbsPackage too large");
  // Strict: with two "tbs" (or "pin") members, which one is signed must not be nlohmann's choice.
  StrictJson parsed = parse_json_strict(text);
  if (!parsed.value) {
    throw Error(codes::AGENT_PACKAGE_JSON_INVALID,
                "tbsPackage refused: " + std::string(to_string(parsed.refusal)));
  }
  if (!parsed.value->is_object())
    throw Error(codes::AGENT_PACKAGE_JSON_INVALID, "tbsPackage is not a JSON object");
  return std::move(*parsed.value);
}

// Wipes the JSON copy of the PIN so it does not linger in freed heap memory.
void wipe_pin(json& object) {
  auto it = object.find("pin");
  if (it != object.end() && it->is_string()) secure_wipe(it->get_ref<std::string&>());
}

void read_signature_fields(const json& o, TbsPackage& p) {
  const auto type = string_field(o, "signatureType", 16).value_or("PKCS7");
  if (type == "PKCS7") {
    p.signature_type = SignatureType::Pkcs7;
  } else if (type == "PKCS1") {
    p.signature_type = SignatureType::Pkcs1;
  } else {
    throw bad_field("signatureType");
  }
  const auto hash = string_field(o, "hashAlgorithm", 16).value_or("SHA256");
  if (hash == "SHA1") {
    p.hash = crypto::DigestAlgorithm::Sha1;
  } else if (hash == "SHA256") {
    p.hash = crypto::DigestAlgorithm::Sha256;
  } else if (hash == "SHA384") {
    p.hash = crypto::DigestAlgorithm::Sha384;
  } else if (hash == "SHA512") {
    p.hash = crypto::DigestAlgorithm::Sha512;
  } else {
    throw bad_field("hashAlgorithm");
  }
  const auto tbs = string_field(o, "tbs", kMaxTbsBytes * 2);
  if (!tbs || tbs->empty()) throw bad_field("tbs");
  const auto encoding = string_field(o, "tbsEncoding", 16).value_or("NONE");
  if (encoding == "NONE") {
    p.tbs = crypto::to_bytes(*tbs);
  } else if (encoding == "base64") {
    p.tbs = decode_base64_field(*tbs, "tbs");
  } else {
    throw bad_field("tbsEncoding");
  }
  if (p.tbs.empty() || p.tbs.size() > kMaxTbsBytes) throw bad_field("tbs");
  p.with_card_sn = bool_field(o, "withCardSN");
  p.nonce = string_field(o, "nonce", 256);
  if (p.nonce && p.nonce->empty()) p.nonce.reset();
}

}  // namespace

std::string_view answer_func(Func func) {
  switch (func) {
    case Func::GetUserCert:
    case Func::CheckEnvir:
      return "pkcs11info";
    case Func::MakeSignature:
      return "sign";
    case Func::DecryptData:
      return "decrypt";
  }
  return "pkcs11info";
}

bool is_pin_request_id(std::string_view id) {
  if (id.size() != 32) return false;
  for (char c : id) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

std::optional<Func> peek_func(std::string_view text) {
  if (text.size() > kMaxPackageBytes) return std::nullopt;
  StrictJson parsed = parse_json_strict(text);
  if (!parsed.value || !parsed.value->is_object()) return std::nullopt;
  json& value = *parsed.value;
  wipe_pin(value);
  auto it = value.find("func");
  if (it == value.end() || !it->is_string()) return std::nullopt;
  return func_from_name(it->get_ref<const std::string&>());
}

TbsPackage parse_tbs_package(std::string_view text) {
  json o = parse_object(text);
  struct Wiper {
    json& o;
    ~Wiper() { wipe_pin(o); }
  } wiper{o};

  TbsPackage p;
  const auto func_name = string_field(o, "func", 32);
  if (!func_name) throw bad_field("func");
  const auto func = func_from_name(*func_name);
  if (!func) throw Error(codes::AGENT_FUNCTION_UNSUPPORTED, "func " + func_name->substr(0, 32));
  p.func = *func;

  p.slot_description = string_field(o, "slotDescription", 128);
  if (p.slot_description && p.slot_description->empty()) p.slot_description.reset();

  if (p.func == Func::MakeSignature) read_signature_fields(o, p);
  if (p.func == Func::DecryptData) {
    const auto cipher = string_field(o, "cipher", 4096);
    if (!cipher || cipher->empty()) throw bad_field("cipher");
    p.cipher = decode_base64_field(*cipher, "cipher");
    if (p.cipher.empty()) throw bad_field("cipher");
  }
  if (p.func == Func::MakeSignature || p.func == Func::DecryptData) {
    auto it = o.find("pin");
    if (it != o.end() && !it->is_null()) {
      if (!it->is_string()) throw bad_field("pin");
      auto& pin = it->get_ref<std::string&>();
      if (pin.size() > kMaxPinBytes) throw bad_field("pin");
      if (!pin.empty()) p.pin = SecretBuffer::take(pin, kMaxPinBytes);
    }
    p.pin_request = string_field(o, "pinRequest", 64);
    if (p.pin_request && !is_pin_request_id(*p.pin_request)) throw bad_field("pinRequest");
  }
  return p;
}

}  // namespace ecpa::agent
