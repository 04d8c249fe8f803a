#include "ecpa/http/static_files.hpp"

#include <gtest/gtest.h>

#include <fstream>

#include "ecpa/common/error.hpp"
#include "test_support.hpp"

namespace ecpa::http {
namespace {

namespace fs = std::filesystem;

class StaticFilesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(root() / "css");
    fs::create_directories(root() / "docs");
    fs::create_directories(root() / ".git");
    std::ofstream(root() / "index.html") << "<h1>home</h1>";
    std::ofstream(root() / "css" / "site.css") << "body{}";
    std::ofstream(root() / "docs" / "index.html") << "docs";
    std::ofstream(root() / ".git" / "config") << "hidden";
    std::ofstream(root() / ".env") << "hidden";
    std::ofstream(dir.path() / "secret.txt") << "top secret";
    fs::create_symlink(dir.path() / "secret.txt", root() / "link.txt");
    fs::create_directory_symlink(dir.path(), root() / "up");
    fs::create_symlink(root() / "css" / "site.css", root() / "inside.css");
  }
  fs::path root() const { return dir.path() / "www"; }

  int status_for(std::string_view relative) const {
    StaticFiles files(root());
    try {
      return files.serve(Request{}, relative).status;
    } catch (const ecpa::Error& e) {
      EXPECT_EQ(e.code(), ecpa::codes::NOT_FOUND) << relative;
      return 404;
    }
  }

  test::ScratchDir dir;
};

TEST_F(StaticFilesTest, ServesFilesWithTypesAndIndex) {
  StaticFiles files(root());
  auto css = files.serve(Request{}, "css/site.css");
  EXPECT_EQ(css.status, 200);
  EXPECT_EQ(css.body, "body{}");
  EXPECT_EQ(css.headers.get_or("Content-Type", ""), "text/css; charset=utf-8");
  EXPECT_EQ(css.headers.get_or("Cache-Control", ""), "no-cache");
  EXPECT_EQ(files.serve(Request{}, "").body, "<h1>home</h1>");
  EXPECT_EQ(files.serve(Request{}, "docs/").body, "docs");
  EXPECT_EQ(files.serve(Request{}, "docs").body, "docs");
  EXPECT_EQ(files.serve(Request{}, "inside.css").body, "body{}") << "a link that stays inside is fine";
}

TEST_F(StaticFilesTest, TraversalAndHiddenFilesAreNotFound) {
  for (std::string_view attack : {"../secret.txt",
                                  "%2e%2e/secret.txt",
                                  "%2E%2E%2Fsecret.txt",
                                  "css/../../secret.txt",
                                  "..%2f..%2fetc/passwd",
                                  "..\\secret.txt",
                                  "..%5csecret.txt",
                                  "link.txt",
                                  "up/secret.txt",
                                  ".git/config",
                                  ".env",
                                  "%2egit/config",
                                  "css//site.css",
                                  "./index.html",
                                  "css/site.css/",
                                  "%00",
                                  "index.html%00.png",
                                  "%zz",
                                  "/etc/passwd",
                                  "missing.html"}) {
    EXPECT_EQ(status_for(attack), 404) << attack;
  }
  // Double encoding decodes once only: "%252e%252e" names a file literally called "%2e%2e".
  EXPECT_EQ(status_for("%252e%252e/secret.txt"), 404);
}

TEST_F(StaticFilesTest, ConditionalRequestsGet304) {
  StaticFiles files(root(), {.cache_control = "public, max-age=60", .index = "index.html"});
  auto first = files.serve(Request{}, "css/site.css");
  std::string etag(first.headers.get("ETag").value());
  Request again;
  again.headers.set("If-None-Match", etag);
  auto cached = files.serve(again, "css/site.css");
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(cached.headers.get_or("Cache-Control", ""), "public, max-age=60");

  Request by_date;
  by_date.headers.set("If-Modified-Since", std::string(first.headers.get("Last-Modified").value()));
  EXPECT_EQ(files.serve(by_date, "css/site.css").status, 304);

  Request stale;
  stale.headers.set("If-None-Match", "\"other\"");
  EXPECT_EQ(files.serve(stale, "css/site.css").status, 200);
  Request old;
  old.headers.set("If-Modified-Since", "Sun, 06 Nov 1994 08:49:37 GMT");
  EXPECT_EQ(files.serve(old, "css/site.css").status, 200);
}

TEST_F(StaticFilesTest, APagesHeaderPolicyIsKeptOnItsRevalidation) {
  StaticFiles::Options options;
  options.headers_by_type.emplace("text/html",
                                  HeaderPolicy{{"Cross-Origin-Opener-Policy", "same-origin-allow-popups"}});
  StaticFiles files(root(), options);
  for (std::string_view page : {"", "index.html", "docs/", "docs"}) {
    auto first = files.serve(Request{}, page);
    EXPECT_EQ(first.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups") << page;
    Request reload;
    reload.headers.set("If-None-Match", std::string(first.headers.get("ETag").value()));
    auto revalidated = files.serve(reload, page);
    EXPECT_EQ(revalidated.status, 304) << page;
    EXPECT_FALSE(revalidated.headers.has("Content-Type")) << page;
    EXPECT_EQ(revalidated.headers.get_or("Cross-Origin-Opener-Policy", ""), "same-origin-allow-popups")
        << page;
  }
  // Other types get nothing from the policy, on 200 or 304.
  auto css = files.serve(Request{}, "css/site.css");
  EXPECT_FALSE(css.headers.has("Cross-Origin-Opener-Policy"));
  Request reload;
  reload.headers.set("If-None-Match", std::string(css.headers.get("ETag").value()));
  EXPECT_FALSE(files.serve(reload, "css/site.css").headers.has("Cross-Origin-Opener-Policy"));
}

TEST_F(StaticFilesTest, OversizedFilesAndBadRootsAreRefused) {
  StaticFiles small(root(), {.cache_control = "no-cache", .index = "index.html", .max_file_size = 3});
  EXPECT_THROW(small.serve(Request{}, "css/site.css"), ecpa::Error);
  try {
    StaticFiles missing(dir.path() / "nope");
    ADD_FAILURE();
  } catch (const ecpa::Error& e) {
    EXPECT_EQ(e.code(), ecpa::codes::CONFIG_INVALID);
  }
}

TEST(MimeType, KnownAndUnknown) {
  EXPECT_EQ(mime_type("a.HTML"), "text/html; charset=utf-8");
  EXPECT_EQ(mime_type("a.js"), "text/javascript; charset=utf-8");
  EXPECT_EQ(mime_type("a.svg"), "image/svg+xml");
  EXPECT_EQ(mime_type("a.woff2"), "font/woff2");
  EXPECT_EQ(mime_type("a.exe"), "application/octet-stream");
  EXPECT_EQ(mime_type("Makefile"), "application/octet-stream");
}

}  // namespace
}  // namespace ecpa::http
