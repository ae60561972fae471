# umc_isolated_kernel_object(<name> OBJECT_LIBRARIES <objlib>... KEEP <symbol>...)
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
# Produces a STATIC library target <name> holding that single object.
function(umc_isolated_kernel_object name)
  cmake_parse_arguments(A "" "" "OBJECT_LIBRARIES;KEEP" ${ARGN})
  set(dir ${CMAKE_CURRENT_BINARY_DIR}/${name}.isolation)
  set(combined ${dir}/${name}.combined.o)
  set(isolated ${dir}/${name}.o)
  set(keep_file ${dir}/${name}.keep)
  list(JOIN A_KEEP "\n" keep_text)
  file(MAKE_DIRECTORY ${dir})
  file(GENERATE OUTPUT ${keep_file} CONTENT "${keep_text}\n")
  set(objects "")
  foreach(lib IN LISTS A_OBJECT_LIBRARIES)
    list(APPEND objects $<TARGET_OBJECTS:${lib}>)
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
