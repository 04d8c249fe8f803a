#pragma once
// Test support: a throw-away directory, a migrated SQLite file in it, and a personal-data key.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <random>
#include <string>

#include "ecpa/common/error.hpp"
#include "ecpa/store/database.hpp"
#include "ecpa/store/id_protector.hpp"
#include "ecpa/store/migrations.hpp"

namespace ecpa::store::testing {

class TempDir {
 public:
  TempDir() {
    std::random_device rd;
    path_ = std::filesystem::temp_directory_path() /
            ("ecpa-store-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
    std::filesystem::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path operator/(const std::string& name) const { return path_ / name; }

 private:
  std::filesystem::path path_;
};

inline std::string sqlite_url(const std::filesystem::path& file) { return "sqlite://" + file.string(); }

inline std::unique_ptr<Database> open_migrated(const std::filesystem::path& file,
                                               DatabaseOptions options = {}) {
  auto db = Database::open(sqlite_url(file), options);
  migrate(*db);
  return db;
}

inline std::string read_all(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline SecretBuffer test_key(char fill = 'k') {
  return SecretBuffer::copy_of(std::string(IdProtector::kKeySize, fill), IdProtector::kKeySize);
}

// Runs fn and returns the code of the ecpa::Error it throws; fails the test if it throws nothing.
inline std::string_view code_of(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const Error& e) {
    return e.code().value;
  }
  ADD_FAILURE() << "expected an ecpa::Error";
  return "";
}

inline Clock::time_point at_seconds(std::int64_t s) { return Clock::time_point(std::chrono::seconds(s)); }

}  // namespace ecpa::store::testing
