#include "http_date.hpp"

#include <gtest/gtest.h>

namespace ecpa::http::detail {
namespace {

TEST(HttpDate, FormatsAndParsesImfFixdate) {
  auto t = std::chrono::system_clock::from_time_t(784111777);  // RFC 9110's example instant
  EXPECT_EQ(format_http_date(t), "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT"), t);
  EXPECT_FALSE(parse_http_date("yesterday"));
  EXPECT_FALSE(parse_http_date(""));
}

TEST(HttpDate, EtagChangesWithSizeAndTime) {
  auto t = std::chrono::system_clock::from_time_t(1000);
  EXPECT_EQ(make_etag(10, t), make_etag(10, t));
  EXPECT_NE(make_etag(10, t), make_etag(11, t));
  EXPECT_NE(make_etag(10, t), make_etag(10, t + std::chrono::nanoseconds(1000)));
  EXPECT_EQ(make_etag(10, t).front(), '"');
}

}  // namespace
}  // namespace ecpa::http::detail
