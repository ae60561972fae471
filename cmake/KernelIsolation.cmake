# umc_isolated_kernel_object(<name> OBJECT_LIBRARIES <objlib>... KEEP <symbol>...
#                            [UMC_KERNEL_FILES <regex>])
#
# Links the objects of the given object libraries into ONE relocatable
# object (ld -r) and then makes every defined symbol local except the KEEP
# list (objcopy --keep-global-symbols).  References between kernel objects
# are resolved inside; what stays global is only the entry points plus the
# undefined references out of the kernel world (the runtime's umc_* wall,
# C-library string functions, sanitizer hooks).  Kernel names such as
# jiffies, kfree, list_add, crc32c or printk can therefore never collide
# with, or be interposed by, libc, libstdc++, liburcu or OpenSSL.
#
# UMC_KERNEL_FILES keeps only those objects of umc_kernel whose path matches
# (a unit test of one facility, over a stand-in for the runtime, links just
# the files it drives).
#
# Produces a STATIC library target <name> holding that single object.
function(umc_isolated_kernel_object name)
  cmake_parse_arguments(A "" "UMC_KERNEL_FILES" "OBJECT_LIBRARIES;KEEP" ${ARGN})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${name}.isolation)
  set(combined ${dir}/${name}.combined.o)
  set(isolated ${dir}/${name}.o)
  set(keep_file ${dir}/${name}.keep)
  list(JOIN A_KEEP "\n" keep_text)
  file(MAKE_DIRECTORY ${dir})
  file(GENERATE OUTPUT ${keep_file} CONTENT "${keep_text}\n")
  set(objects "")
  foreach(lib IN LISTS A_OBJECT_LIBRARIES)
    if(lib STREQUAL "umc_kernel" AND A_UMC_KERNEL_FILES)
      list(APPEND objects "$<FILTER:$<TARGET_OBJECTS:${lib}>,INCLUDE,${A_UMC_KERNEL_FILES}>")
    else()
      list(APPEND objects $<TARGET_OBJECTS:${lib}>)
    endif()
  endforeach()
  add_custom_command(
    OUTPUT ${isolated}
    COMMAND ${CMAKE_LINKER} -r -o ${combined} ${objects}
    COMMAND ${CMAKE_OBJCOPY} --keep-global-symbols=${keep_file} ${combined} ${isolated}
    DEPENDS ${objects} ${A_OBJECT_LIBRARIES} ${keep_file}
    COMMAND_EXPAND_LISTS
    COMMENT "Isolating kernel symbols of ${name}"
    VERBATIM)
  add_library(${name} STATIC ${isolated})
  set_source_files_properties(${isolated} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
  set_target_properties(${name} PROPERTIES LINKER_LANGUAGE C)
  set_property(TARGET ${name} PROPERTY UMC_ISOLATED_OBJECT ${isolated})
  set_property(TARGET ${name} PROPERTY UMC_ISOLATED_KEEP_FILE ${keep_file})
endfunction()

# umc_kernel_host_symbols(<out-var>)
#
# The functions of the host interface (umc/host/umc/kernel_host.h): every
# declaration "type umc_name(" at the start of a line.  They are the symbols
# a kernel object keeps global for its host program, read from the header so
# that the list cannot drift from it.  (Those the runtime defines, such as
# umc_runtime_init, are undefined in a kernel object; keeping them is
# harmless.)
function(umc_kernel_host_symbols out)
  set(header ${CMAKE_CURRENT_FUNCTION_LIST_DIR}/../umc/host/umc/kernel_host.h)
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${header})
  file(STRINGS ${header} decls REGEX "^[a-z][a-z0-9_ ]*[ *](umc_[a-z0-9_]+)\\(")
  set(names "")
  foreach(d IN LISTS decls)
    string(REGEX MATCH "(umc_[a-z0-9_]+)\\(" m "${d}")
    list(APPEND names ${CMAKE_MATCH_1})
  endforeach()
  if(NOT names)
    message(FATAL_ERROR "no function declarations found in ${header}")
  endif()
  list(REMOVE_DUPLICATES names)
  set(${out} ${names} PARENT_SCOPE)
endfunction()
