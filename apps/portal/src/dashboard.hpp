#pragma once
// GET /api/dashboard: who is logged in, the 待辦行事曆 for today, tomorrow and the day after (Taiwan dates),
// and the menu.

#include <nlohmann/json.hpp>
#include <string_view>

#include "ecpa/common/clock.hpp"
#include "ecpa/common/messages.hpp"
#include "ecpa/store/people_store.hpp"
#include "ecpa/store/todo_store.hpp"

namespace ecpa::portal {

// {"name","agency","title","maskedId","method"}; the agency by name when the store knows it.
nlohmann::json person_json(store::PeopleStore& people, const store::Person& person, std::string_view method);

nlohmann::json dashboard_json(store::PeopleStore& people, store::TodoStore& todos,
                              const store::Person& person, std::string_view method, Clock::time_point now,
                              Lang lang);

// "2026-11-29"
std::string iso_date(std::chrono::sys_days day);

}  // namespace ecpa::portal
