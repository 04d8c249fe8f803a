#pragma once

// 最新公告 (announcements): written by portal admins (`ecpa-portal admin add-announcement`; the admin console
// of issue 14 later), shown while inside their publish window. `public` ones are on the login page for
// anyone; `all` ones are for everyone logged in (issue 14 adds agency and role audiences to this model).

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

struct NewAnnouncement {
  std::string title;                // 1–200 bytes, no control characters
  std::string body;                 // ≤ 20,000 bytes; line breaks allowed, no other control characters
  std::string audience = "public";  // "public" | "all"
  Clock::time_point publish_from;
  std::optional<Clock::time_point> publish_until;  // after publish_from when set
  std::string author;                              // who wrote it (an admin's name), 1–100 bytes
};

struct Announcement {
  std::int64_t id = 0;
  std::string title, body, audience;
  Clock::time_point publish_from;
  std::optional<Clock::time_point> publish_until;
  std::string author;
};

class AnnouncementStore {
 public:
  virtual ~AnnouncementStore() = default;
  // BAD_REQUEST naming the field for anything out of bounds; nothing is written then.
  virtual Announcement add(const NewAnnouncement& a, Clock::time_point now) = 0;
  // Those of `audience` published at `now`, newest first, at most `limit`, skipping `offset`.
  virtual std::vector<Announcement> published(std::string_view audience, Clock::time_point now,
                                              std::size_t limit, std::size_t offset = 0) = 0;
};

class SqlAnnouncementStore final : public AnnouncementStore {
 public:
  explicit SqlAnnouncementStore(Database& db) : db_(db) {}
  Announcement add(const NewAnnouncement& a, Clock::time_point now) override;
  std::vector<Announcement> published(std::string_view audience, Clock::time_point now, std::size_t limit,
                                      std::size_t offset = 0) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
