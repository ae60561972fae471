# cmake -P helper of drbd_link_progress: undefined symbols of the combined
# kernel object that nothing outside the kernel world will provide.
execute_process(COMMAND ${NM} -u --format=just-symbols ${OBJECT} OUTPUT_VARIABLE out)
string(REPLACE "\n" ";" syms "${out}")
set(libc memcpy memmove memset memcmp memchr strlen strnlen strcmp strncmp strcpy strncpy
    strcat strncat strchr strrchr strstr strcasecmp strncasecmp strspn strcspn strpbrk strsep)
set(missing "")
foreach(s IN LISTS syms)
  if(s STREQUAL "" OR s MATCHES "^umc_" OR s MATCHES "^__(asan|ubsan|tsan|sanitizer)" OR s STREQUAL "__stack_chk_fail"
     OR s STREQUAL "_GLOBAL_OFFSET_TABLE_" OR s MATCHES "^__popcount" OR s MATCHES "^__(start|stop)_umc_module_params$")
    continue()
  endif()
  list(FIND libc "${s}" i)
  if(i GREATER -1)
    continue()
  endif()
  list(APPEND missing "${s}")
endforeach()
list(LENGTH missing n)
list(JOIN missing "\n" text)
file(WRITE ${REPORT} "${text}\n${n} kernel symbols still undefined\n")
message("${n} kernel symbols still undefined (list in ${REPORT})")
