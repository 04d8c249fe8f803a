#pragma once
// Internal: what the library's two libcurl users (client.cpp for HTTP, mail.cpp for SMTP) share, so that
// libcurl's process-wide initialisation happens once and handles are always freed.
#include <curl/curl.h>

#include <memory>
#include <mutex>
#include <string>

#include "ecpa/common/error.hpp"

namespace ecpa::http::detail {

// curl_global_init is not thread-safe and must run once per process before any handle exists; every entry
// point that makes a handle calls this first.
inline void curl_global_init_once() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
      throw ecpa::Error(ecpa::codes::INTERNAL_ERROR, "curl_global_init failed");
    }
  });
}

struct CurlEasyDeleter {
  void operator()(CURL* c) const { curl_easy_cleanup(c); }
};
using CurlEasy = std::unique_ptr<CURL, CurlEasyDeleter>;

// One handle per transfer: a handle holds per-transfer state, so sharing one across threads is a race.
inline CurlEasy new_curl_easy() {
  curl_global_init_once();
  CurlEasy easy(curl_easy_init());
  if (!easy) throw ecpa::Error(ecpa::codes::INTERNAL_ERROR, "curl_easy_init failed");
  return easy;
}

// A curl_slist that frees itself; append() throws instead of losing the list when curl runs out of memory.
class CurlList {
 public:
  void append(const std::string& item) {
    curl_slist* next = curl_slist_append(list_.get(), item.c_str());
    if (!next) throw ecpa::Error(ecpa::codes::INTERNAL_ERROR, "curl_slist_append failed");
    (void)list_.release();  // `next` is the same list, grown
    list_.reset(next);
  }
  curl_slist* get() const { return list_.get(); }

 private:
  struct Deleter {
    void operator()(curl_slist* l) const { curl_slist_free_all(l); }
  };
  std::unique_ptr<curl_slist, Deleter> list_;
};

}  // namespace ecpa::http::detail
