# Run as: cmake -DIN=catalogue.json -DHEADER=out.hpp -DSOURCE=out.cpp -P gen_catalogue.cmake
# Turns the message catalogue into (1) a header declaring one constant per code, so that using a code
# the catalogue lacks is a compile error, and (2) a source embedding the catalogue text.
file(READ "${IN}" json)
string(JSON count LENGTH "${json}")
math(EXPR last "${count} - 1")
set(decls "")
foreach(i RANGE ${last})
  string(JSON code MEMBER "${json}" ${i})
  if(code MATCHES "^_")
    continue()
  endif()
  if(NOT code MATCHES "^[A-Z][A-Z0-9_]*$")
    message(FATAL_ERROR "catalogue: code '${code}' is not UPPER_SNAKE_CASE")
  endif()
  foreach(field status "zh-TW;message" "zh-TW;action" "en;message" "en;action")
    string(JSON value ERROR_VARIABLE err GET "${json}" ${code} ${field})
    if(err OR value STREQUAL "")
      message(FATAL_ERROR "catalogue: ${code} lacks ${field}")
    endif()
  endforeach()
  string(APPEND decls "inline constexpr ErrorCode ${code}{\"${code}\"};\n")
endforeach()
if(json MATCHES "\\)ecpa_catalogue\"")
  message(FATAL_ERROR "catalogue: contains the raw-string delimiter")
endif()
file(WRITE "${HEADER}.tmp" "// Generated from messages/catalogue.json by cmake/gen_catalogue.cmake. Do not edit.
#pragma once
#include \"ecpa/common/error_code.hpp\"
namespace ecpa::codes {
${decls}}  // namespace ecpa::codes
")
file(WRITE "${SOURCE}.tmp" "// Generated from messages/catalogue.json by cmake/gen_catalogue.cmake. Do not edit.
#include <string_view>
namespace ecpa::detail {
extern const std::string_view kCatalogueJson;
const std::string_view kCatalogueJson = R\"ecpa_catalogue(${json})ecpa_catalogue\";
}  // namespace ecpa::detail
")
# Only touch the outputs when they change, so an edit elsewhere in the file does not rebuild everything.
file(COPY_FILE "${HEADER}.tmp" "${HEADER}" ONLY_IF_DIFFERENT)
file(COPY_FILE "${SOURCE}.tmp" "${SOURCE}" ONLY_IF_DIFFERENT)
file(REMOVE "${HEADER}.tmp" "${SOURCE}.tmp")
