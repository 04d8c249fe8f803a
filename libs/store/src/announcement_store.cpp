#include "ecpa/store/announcement_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxTitle = 200;
constexpr std::size_t kMaxBody = 20000;
constexpr std::size_t kMaxAuthor = 100;
constexpr std::size_t kMaxPage = 100;

[[noreturn]] void refuse(const char* field) {
  throw Error(codes::BAD_REQUEST, std::string("announcement ") + field + " empty, too long or malformed")
      .with("field", field);
}

// Like is_clean_text, but a body may have line breaks (and tabs): nothing else below 0x20.
bool clean_body(std::string_view s) {
  if (s.size() > kMaxBody) return false;
  for (unsigned char c : s)
    if ((c < 0x20 && c != '\n' && c != '\r' && c != '\t') || c == 0x7f) return false;
  return true;
}

Announcement from_row(const Row& r) {
  return Announcement{r.i64(0), r.text(1), r.text(2), r.text(3), r.time(4), r.opt_time(5), r.text(6)};
}

}  // namespace

Announcement SqlAnnouncementStore::add(const NewAnnouncement& a, Clock::time_point now) {
  if (a.title.empty() || !detail::is_clean_text(a.title, kMaxTitle)) refuse("title");
  if (a.body.empty() || !clean_body(a.body)) refuse("body");
  if (a.audience != "public" && a.audience != "all") refuse("audience");
  if (a.publish_until && *a.publish_until <= a.publish_from) refuse("publish_until");
  if (a.author.empty() || !detail::is_clean_text(a.author, kMaxAuthor)) refuse("author");
  return db_.transaction([&](Connection& conn) {
    auto row = conn.query_one(
        "INSERT INTO announcements (title, body, audience, publish_from, publish_until, author, created_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        {a.title, a.body, a.audience, a.publish_from, a.publish_until, a.author, now});
    return Announcement{row->i64(0), a.title, a.body, a.audience, a.publish_from, a.publish_until, a.author};
  });
}

std::vector<Announcement> SqlAnnouncementStore::published(std::string_view audience, Clock::time_point now,
                                                          std::size_t limit, std::size_t offset) {
  const auto n = static_cast<std::int64_t>(std::min(limit, kMaxPage));
  return db_.with_connection([&](Connection& conn) {
    std::vector<Announcement> out;
    for (const auto& r : conn.query(
             "SELECT id, title, body, audience, publish_from, publish_until, author FROM announcements "
             "WHERE audience = ? AND publish_from <= ? AND (publish_until IS NULL OR publish_until > ?) "
             "ORDER BY publish_from DESC, id DESC LIMIT ? OFFSET ?",
             {audience, now, now, n, static_cast<std::int64_t>(offset)}))
      out.push_back(from_row(r));
    return out;
  });
}

}  // namespace ecpa::store
