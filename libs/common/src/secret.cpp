#include "ecpa/common/secret.hpp"

#include <string.h>  // explicit_bzero (glibc)
#include <cstring>
#include <utility>

namespace ecpa {

void secure_wipe(void* data, std::size_t size) noexcept {
  if (data != nullptr && size > 0) explicit_bzero(data, size);
}

void secure_wipe(std::string& s) noexcept {
  // Wipe the whole allocation, not just the live part: earlier longer contents may linger there.
  secure_wipe(s.data(), s.capacity());
  s.clear();
}

SecretBuffer::SecretBuffer(std::size_t capacity)
    : data_(std::make_unique<char[]>(capacity)), capacity_(capacity) {}

SecretBuffer SecretBuffer::take(std::string& source, std::size_t capacity) {
  SecretBuffer out(std::max(capacity, source.size()));
  (void)out.append(source);
  secure_wipe(source);
  return out;
}

SecretBuffer SecretBuffer::copy_of(std::string_view source, std::size_t capacity) {
  SecretBuffer out(std::max(capacity, source.size()));
  (void)out.append(source);
  return out;
}

SecretBuffer::SecretBuffer(SecretBuffer&& other) noexcept
    : data_(std::move(other.data_)),
      size_(std::exchange(other.size_, 0)),
      capacity_(std::exchange(other.capacity_, 0)) {}

SecretBuffer& SecretBuffer::operator=(SecretBuffer&& other) noexcept {
  if (this != &other) {
    clear();
    data_ = std::move(other.data_);
    size_ = std::exchange(other.size_, 0);
    capacity_ = std::exchange(other.capacity_, 0);
  }
  return *this;
}

SecretBuffer::~SecretBuffer() { clear(); }

bool SecretBuffer::append(std::string_view text) {
  if (text.size() > capacity_ - size_) return false;
  if (!text.empty()) std::memcpy(data_.get() + size_, text.data(), text.size());
  size_ += text.size();
  return true;
}

void SecretBuffer::clear() noexcept {
  secure_wipe(data_.get(), capacity_);
  size_ = 0;
}

bool SecretBuffer::equals(std::string_view other) const noexcept {
  // Length is not secret (a PIN's length is visible on screen), its bytes are.
  if (other.size() != size_) return false;
  unsigned char diff = 0;
  for (std::size_t i = 0; i < size_; ++i) {
    diff |= static_cast<unsigned char>(data_[i] ^ other[i]);
  }
  return diff == 0;
}

}  // namespace ecpa
