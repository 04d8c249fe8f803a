#pragma once
#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/http/message.hpp"

namespace ecpa::http {

// The reverse proxies (TLS terminators, load balancers) whose X-Forwarded-For a server believes. Anyone
// can send that header, so it is read only when the socket peer is one of these; by default nobody is.
class TrustedProxies {
 public:
  TrustedProxies() = default;  // trusts nobody
  // Each entry an address ("10.0.0.5", "::1") or a CIDR block ("10.0.0.0/8", "fd00::/8"). IPv4 and its
  // IPv4-mapped IPv6 form ("::ffff:10.0.0.5") are the same address. Throws std::invalid_argument naming
  // the first entry that is neither (host names are refused: a proxy is trusted by address only).
  explicit TrustedProxies(const std::vector<std::string>& entries);

  bool empty() const { return blocks_.empty(); }
  // False for anything that is not an IP address literal.
  bool contains(std::string_view address) const;

 private:
  struct Block {
    std::array<std::uint8_t, 16> network{};  // IPv4 kept as ::ffff:a.b.c.d
    int prefix_bits = 128;
  };
  std::vector<Block> blocks_;
};

// An IP address literal in one canonical spelling (inet_ntop; IPv4-mapped IPv6 written as IPv4), so that
// rate limits and the audit log key one client by one string. nullopt when `text` is not an address
// (ports, brackets, zone IDs and names are refused).
std::optional<std::string> canonical_ip(std::string_view text);

// The address of the client a request came from. The socket peer, unless the peer is a trusted proxy;
// then X-Forwarded-For (every such field, in order) is read from the right: each entry is the peer of the
// hop to its right, so while entries are trusted proxies we keep walking, and the first untrusted entry is
// the client. Entries further left were written by the client and are never believed. When an entry is
// not an address, or the walk passes 32 hops, the answer is the last address we could vouch for (a
// trusted proxy): coarse, but never a value the client chose.
std::string client_address(const Request& request, const TrustedProxies& proxies);

// Hands the next handler the request with remote_address = client_address(request, proxies), so rate
// limits, audit records and the access log further in all see the same client. The request is copied
// only when the address changes (the body too: keep max_body_bytes modest where this is used).
Middleware resolve_client_address(TrustedProxies proxies);

}  // namespace ecpa::http
