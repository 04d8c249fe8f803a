// The certificate-login package is the first thing an anonymous client's bytes reach: the parser must
// return a package or an ecpa::Error for any input, never crash, hang or throw anything else.
// Input layout: byte 0 selects the form (even = PKCS7, odd = PKCS1); for PKCS1, byte 1 × 8 is the
// signature length and the rest is the certificate; for PKCS7 the rest is the CMS. Whatever parses
// is also verified (the signature check must cope with any structure the parser lets through).
#include <cstdint>
#include <cstdlib>
#include <span>

#include "ecpa/common/error.hpp"
#include "ecpa/pki/login_package.hpp"
#include "ecpa/pki/login_text.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace ecpa;
  if (size < 2) return 0;
  std::span<const std::uint8_t> rest(data + 1, size - 1);
  try {
    if ((data[0] & 1) == 0) {
      auto p = pki::LoginPackage::parse_der(pki::SignatureForm::Pkcs7, rest, {}, "");
      if (!p.cms()) std::abort();
      (void)p.cms()->verify();
      try {
        (void)pki::LoginText::parse(crypto::as_chars(p.cms()->content()));
      } catch (const Error&) {
      }
    } else {
      std::size_t sig_len = std::min<std::size_t>(static_cast<std::size_t>(rest[0]) * 8, rest.size() - 1);
      auto sig = rest.subspan(1, sig_len);
      auto cert = rest.subspan(1 + sig_len);
      (void)pki::LoginPackage::parse_der(pki::SignatureForm::Pkcs1, sig, cert, "TP03200302000536");
    }
  } catch (const Error&) {
    // A typed refusal is the expected answer to bad input.
  }
  // The base64 entry point must refuse non-base64 text the same way.
  try {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    (void)pki::LoginPackage::parse(pki::SignatureForm::Pkcs7, text, "", "");
  } catch (const Error&) {
  }
  return 0;
}
