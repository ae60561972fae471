# Target drbd_syntax_progress: compiles every DRBD translation unit with
# -fsyntax-only against the header tree and reports how many compile (and
# the first error of each that does not).  It never fails the build: it
# measures the way towards the whole driver compiling.
set(DRBD_ALL_TUS
  drbd_main.c drbd_receiver.c drbd_nl.c drbd_state.c drbd_worker.c drbd_req.c
  drbd_bitmap.c drbd_actlog.c drbd_proc.c drbd_nla.c drbd_interval.c drbd_strings.c)
set(_files "")
foreach(tu IN LISTS DRBD_ALL_TUS)
  list(APPEND _files ${DRBD_HOSTED_DIR}/drivers/block/drbd/${tu})
endforeach()
list(JOIN UMC_KERNEL_C_FLAGS "|" _flags)
list(JOIN _files "|" _files_arg)
add_custom_target(drbd_syntax_progress
  COMMAND ${CMAKE_COMMAND}
          -DCC=${CMAKE_C_COMPILER}
          "-DFLAGS=${_flags}|-I${DRBD_HOSTED_DIR}/include|-DKBUILD_MODNAME=\"drbd\"|-Werror=implicit-function-declaration|-Werror=incompatible-pointer-types|-Werror=int-conversion"
          "-DFILES=${_files_arg}"
          -DREPORT=${CMAKE_CURRENT_BINARY_DIR}/syntax-progress.txt
          -P ${CMAKE_CURRENT_SOURCE_DIR}/cmake/SyntaxCheck.cmake
  DEPENDS drbd_hosted_source
  COMMENT "Compiling each DRBD TU -fsyntax-only"
  VERBATIM)
