#pragma once

// 待辦事項: a person's to-dos by due date, for the dashboard's 待辦行事曆.

#include <chrono>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "ecpa/store/database.hpp"

namespace ecpa::store {

struct Todo {
  std::int64_t id = 0;
  std::int64_t person_id = 0;
  std::chrono::sys_days due;
  std::string title;
  bool done = false;
};

class TodoStore {
 public:
  virtual ~TodoStore() = default;
  // BAD_REQUEST for an empty title or one over 500 bytes; NOT_FOUND for an unknown person.
  virtual Todo add(std::int64_t person_id, std::chrono::sys_days due, std::string_view title) = 0;
  // Due between from and to, both included, by date then id.
  virtual std::vector<Todo> for_person_between(std::int64_t person_id, std::chrono::sys_days from,
                                               std::chrono::sys_days to) = 0;
  // Only the owner's to-do changes; false otherwise.
  virtual bool set_done(std::int64_t todo_id, std::int64_t person_id, bool done) = 0;
  virtual bool remove(std::int64_t todo_id, std::int64_t person_id) = 0;
};

class SqlTodoStore final : public TodoStore {
 public:
  explicit SqlTodoStore(Database& db) : db_(db) {}
  Todo add(std::int64_t person_id, std::chrono::sys_days due, std::string_view title) override;
  std::vector<Todo> for_person_between(std::int64_t person_id, std::chrono::sys_days from,
                                       std::chrono::sys_days to) override;
  bool set_done(std::int64_t todo_id, std::int64_t person_id, bool done) override;
  bool remove(std::int64_t todo_id, std::int64_t person_id) override;

 private:
  Database& db_;
};

}  // namespace ecpa::store
