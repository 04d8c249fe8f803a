#pragma once
#include <memory>
#include <string>

#include "ecpa/store/database.hpp"

namespace ecpa::store::detail {

// Opens one SQLite connection with the project's settings (WAL, synchronous=NORMAL, foreign keys on,
// busy timeout). An empty path means a private in-memory database.
std::unique_ptr<Connection> open_sqlite(const std::string& path, const DatabaseOptions& options);

}  // namespace ecpa::store::detail
