# Build-time step (cmake -P): extract the hosted kernel files from Debian's
# tarball, verify every one against the manifest of the installed package
# version, and only then publish them into the build tree.
#
# Inputs (-D): TARBALL, MANIFEST_DIR, HOSTED_DIR, STAMP, SOURCE_DIR,
#              VERSION_OVERRIDE (optional).
cmake_minimum_required(VERSION 3.25)
include(${CMAKE_CURRENT_LIST_DIR}/HostedManifest.cmake)

if(NOT EXISTS "${TARBALL}")
  message(FATAL_ERROR "drbd-shim: ${TARBALL} not found; install it with 'apt-get install linux-source-6.1'")
endif()

umc_hosted_package_version(version OVERRIDE "${VERSION_OVERRIDE}")
umc_hosted_select_manifest("${MANIFEST_DIR}" "${version}" manifest exact)
set(scratch "${HOSTED_DIR}.extract")

umc_hosted_read_manifest("${manifest}" paths hashes)
umc_hosted_extract("${TARBALL}" "${scratch}" ${paths})
umc_hosted_compare("${scratch}" paths hashes problems)
if(problems AND NOT exact)
  file(REMOVE_RECURSE "${scratch}")
  umc_hosted_unknown_version_error("${TARBALL}" "${MANIFEST_DIR}" "${version}" "${scratch}" "${SOURCE_DIR}")
elseif(problems)
  list(JOIN problems "\n    " plist)
  file(REMOVE_RECURSE "${scratch}")
  message(FATAL_ERROR
    "drbd-shim: ${TARBALL} does not match ${manifest}:\n    ${plist}\n"
    "The tarball is not Debian's linux-source-6.1 ${version} as recorded.  "
    "Reinstall it ('apt-get install --reinstall linux-source-6.1'); if Debian "
    "really changed these files, review them and run drbd-shim/update-manifest.sh.")
endif()

# Publish: copy only what changed (so unchanged files keep their timestamps and
# nothing recompiles needlessly) and drop anything the manifest does not name,
# so the hosted tree is exactly the manifest.
foreach(p IN LISTS paths)
  get_filename_component(d "${HOSTED_DIR}/${p}" DIRECTORY)
  file(MAKE_DIRECTORY "${d}")
  execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${scratch}/${p}" "${HOSTED_DIR}/${p}")
endforeach()
file(GLOB_RECURSE present RELATIVE "${HOSTED_DIR}" "${HOSTED_DIR}/*")
foreach(p IN LISTS present)
  if(NOT p IN_LIST paths)
    message(STATUS "drbd-shim: removing ${p} from the hosted tree (not in the manifest)")
    file(REMOVE "${HOSTED_DIR}/${p}")
  endif()
endforeach()
file(REMOVE_RECURSE "${scratch}")
list(LENGTH paths n)
file(WRITE "${STAMP}" "linux-source-6.1 ${version}: ${n} files verified against ${manifest}\n")
if(NOT exact)
  message(WARNING "drbd-shim: linux-source-6.1 ${version} has no manifest of its own; its ${n} "
    "hosted files are byte-identical to ${manifest}, so they are used.  Record the "
    "revision with drbd-shim/update-manifest.sh.")
endif()
