# Run as: cmake -DDIR=migrations/sqlite -DOUT=file.cpp -DSYMBOL=kSqliteMigrations -P embed_migrations.cmake
# Embeds every NNN_name.sql of DIR, in version order, as a table of Migration values, so the program
# carries its schema with it and cannot run against a half-copied migrations folder.
file(GLOB files RELATIVE "${DIR}" "${DIR}/*.sql")
list(SORT files)
set(entries "")
set(last 0)
foreach(f IN LISTS files)
  if(NOT f MATCHES "^([0-9][0-9][0-9])_([a-z0-9_]+)\\.sql$")
    message(FATAL_ERROR "migrations: '${f}' is not named NNN_lower_snake.sql")
  endif()
  set(name "${CMAKE_MATCH_2}")
  math(EXPR version "1${CMAKE_MATCH_1} - 1000")
  math(EXPR expected "${last} + 1")
  if(NOT version EQUAL expected)
    message(FATAL_ERROR "migrations: '${f}' should be version ${expected} (no gaps, no duplicates)")
  endif()
  set(last ${version})
  file(READ "${DIR}/${f}" sql)
  if(sql MATCHES "\\)ecpa_sql\"")
    message(FATAL_ERROR "migrations: '${f}' contains the raw-string delimiter")
  endif()
  string(APPEND entries "    {${version}, \"${name}\", R\"ecpa_sql(${sql})ecpa_sql\"},\n")
endforeach()
if(last EQUAL 0)
  message(FATAL_ERROR "migrations: none found in ${DIR}")
endif()
file(WRITE "${OUT}.tmp" "// Generated from ${DIR} by libs/store/cmake/embed_migrations.cmake. Do not edit.
#include <span>
#include \"ecpa/store/migrations.hpp\"
namespace ecpa::store::detail {
namespace {
constexpr Migration kTable[] = {
${entries}};
}  // namespace
std::span<const Migration> ${SYMBOL}() { return kTable; }
}  // namespace ecpa::store::detail
")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUT}.tmp")
