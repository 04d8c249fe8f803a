#include "ecpa/store/todo_store.hpp"

#include "ecpa/common/error.hpp"
#include "text.hpp"

namespace ecpa::store {
namespace {

constexpr std::size_t kMaxTitle = 500;

std::int64_t day_number(std::chrono::sys_days d) { return d.time_since_epoch().count(); }
std::chrono::sys_days from_day_number(std::int64_t n) {
  return std::chrono::sys_days(std::chrono::days(static_cast<std::chrono::days::rep>(n)));
}

Todo to_todo(const Row& r) {
  return Todo{r.i64(0), r.i64(1), from_day_number(r.i64(2)), r.text(3), r.boolean(4)};
}

}  // namespace

Todo SqlTodoStore::add(std::int64_t person_id, std::chrono::sys_days due, std::string_view title) {
  if (title.empty() || !detail::is_clean_text(title, kMaxTitle)) {
    throw Error(codes::BAD_REQUEST, "to-do title empty, too long or with control characters");
  }
  return db_.transaction([&](Connection& conn) {
    if (!conn.query_one("SELECT 1 FROM people WHERE id = ?", {person_id})) {
      throw Error(codes::NOT_FOUND, "to-do for unknown person " + std::to_string(person_id));
    }
    auto rows = conn.query(
        "INSERT INTO todos (person_id, due_date, title, done) VALUES (?, ?, ?, 0) "
        "RETURNING id, person_id, due_date, title, done",
        {person_id, day_number(due), title});
    return to_todo(rows.at(0));
  });
}

std::vector<Todo> SqlTodoStore::for_person_between(std::int64_t person_id, std::chrono::sys_days from,
                                                   std::chrono::sys_days to) {
  auto rows = db_.with_connection([&](Connection& conn) {
    return conn.query(
        "SELECT id, person_id, due_date, title, done FROM todos "
        "WHERE person_id = ? AND due_date >= ? AND due_date <= ? ORDER BY due_date, id",
        {person_id, day_number(from), day_number(to)});
  });
  std::vector<Todo> out;
  out.reserve(rows.size());
  for (const auto& r : rows) out.push_back(to_todo(r));
  return out;
}

bool SqlTodoStore::set_done(std::int64_t todo_id, std::int64_t person_id, bool done) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("UPDATE todos SET done = ? WHERE id = ? AND person_id = ?",
                     {done ? 1 : 0, todo_id, person_id}) == 1;
  });
}

bool SqlTodoStore::remove(std::int64_t todo_id, std::int64_t person_id) {
  return db_.transaction([&](Connection& conn) {
    return conn.exec("DELETE FROM todos WHERE id = ? AND person_id = ?", {todo_id, person_id}) == 1;
  });
}

}  // namespace ecpa::store
