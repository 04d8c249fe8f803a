# Shared build settings. Warnings live on an INTERFACE target that every project target links
# PRIVATEly, so the flags never leak to consumers (or to third-party headers via PUBLIC).
# (-Wnull-dereference is left out: at -O2 g++ 12 reports it inside libstdc++'s own streambuf.)
add_library(ecpa_warnings INTERFACE)
target_compile_options(ecpa_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wcast-align -Wunused
  -Woverloaded-virtual -Wimplicit-fallthrough -Wformat=2
  $<$<CXX_COMPILER_ID:GNU>:-Wno-maybe-uninitialized>
  $<$<BOOL:${ECPA_WERROR}>:-Werror>)

if(ECPA_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
  # Tests run tools we did not build (pkcs11-tool) on our instrumented PKCS#11 module; those tools need
  # the runtimes preloaded (libs/testkit/sanitizers.hpp). g++ names them; elsewhere the tests run as is.
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libasan.so
                    OUTPUT_VARIABLE ecpa_asan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    execute_process(COMMAND ${CMAKE_CXX_COMPILER} -print-file-name=libubsan.so
                    OUTPUT_VARIABLE ecpa_ubsan_runtime OUTPUT_STRIP_TRAILING_WHITESPACE)
    if(IS_ABSOLUTE "${ecpa_asan_runtime}" AND IS_ABSOLUTE "${ecpa_ubsan_runtime}")
      get_filename_component(ecpa_asan_runtime "${ecpa_asan_runtime}" REALPATH)
      get_filename_component(ecpa_ubsan_runtime "${ecpa_ubsan_runtime}" REALPATH)
      set(ECPA_SANITIZER_RUNTIMES "${ecpa_asan_runtime} ${ecpa_ubsan_runtime}")
    endif()
  endif()
endif()

# ecpa_library(NAME SOURCES... [PUBLIC_DEPS ...] [PRIVATE_DEPS ...])
# A library target `ecpa_<NAME>` (alias `ecpa::<NAME>`) whose public headers live in include/.
function(ecpa_library name)
  cmake_parse_arguments(A "" "" "SOURCES;PUBLIC_DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(ecpa_${name} STATIC ${A_SOURCES})
  add_library(ecpa::${name} ALIAS ecpa_${name})
  target_include_directories(ecpa_${name} PUBLIC ${CMAKE_CURRENT_SOURCE_DIR}/include)
  target_link_libraries(ecpa_${name} PUBLIC ${A_PUBLIC_DEPS} PRIVATE ecpa_warnings ${A_PRIVATE_DEPS})
endfunction()

# ecpa_test(NAME SOURCES... [DEPS ...] [LABELS ...])
# A GoogleTest executable registered with ctest test by test (discovered when ctest runs, so a
# build never executes test binaries).
function(ecpa_test name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${A_SOURCES})
  target_link_libraries(${name} PRIVATE ecpa_warnings ${A_DEPS} GTest::gtest GTest::gmock GTest::gtest_main)
  # Tests find fixtures and the tree's data files (the catalogue) through these.
  target_compile_definitions(${name} PRIVATE ECPA_SOURCE_DIR="${CMAKE_SOURCE_DIR}"
                                             ECPA_BINARY_DIR="${CMAKE_BINARY_DIR}")
  if(NOT A_LABELS)
    set(A_LABELS unit)
  endif()
  gtest_discover_tests(${name} DISCOVERY_MODE PRE_TEST TEST_PREFIX "${name}." PROPERTIES LABELS "${A_LABELS}"
    ENVIRONMENT "ECPA_SOURCE_DIR=${CMAKE_SOURCE_DIR};ECPA_BINARY_DIR=${CMAKE_BINARY_DIR}")
endfunction()

if(ECPA_FUZZ)
  # Instrument every library for coverage (not only the fuzz targets), or libFuzzer is blind inside them.
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer)
  add_link_options(-fsanitize=address,undefined)
endif()
