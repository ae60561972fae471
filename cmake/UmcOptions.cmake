# Compiler settings shared by our own code.  Hosted DRBD sources get their own
# flags in drbd-shim/ and are never compiled with -Werror.

option(UMC_WERROR "Treat warnings in our own code as errors (CI turns it on)" OFF)
set(UMC_SANITIZE "" CACHE STRING "Sanitizers: '', 'address;undefined', or 'thread'")

add_library(umc_warnings INTERFACE)
target_compile_options(umc_warnings INTERFACE
  -Wall -Wextra
  $<$<BOOL:${UMC_WERROR}>:-Werror>)

if(UMC_SANITIZE)
  list(JOIN UMC_SANITIZE "," _umc_san)
  add_compile_options(-fsanitize=${_umc_san} -fno-omit-frame-pointer)
  add_link_options(-fsanitize=${_umc_san})
  if("undefined" IN_LIST UMC_SANITIZE)
    add_compile_options(-fno-sanitize-recover=undefined)
  endif()
  add_compile_definitions(UMC_SANITIZER=1)
endif()

# umc_test(NAME SOURCES... LIBS ...): a GoogleTest binary registered with ctest,
# one ctest entry per TEST(), each labelled by its component.
include(GoogleTest)
function(umc_test name)
  cmake_parse_arguments(T "" "LABEL;TIMEOUT" "SOURCES;LIBS" ${ARGN})
  add_executable(${name} ${T_SOURCES})
  target_link_libraries(${name} PRIVATE ${T_LIBS} GTest::gtest GTest::gtest_main umc_warnings)
  if(NOT T_TIMEOUT)
    set(T_TIMEOUT 120)
  endif()
  gtest_discover_tests(${name} PROPERTIES LABELS "${T_LABEL}" TIMEOUT ${T_TIMEOUT}
                       DISCOVERY_TIMEOUT 60)
endfunction()
