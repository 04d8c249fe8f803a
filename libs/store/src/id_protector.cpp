#include "ecpa/store/id_protector.hpp"

#include <fcntl.h>
#include <sodium.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

#include "ecpa/common/error.hpp"
#include "sodium_init.hpp"

namespace ecpa::store {
namespace {

constexpr char kKdfContext[crypto_kdf_CONTEXTBYTES] = {'e', 'c', 'p', 'a', 'n', 'i', 'd', '1'};
constexpr std::uint64_t kHashSubkey = 1;
constexpr std::uint64_t kBoxSubkey = 2;

[[noreturn]] void key_file_error(const std::string& what) {
  throw Error(codes::KEY_FILE_ERROR, "personal-data key file: " + what);
}

std::string errno_text() { return std::strerror(errno); }

class Fd {
 public:
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() {
    if (fd_ >= 0) ::close(fd_);
  }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }

 private:
  int fd_;
};

// nullopt-like: false when the file does not exist.
bool read_key(const std::filesystem::path& path, SecretBuffer& out) {
  Fd fd(::open(path.c_str(), O_RDONLY | O_NOFOLLOW | O_CLOEXEC));
  if (fd.get() < 0) {
    if (errno == ENOENT) return false;
    key_file_error("cannot open: " + errno_text());
  }
  struct stat st {};
  if (::fstat(fd.get(), &st) != 0) key_file_error("cannot stat: " + errno_text());
  if (!S_ISREG(st.st_mode)) key_file_error("not a regular file");
  // A key others can read protects nothing: refuse rather than run with it.
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) key_file_error("readable or writable by group or others");
  if (st.st_size != static_cast<off_t>(IdProtector::kKeySize)) key_file_error("must hold exactly 32 bytes");
  std::array<char, IdProtector::kKeySize> buf{};
  std::size_t got = 0;
  while (got < buf.size()) {
    ssize_t n = ::read(fd.get(), buf.data() + got, buf.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      sodium_memzero(buf.data(), buf.size());
      key_file_error("short read");
    }
    got += static_cast<std::size_t>(n);
  }
  const bool ok = out.append(std::string_view(buf.data(), buf.size()));
  sodium_memzero(buf.data(), buf.size());
  if (!ok) key_file_error("key buffer too small");
  return true;
}

void create_key(const std::filesystem::path& path) {
  std::array<unsigned char, IdProtector::kKeySize> key{};
  randombytes_buf(key.data(), key.size());
  // Written to a private temporary name, then linked into place: link() fails if the name exists, so a
  // concurrent creator's key is never overwritten, and no reader ever sees a half-written file.
  std::filesystem::path tmp = path;
  tmp += ".tmp." + std::to_string(::getpid()) + "." + std::to_string(randombytes_random());
  {
    Fd fd(::open(tmp.c_str(), O_CREAT | O_EXCL | O_WRONLY | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (fd.get() < 0) {
      sodium_memzero(key.data(), key.size());
      key_file_error("cannot create: " + errno_text());
    }
    std::size_t put = 0;
    bool ok = true;
    while (put < key.size()) {
      ssize_t n = ::write(fd.get(), key.data() + put, key.size() - put);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) {
        ok = false;
        break;
      }
      put += static_cast<std::size_t>(n);
    }
    sodium_memzero(key.data(), key.size());
    if (!ok || ::fsync(fd.get()) != 0) {
      ::unlink(tmp.c_str());
      key_file_error("cannot write: " + errno_text());
    }
  }
  if (::link(tmp.c_str(), path.c_str()) != 0 && errno != EEXIST) {
    const std::string why = errno_text();
    ::unlink(tmp.c_str());
    key_file_error("cannot install: " + why);
  }
  ::unlink(tmp.c_str());
}

}  // namespace

SecretBuffer IdProtector::load_or_create_key(const std::filesystem::path& path) {
  detail::ensure_sodium();
  SecretBuffer key(kKeySize);
  if (read_key(path, key)) return key;
  create_key(path);
  if (!read_key(path, key)) key_file_error("vanished right after creation");
  return key;
}

IdProtector::IdProtector(const SecretBuffer& master_key) {
  detail::ensure_sodium();
  if (master_key.size() != kKeySize) {
    throw Error(codes::KEY_INVALID, "personal-data master key must be 32 bytes");
  }
  const auto* master = reinterpret_cast<const unsigned char*>(master_key.reveal().data());
  crypto_kdf_derive_from_key(hash_key_.data(), hash_key_.size(), kHashSubkey, kKdfContext, master);
  crypto_kdf_derive_from_key(box_key_.data(), box_key_.size(), kBoxSubkey, kKdfContext, master);
}

IdProtector::~IdProtector() {
  sodium_memzero(hash_key_.data(), hash_key_.size());
  sodium_memzero(box_key_.data(), box_key_.size());
}

Bytes IdProtector::lookup_hash(const tw::NationalId& id) const {
  Bytes out(crypto_generichash_BYTES);
  const auto text = id.value();
  crypto_generichash(out.data(), out.size(), reinterpret_cast<const unsigned char*>(text.data()), text.size(),
                     hash_key_.data(), hash_key_.size());
  return out;
}

Bytes IdProtector::seal(const tw::NationalId& id) const {
  const auto text = id.value();
  Bytes out(crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + text.size());
  randombytes_buf(out.data(), crypto_secretbox_NONCEBYTES);
  crypto_secretbox_easy(out.data() + crypto_secretbox_NONCEBYTES,
                        reinterpret_cast<const unsigned char*>(text.data()), text.size(), out.data(),
                        box_key_.data());
  return out;
}

tw::NationalId IdProtector::open(BytesView sealed) const {
  constexpr std::size_t kOverhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
  constexpr std::size_t kMaxPlain = 32;
  if (sealed.size() < kOverhead || sealed.size() > kOverhead + kMaxPlain) {
    throw Error(codes::STORE_DATA_CORRUPT, "sealed national ID has the wrong size");
  }
  std::array<char, kMaxPlain> plain{};
  const std::size_t plain_size = sealed.size() - kOverhead;
  if (crypto_secretbox_open_easy(
          reinterpret_cast<unsigned char*>(plain.data()), sealed.data() + crypto_secretbox_NONCEBYTES,
          sealed.size() - crypto_secretbox_NONCEBYTES, sealed.data(), box_key_.data()) != 0) {
    throw Error(codes::STORE_DATA_CORRUPT, "sealed national ID does not open with this key");
  }
  auto parsed = tw::NationalId::parse(std::string_view(plain.data(), plain_size));
  sodium_memzero(plain.data(), plain.size());
  if (!parsed) throw Error(codes::STORE_DATA_CORRUPT, "sealed value is not a valid national ID");
  return parsed.value();
}

}  // namespace ecpa::store
