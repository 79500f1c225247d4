# Sanitizer and fuzzing builds. Included before any target is defined, so
# that the flags reach idclaim_core, the tests and the fuzz targets alike.
#
#   -DIDCLAIM_SANITIZE=address,undefined   ASan + UBSan for everything
#   -DIDCLAIM_SANITIZE=thread              TSan for everything
#   -DIDCLAIM_FUZZ=ON                      libFuzzer targets in fuzz/ (clang)
#
# UBSan is built not to recover: undefined behaviour aborts the test or the
# fuzz run instead of printing a line that nobody reads.

option(IDCLAIM_FUZZ "Build the libFuzzer targets in fuzz/ (needs clang)" OFF)
set(IDCLAIM_SANITIZE "" CACHE STRING
  "Sanitizers for every target: address,undefined or thread (empty: none)")

set(IDCLAIM_SANITIZER_COMMON -fno-omit-frame-pointer
  -fno-sanitize-recover=all)

if(IDCLAIM_FUZZ AND IDCLAIM_SANITIZE)
  message(FATAL_ERROR "IDCLAIM_FUZZ already implies ASan + UBSan; "
                      "leave IDCLAIM_SANITIZE empty")
endif()

if(IDCLAIM_SANITIZE)
  if(NOT IDCLAIM_SANITIZE MATCHES "^(address,undefined|address|undefined|thread)$")
    message(FATAL_ERROR "IDCLAIM_SANITIZE must be address,undefined or "
                        "thread, not '${IDCLAIM_SANITIZE}'")
  endif()
  add_compile_options(-fsanitize=${IDCLAIM_SANITIZE}
    ${IDCLAIM_SANITIZER_COMMON})
  add_link_options(-fsanitize=${IDCLAIM_SANITIZE})
endif()

if(IDCLAIM_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "IDCLAIM_FUZZ needs clang: configure with "
                        "CC=clang-14 CXX=clang++-14")
  endif()
  # Coverage instrumentation everywhere, libFuzzer's main only in the fuzz
  # targets (fuzz/CMakeLists.txt links them with -fsanitize=fuzzer).
  # Hidden visibility: Debian's libcaf_core is built by g++. A clang
  # executable linked with the sanitizer runtimes otherwise exports its own
  # copies of CAF's inline function-local statics (the config_option meta
  # states), libcaf_core binds to those, and the first
  # actor_system_config::set calls a null check function. Kept to itself,
  # each side uses its own copy. (g++ builds are not affected.)
  add_compile_options(-fsanitize=fuzzer-no-link,address,undefined
    -fvisibility=hidden ${IDCLAIM_SANITIZER_COMMON})
  add_link_options(-fsanitize=address,undefined)
endif()
