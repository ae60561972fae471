# libumc-preload.so unit tests; included from tests/tools/CMakeLists.txt:
#   include(preload.cmake OPTIONAL)
# The test dlopen()s the shim and calls its wrappers directly, so it needs no
# LD_PRELOAD, no FUSE and no root: a temp directory stands in for UMC_FS_ROOT.
if(TARGET umc-preload)
  umc_test(preload_test SOURCES ${CMAKE_CURRENT_LIST_DIR}/preload_test.cpp LIBS ${CMAKE_DL_LIBS} umc_test_helpers LABEL unit)
  target_compile_definitions(preload_test PRIVATE UMC_PRELOAD_LIB="$<TARGET_FILE:umc-preload>")
  add_dependencies(preload_test umc-preload)
endif()
