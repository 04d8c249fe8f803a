// Every text a person types into an ID or date field reaches these parsers: they must return a
// value or an error for any bytes, and whatever they accept must survive a format → parse round trip.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "ecpa/tw/business_id.hpp"
#include "ecpa/tw/national_id.hpp"
#include "ecpa/tw/roc_date.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);

  auto id = ecpa::tw::NationalId::parse(text);
  if (id.ok()) {
    auto again = ecpa::tw::NationalId::parse(id->value());
    if (!again.ok() || again->value() != id->value()) std::abort();
    if (id->masked().size() != 10) std::abort();
  }

  (void)ecpa::tw::BusinessId::parse(text);

  auto date = ecpa::tw::RocDate::parse(text);
  if (date.ok()) {
    for (auto form : {ecpa::tw::RocFormat::Chinese, ecpa::tw::RocFormat::Slash, ecpa::tw::RocFormat::Dot,
                      ecpa::tw::RocFormat::Dash, ecpa::tw::RocFormat::Compact7}) {
      auto shown = date->format(form);
      if (!shown) continue;  // 民前 dates exist only in the Chinese form
      auto back = ecpa::tw::RocDate::parse(*shown);
      if (!back.ok() || !(*back == *date)) std::abort();
    }
  }
  return 0;
}
