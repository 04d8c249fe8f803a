#include "ecpa/crypto/bytes.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <climits>

#include "detail.hpp"
#include "ecpa/crypto/error.hpp"

namespace ecpa::crypto {

std::string to_hex(ByteView data, bool upper) {
  const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
  std::string out;
  out.reserve(data.size() * 2);
  for (auto b : data) {
    out.push_back(digits[b >> 4]);
    out.push_back(digits[b & 0xF]);
  }
  return out;
}

namespace {
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}
}  // namespace

Bytes from_hex(std::string_view hex) {
  if (hex.size() % 2 != 0) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "hex string of odd length");
  Bytes out;
  out.reserve(hex.size() / 2);
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    int hi = hex_value(hex[i]);
    int lo = hex_value(hex[i + 1]);
    if (hi < 0 || lo < 0) throw Error(codes::CRYPTO_ARGUMENT_INVALID, "non-hex character");
    out.push_back(static_cast<std::uint8_t>(hi << 4 | lo));
  }
  return out;
}

std::string to_base64(ByteView data) {
  if (data.size() > static_cast<std::size_t>(INT_MAX / 4 * 3 - 3)) {
    throw Error(codes::CRYPTO_ARGUMENT_INVALID, "base64 input too large");
  }
  std::string out(4 * ((data.size() + 2) / 3), '\0');
  int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()), data.data(),
                          static_cast<int>(data.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

Bytes from_base64(std::string_view text) {
  auto bad = [](const char* why) { return Error(codes::BAD_REQUEST, std::string("base64: ") + why); };
  if (text.size() % 4 != 0) throw bad("length not a multiple of 4");
  if (text.size() > static_cast<std::size_t>(INT_MAX)) throw bad("too large");
  // EVP_DecodeBlock skips leading/trailing whitespace and accepts '=' anywhere it can; check the
  // alphabet ourselves so only canonical input passes.
  std::size_t pad = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    bool alpha =
        (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '/';
    if (c == '=') {
      if (i + 2 < text.size()) throw bad("padding in the middle");
      ++pad;
    } else if (!alpha || pad > 0) {
      throw bad("character outside the alphabet");
    }
  }
  Bytes out(text.size() / 4 * 3);
  int n = EVP_DecodeBlock(out.data(), reinterpret_cast<const unsigned char*>(text.data()),
                          static_cast<int>(text.size()));
  if (n < 0) {
    drain_openssl_errors();
    throw bad("undecodable");
  }
  out.resize(static_cast<std::size_t>(n) - pad);
  return out;
}

DigestAlgorithm digest_from_name(std::string_view name) {
  if (name == "SHA1") return DigestAlgorithm::Sha1;
  if (name == "SHA256") return DigestAlgorithm::Sha256;
  if (name == "SHA384") return DigestAlgorithm::Sha384;
  if (name == "SHA512") return DigestAlgorithm::Sha512;
  throw Error(codes::CRYPTO_ARGUMENT_INVALID, "unknown digest algorithm");
}

std::string_view digest_name(DigestAlgorithm alg) {
  switch (alg) {
    case DigestAlgorithm::Sha1:
      return "SHA1";
    case DigestAlgorithm::Sha256:
      return "SHA256";
    case DigestAlgorithm::Sha384:
      return "SHA384";
    case DigestAlgorithm::Sha512:
      return "SHA512";
  }
  return "SHA256";
}

std::size_t digest_size(DigestAlgorithm alg) {
  switch (alg) {
    case DigestAlgorithm::Sha1:
      return 20;
    case DigestAlgorithm::Sha256:
      return 32;
    case DigestAlgorithm::Sha384:
      return 48;
    case DigestAlgorithm::Sha512:
      return 64;
  }
  return 32;
}

const EVP_MD* evp_md(DigestAlgorithm alg) {
  switch (alg) {
    case DigestAlgorithm::Sha1:
      return EVP_sha1();
    case DigestAlgorithm::Sha256:
      return EVP_sha256();
    case DigestAlgorithm::Sha384:
      return EVP_sha384();
    case DigestAlgorithm::Sha512:
      return EVP_sha512();
  }
  return EVP_sha256();
}

Bytes digest(DigestAlgorithm alg, ByteView data) {
  Bytes out(EVP_MAX_MD_SIZE);
  unsigned int n = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &n, evp_md(alg), nullptr) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "EVP_Digest");
  }
  out.resize(n);
  return out;
}

Bytes random_bytes(std::size_t n) {
  Bytes out(n);
  if (n > static_cast<std::size_t>(INT_MAX) || RAND_bytes(out.data(), static_cast<int>(n)) != 1) {
    throw openssl_error(codes::CRYPTO_ERROR, "RAND_bytes");
  }
  return out;
}

bool equal_constant_time(ByteView a, ByteView b) {
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace ecpa::crypto
