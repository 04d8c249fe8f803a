#include "ecpa/common/error.hpp"

#include <utility>

namespace ecpa {

Error::Error(ErrorCode code, std::string cause, SourceSite where)
    : std::runtime_error(std::string(code.value) + (cause.empty() ? "" : ": " + cause)),
      code_(code),
      cause_(std::move(cause)),
      where_(where) {}

std::string Error::origin() const {
  std::string_view file = where_.file;
  // Keep the path from the project's top folders on, not the build machine's absolute path.
  for (std::string_view top : {"libs/", "apps/", "tests/"}) {
    if (auto pos = file.rfind(top); pos != std::string_view::npos) {
      file = file.substr(pos);
      break;
    }
  }
  return std::string(file) + ":" + std::to_string(where_.line);
}

Error& Error::with(std::string key, std::string value) & {
  params_.insert_or_assign(std::move(key), std::move(value));
  return *this;
}

Error&& Error::with(std::string key, std::string value) && {
  params_.insert_or_assign(std::move(key), std::move(value));
  return std::move(*this);
}

int Error::http_status() const { return MessageCatalogue::builtin().status(code_.value); }

Message Error::message(Lang lang) const {
  return MessageCatalogue::builtin().render(code_.value, lang, params_);
}

}  // namespace ecpa
