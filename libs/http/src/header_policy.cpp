#include "ecpa/http/header_policy.hpp"

namespace ecpa::http {

HeaderPolicy::HeaderPolicy(std::initializer_list<std::pair<std::string_view, std::string_view>> fields) {
  for (const auto& [name, value] : fields) set(name, value);
}

HeaderPolicy& HeaderPolicy::set(std::string_view name, std::string_view value) {
  fields_.set(name, value);
  return *this;
}

void HeaderPolicy::apply(Headers& headers) const {
  for (const auto& [name, value] : fields_.fields()) headers.set_default(name, value);
}

Handler with_headers(HeaderPolicy policy, Handler handler) {
  return [policy = std::move(policy), handler = std::move(handler)](const Request& request) {
    Response response = handler(request);
    policy.apply(response.headers);
    return response;
  };
}

}  // namespace ecpa::http
