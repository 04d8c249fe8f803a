#include "ecpa/http/forwarded.hpp"

#include <gtest/gtest.h>

#include <stdexcept>

#include "ecpa/http/middleware.hpp"

namespace ecpa::http {
namespace {

Request from(const std::string& peer, const std::vector<std::string>& forwarded_for = {}) {
  Request r;
  r.method = "POST";
  r.path = "/api/auth/certificate";
  r.remote_address = peer;
  r.remote_port = 40000;
  for (const auto& f : forwarded_for) r.headers.add("X-Forwarded-For", f);
  return r;
}

const TrustedProxies kProxies({"127.0.0.1", "10.0.0.0/8", "fd00::/8"});

TEST(TrustedProxies, AddressesAndBlocks) {
  EXPECT_TRUE(kProxies.contains("127.0.0.1"));
  EXPECT_FALSE(kProxies.contains("127.0.0.2"));
  EXPECT_TRUE(kProxies.contains("10.255.0.1"));
  EXPECT_TRUE(kProxies.contains("::ffff:10.1.2.3")) << "IPv4-mapped is the same address";
  EXPECT_FALSE(kProxies.contains("11.0.0.1"));
  EXPECT_TRUE(kProxies.contains("fd12::1"));
  EXPECT_FALSE(kProxies.contains("fe80::1"));
  EXPECT_FALSE(kProxies.contains("::1"));
  EXPECT_FALSE(kProxies.contains("localhost"));
  EXPECT_FALSE(kProxies.contains(""));
  EXPECT_FALSE(kProxies.contains("10.0.0.1:443"));

  const TrustedProxies odd({"192.168.1.128/25", "2001:db8::/32", "::ffff:172.16.0.0/108", "0.0.0.0/0"});
  EXPECT_TRUE(odd.contains("8.8.8.8")) << "/0 trusts every IPv4 address (the operator's choice)";
  EXPECT_FALSE(odd.contains("2001:db9::1")) << "but no IPv6 one";
  EXPECT_TRUE(odd.contains("2001:db8:ffff::1"));
  EXPECT_TRUE(TrustedProxies({"::ffff:172.16.0.0/108"}).contains("172.16.5.5"));
  EXPECT_FALSE(TrustedProxies({"::ffff:172.16.0.0/108"}).contains("172.32.0.1"));
  EXPECT_TRUE(TrustedProxies({"192.168.1.128/25"}).contains("192.168.1.200"));
  EXPECT_FALSE(TrustedProxies({"192.168.1.128/25"}).contains("192.168.1.127"));
  EXPECT_TRUE(TrustedProxies().empty());
  EXPECT_FALSE(TrustedProxies().contains("127.0.0.1"));
}

TEST(TrustedProxies, BadEntriesAreRefusedWhenConfigured) {
  for (const char* bad : {"", "proxy.example", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "10.0.0.0/8x",
                          "fd00::/129", "[::1]", "10.0.0.1:80", "1.2.3"}) {
    EXPECT_THROW(TrustedProxies({std::string(bad)}), std::invalid_argument) << bad;
  }
}

TEST(CanonicalIp, OneSpellingPerAddress) {
  EXPECT_EQ(canonical_ip("::ffff:192.0.2.1"), "192.0.2.1");
  EXPECT_EQ(canonical_ip("2001:DB8:0:0::1"), "2001:db8::1");
  EXPECT_EQ(canonical_ip("192.0.2.1"), "192.0.2.1");
  EXPECT_FALSE(canonical_ip("192.0.2.1:8080"));
  EXPECT_FALSE(canonical_ip("[2001:db8::1]"));
  EXPECT_FALSE(canonical_ip("unknown"));
  EXPECT_FALSE(canonical_ip("010.1.1.1")) << "no octal guessing";
  EXPECT_FALSE(canonical_ip(std::string(100, '1')));
}

TEST(ClientAddress, AnUntrustedPeerIsTheClientWhateverItClaims) {
  // The attack: a client talks to the portal directly and names someone else, hoping to dodge its rate
  // limit or to put another address in the audit trail.
  for (const char* spoof : {"203.0.113.9", "127.0.0.1", "10.0.0.5, 198.51.100.7", "garbage"}) {
    EXPECT_EQ(client_address(from("198.51.100.20", {spoof}), kProxies), "198.51.100.20") << spoof;
  }
  // Without any trusted proxy the header is never read.
  EXPECT_EQ(client_address(from("127.0.0.1", {"203.0.113.9"}), TrustedProxies()), "127.0.0.1");
}

TEST(ClientAddress, TheRightmostUntrustedHopBehindTrustedProxies) {
  EXPECT_EQ(client_address(from("127.0.0.1", {"203.0.113.9"}), kProxies), "203.0.113.9");
  // What a client wrote itself sits left of what the proxies appended: never believed.
  EXPECT_EQ(client_address(from("127.0.0.1", {"1.1.1.1, 203.0.113.9"}), kProxies), "203.0.113.9");
  // Two proxies (load balancer 10.0.0.7 in front of the local nginx).
  EXPECT_EQ(client_address(from("127.0.0.1", {"1.1.1.1, 203.0.113.9, 10.0.0.7"}), kProxies), "203.0.113.9");
  // Several fields are one list, in order.
  EXPECT_EQ(client_address(from("127.0.0.1", {"1.1.1.1", "203.0.113.9 ,\t10.0.0.7"}), kProxies),
            "203.0.113.9");
  EXPECT_EQ(client_address(from("127.0.0.1", {"2001:DB8::5"}), kProxies), "2001:db8::5");
  EXPECT_EQ(client_address(from("::ffff:127.0.0.1", {"::ffff:203.0.113.9"}), kProxies), "203.0.113.9");
}

TEST(ClientAddress, WhatCannotBeReadFallsBackToTheLastTrustedHop) {
  EXPECT_EQ(client_address(from("127.0.0.1"), kProxies), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {""}), kProxies), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {"203.0.113.9, unknown"}), kProxies), "127.0.0.1");
  EXPECT_EQ(client_address(from("127.0.0.1", {"203.0.113.9, _hidden, 10.0.0.7"}), kProxies), "10.0.0.7");
  EXPECT_EQ(client_address(from("127.0.0.1", {"203.0.113.9:5555"}), kProxies), "127.0.0.1");
  // Every hop trusted: the leftmost proxy is the nearest address known.
  EXPECT_EQ(client_address(from("127.0.0.1", {"10.0.0.9, 10.0.0.7"}), kProxies), "10.0.0.9");
  // A chain longer than any real deployment is not walked to its end.
  std::string chain = "203.0.113.9";
  for (int i = 0; i < 40; ++i) chain += ", 10.0.0." + std::to_string(i + 1);
  EXPECT_EQ(client_address(from("127.0.0.1", {chain}), kProxies), "10.0.0.9");
}

TEST(ResolveClientAddress, HandlersFurtherInSeeTheClient) {
  std::string seen;
  std::uint16_t port = 1;
  Handler h = resolve_client_address(kProxies)([&](const Request& r) {
    seen = r.remote_address;
    port = r.remote_port;
    return Response::text(r.body);
  });
  Request behind = from("127.0.0.1", {"203.0.113.9"});
  behind.body = "kept";
  EXPECT_EQ(h(behind).body, "kept");
  EXPECT_EQ(seen, "203.0.113.9");
  EXPECT_EQ(port, 0);
  h(from("198.51.100.20", {"203.0.113.9"}));
  EXPECT_EQ(seen, "198.51.100.20");
  EXPECT_EQ(port, 40000);
  // The rate limiter's usual key therefore counts the client, not the proxy.
  EXPECT_EQ(client_address_key(behind), "127.0.0.1");
}

}  // namespace
}  // namespace ecpa::http
