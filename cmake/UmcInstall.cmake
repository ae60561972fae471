# `umc install` (cmake --install): what an installed umc node consists of,
# beyond the targets' own install() rules (umcd -> sbin, libumc-preload.so ->
# lib/umc, the drbdadm/drbdsetup/drbdmeta wrappers -> sbin):
#
#   <prefix>/sbin/umc                   tools/umc, knowing it is installed
#   <prefix>/lib/umc/common.sh          its functions
#   <prefix>/lib/systemd/system/umcd@.service
#   <prefix>/share/man/man{5,8}/...     umcd(8), umcd.conf(5), umc(8)
#   <prefix>/share/doc/umc/umcd.conf.example
#   <confdir>/umcd.conf                 the example, unless one exists
#
# <confdir> is /etc/umc for the prefixes /usr and /usr/local (where umcd looks
# by default), else <prefix>/etc/umc, so a throwaway prefix stays self-
# contained.  The unit names the installed paths, so it is written at install
# time, when --prefix is known.  Everything honours DESTDIR.
install(PROGRAMS ${PROJECT_SOURCE_DIR}/tools/umc DESTINATION sbin)
install(FILES ${PROJECT_SOURCE_DIR}/tools/lib/common.sh DESTINATION lib/umc)
install(FILES ${PROJECT_SOURCE_DIR}/tools/dist/umcd.conf.example DESTINATION share/doc/umc)

set(_umc_install_code [[
  if(CMAKE_INSTALL_PREFIX MATCHES "^/usr(/local)?/?$")
    set(UMC_CONFDIR /etc/umc)
  else()
    set(UMC_CONFDIR "${CMAKE_INSTALL_PREFIX}/etc/umc")
  endif()
  set(UMC_SBINDIR "${CMAKE_INSTALL_PREFIX}/sbin")
  set(_unit "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}/lib/systemd/system/umcd@.service")
  message(STATUS "Installing: ${_unit}")
  configure_file("@UMC_DIST_DIR@/umcd@.service.in" "${_unit}" @ONLY)
  # The manifest lists paths without DESTDIR, as CMake's own entries.
  list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${CMAKE_INSTALL_PREFIX}/lib/systemd/system/umcd@.service")
  set(_conf "$ENV{DESTDIR}${UMC_CONFDIR}/umcd.conf")
  if(EXISTS "${_conf}")
    message(STATUS "Keeping: ${_conf} (exists)")
  else()
    message(STATUS "Installing: ${_conf}")
    file(MAKE_DIRECTORY "$ENV{DESTDIR}${UMC_CONFDIR}")
    file(COPY_FILE "@UMC_DIST_DIR@/umcd.conf.example" "${_conf}")
    list(APPEND CMAKE_INSTALL_MANIFEST_FILES "${UMC_CONFDIR}/umcd.conf")
  endif()
]])
string(REPLACE "@UMC_DIST_DIR@" "${PROJECT_SOURCE_DIR}/tools/dist" _umc_install_code "${_umc_install_code}")
install(CODE "${_umc_install_code}")

# Man pages: docs/man/<page>.<section>.scd, turned into roff by scdoc(1)
# (Debian package scdoc, in tools/debian-packages.txt).
find_program(UMC_SCDOC scdoc)
if(UMC_SCDOC)
  set(_umc_man_pages umcd.8 umcd.conf.5 umc.8)
  set(_umc_man_outputs)
  foreach(page IN LISTS _umc_man_pages)
    string(REGEX MATCH "[0-9]$" section ${page})
    set(_in ${PROJECT_SOURCE_DIR}/docs/man/${page}.scd)
    set(_out ${PROJECT_BINARY_DIR}/man/${page})
    add_custom_command(OUTPUT ${_out}
      COMMAND ${CMAKE_COMMAND} -E make_directory ${PROJECT_BINARY_DIR}/man
      COMMAND sh -c "'${UMC_SCDOC}' < '${_in}' > '${_out}'"
      DEPENDS ${_in} VERBATIM
      COMMENT "scdoc ${page}")
    list(APPEND _umc_man_outputs ${_out})
    install(FILES ${_out} DESTINATION share/man/man${section})
  endforeach()
  add_custom_target(umc_man ALL DEPENDS ${_umc_man_outputs})
else()
  message(WARNING "scdoc not found: no man pages (apt-get install scdoc)")
endif()
