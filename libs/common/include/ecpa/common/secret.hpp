#pragma once
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace ecpa {

// Holds a PIN, password or key. The storage is reserved once at construction so that growing never
// reallocates (a reallocation would leave an unwiped copy behind), it is wiped on destruction and on
// clear(), and it cannot be copied. Reading it takes a call to reveal(), so an audit can grep for
// every place a secret is looked at.
class SecretBuffer {
 public:
  static constexpr std::size_t kDefaultCapacity = 256;

  explicit SecretBuffer(std::size_t capacity = kDefaultCapacity);
  // Takes the text and wipes the source string's buffer.
  static SecretBuffer take(std::string& source, std::size_t capacity = kDefaultCapacity);
  static SecretBuffer copy_of(std::string_view source, std::size_t capacity = kDefaultCapacity);

  SecretBuffer(const SecretBuffer&) = delete;
  SecretBuffer& operator=(const SecretBuffer&) = delete;
  SecretBuffer(SecretBuffer&& other) noexcept;
  SecretBuffer& operator=(SecretBuffer&& other) noexcept;
  ~SecretBuffer();

  // False (and nothing changes) when the text would not fit.
  [[nodiscard]] bool append(std::string_view text);
  [[nodiscard]] bool push_back(char c) { return append(std::string_view(&c, 1)); }
  void clear() noexcept;

  std::size_t size() const noexcept { return size_; }
  std::size_t capacity() const noexcept { return capacity_; }
  bool empty() const noexcept { return size_ == 0; }

  std::string_view reveal() const noexcept { return {data_.get(), size_}; }
  // Constant-time comparison, so equality checks do not leak how many leading bytes matched.
  bool equals(std::string_view other) const noexcept;

 private:
  std::unique_ptr<char[]> data_;
  std::size_t size_ = 0;
  std::size_t capacity_ = 0;
};

// Overwrites memory in a way the optimiser may not remove.
void secure_wipe(void* data, std::size_t size) noexcept;
void secure_wipe(std::string& s) noexcept;

}  // namespace ecpa
