#include "ecpa/crypto/error.hpp"

#include <openssl/err.h>

#include <string>

namespace ecpa::crypto {

std::string drain_openssl_errors() {
  std::string text;
  const char* file = nullptr;
  int line = 0;
  const char* data = nullptr;
  int flags = 0;
  while (unsigned long e = ERR_get_error_all(&file, &line, nullptr, &data, &flags)) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!text.empty()) text += "; ";
    text += buf;
    if ((flags & ERR_TXT_STRING) != 0 && data != nullptr && *data != '\0') {
      text += " (";
      text += data;
      text += ")";
    }
    if (file != nullptr) {
      text += " at ";
      text += file;
      text += ":" + std::to_string(line);
    }
  }
  return text;
}

Error openssl_error(ErrorCode code, std::string_view context, SourceSite where) {
  std::string cause(context);
  std::string queue = drain_openssl_errors();
  if (!queue.empty()) cause += ": " + queue;
  return Error(code, std::move(cause), where);
}

}  // namespace ecpa::crypto
