#include "ecpa/http/forwarded.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

namespace ecpa::http {
namespace {

constexpr std::size_t kMaxHops = 32;
// "ffff:ffff:ffff:ffff:ffff:ffff:255.255.255.255" is the longest literal inet_pton accepts.
constexpr std::size_t kMaxAddressChars = 45;

using Address = std::array<std::uint8_t, 16>;

// Parses an address literal to its 16-byte form (IPv4 as IPv4-mapped IPv6).
std::optional<Address> parse_ip(std::string_view text) {
  if (text.empty() || text.size() > kMaxAddressChars) return std::nullopt;
  const std::string z(text);  // inet_pton needs a NUL-terminated string
  Address out{};
  std::array<std::uint8_t, 4> v4{};
  if (::inet_pton(AF_INET, z.c_str(), v4.data()) == 1) {
    out[10] = 0xff;
    out[11] = 0xff;
    std::copy(v4.begin(), v4.end(), out.begin() + 12);
    return out;
  }
  if (::inet_pton(AF_INET6, z.c_str(), out.data()) == 1) return out;
  return std::nullopt;
}

bool is_v4_mapped(const Address& a) {
  return std::all_of(a.begin(), a.begin() + 10, [](std::uint8_t b) { return b == 0; }) && a[10] == 0xff &&
         a[11] == 0xff;
}

std::string format_ip(const Address& a) {
  std::array<char, INET6_ADDRSTRLEN> buf{};
  if (is_v4_mapped(a)) {
    ::inet_ntop(AF_INET, a.data() + 12, buf.data(), buf.size());
  } else {
    ::inet_ntop(AF_INET6, a.data(), buf.data(), buf.size());
  }
  return buf.data();
}

bool in_block(const Address& a, const Address& network, int prefix_bits) {
  int bits = prefix_bits;
  for (std::size_t i = 0; i < a.size() && bits > 0; ++i, bits -= 8) {
    const auto mask = static_cast<std::uint8_t>(bits >= 8 ? 0xff : 0xff << (8 - bits));
    if ((a[i] & mask) != (network[i] & mask)) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

// Every X-Forwarded-For entry, left to right, across all fields of that name (RFC 9110 §5.3: several
// fields are one comma-separated list).
std::vector<std::string_view> forwarded_entries(const Request& request) {
  std::vector<std::string_view> entries;
  for (std::string_view field : request.headers.get_all("X-Forwarded-For")) {
    while (true) {
      const std::size_t comma = field.find(',');
      entries.push_back(trim(field.substr(0, comma)));
      if (comma == std::string_view::npos) break;
      field.remove_prefix(comma + 1);
    }
  }
  return entries;
}

}  // namespace

TrustedProxies::TrustedProxies(const std::vector<std::string>& entries) {
  for (const std::string& entry : entries) {
    std::string_view text = entry;
    const std::size_t slash = text.find('/');
    auto address = parse_ip(text.substr(0, slash));
    if (!address) throw std::invalid_argument("not an IP address or CIDR block: " + entry);
    Block block{*address, 128};
    if (slash != std::string_view::npos) {
      const std::string_view digits = text.substr(slash + 1);
      int bits = -1;
      auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), bits);
      const bool v4 = is_v4_mapped(*address) && text.find(':') == std::string_view::npos;
      const int max_bits = v4 ? 32 : 128;
      if (digits.empty() || ec != std::errc() || end != digits.data() + digits.size() || bits < 0 ||
          bits > max_bits)
        throw std::invalid_argument("bad prefix length: " + entry);
      // An IPv4 prefix counts from the mapped address's 96 leading bits.
      block.prefix_bits = v4 ? 96 + bits : bits;
    }
    blocks_.push_back(block);
  }
}

bool TrustedProxies::contains(std::string_view address) const {
  auto a = parse_ip(address);
  if (!a) return false;
  return std::any_of(blocks_.begin(), blocks_.end(),
                     [&](const Block& b) { return in_block(*a, b.network, b.prefix_bits); });
}

std::optional<std::string> canonical_ip(std::string_view text) {
  auto a = parse_ip(text);
  if (!a) return std::nullopt;
  return format_ip(*a);
}

std::string client_address(const Request& request, const TrustedProxies& proxies) {
  if (proxies.empty() || !proxies.contains(request.remote_address)) return request.remote_address;
  // `vouched` is always an address we believe: first the peer, then each trusted hop it reported.
  std::string vouched = *canonical_ip(request.remote_address);
  const auto entries = forwarded_entries(request);
  std::size_t hops = 0;
  for (auto it = entries.rbegin(); it != entries.rend(); ++it) {
    if (++hops > kMaxHops) return vouched;
    auto entry = canonical_ip(*it);
    if (!entry) return vouched;
    if (!proxies.contains(*entry)) return *entry;
    vouched = std::move(*entry);
  }
  return vouched;
}

Middleware resolve_client_address(TrustedProxies proxies) {
  return [proxies = std::move(proxies)](Handler next) -> Handler {
    return [proxies, next = std::move(next)](const Request& request) -> Response {
      std::string client = client_address(request, proxies);
      if (client == request.remote_address) return next(request);
      Request forwarded = request;
      forwarded.remote_address = std::move(client);
      forwarded.remote_port = 0;  // the client's port is not known, only the proxy's
      return next(forwarded);
    };
  };
}

}  // namespace ecpa::http
