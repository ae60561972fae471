# Helpers shared by configure time (drbd-shim/CMakeLists.txt) and the
# build-time extraction script (ExtractHosted.cmake): reading a manifest,
# extracting its files from the tarball and comparing hashes.

set(UMC_HOSTED_TOP linux-source-6.1)

# umc_hosted_package_version(<out-var> [OVERRIDE <v>])
# The Debian version of the installed linux-source-6.1; it selects the manifest.
function(umc_hosted_package_version out)
  cmake_parse_arguments(A "" "OVERRIDE" "" ${ARGN})
  if(A_OVERRIDE)
    set(${out} "${A_OVERRIDE}" PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND dpkg-query -W -f=\${Version} linux-source-6.1
                  OUTPUT_VARIABLE v RESULT_VARIABLE rc ERROR_QUIET)
  if(NOT rc EQUAL 0 OR v STREQUAL "")
    message(FATAL_ERROR
      "drbd-shim: cannot tell which linux-source-6.1 package is installed "
      "(dpkg-query failed).  Install it with 'apt-get install linux-source-6.1', "
      "or set -DUMC_LINUX_SOURCE_VERSION=<debian version> if the tarball came "
      "from elsewhere.")
  endif()
  set(${out} "${v}" PARENT_SCOPE)
endfunction()

# umc_hosted_read_manifest(<manifest> <paths-var> <hashes-var>)
# Parses "<sha256>  <path>" lines, skipping '#' comments.
function(umc_hosted_read_manifest manifest paths_var hashes_var)
  file(STRINGS "${manifest}" lines REGEX "^[0-9a-f]+  ")
  set(paths "")
  set(hashes "")
  foreach(line IN LISTS lines)
    string(REGEX MATCH "^([0-9a-f]+)  (.+)$" _ "${line}")
    list(APPEND hashes "${CMAKE_MATCH_1}")
    list(APPEND paths "${CMAKE_MATCH_2}")
  endforeach()
  if(NOT paths)
    message(FATAL_ERROR "drbd-shim: manifest ${manifest} lists no files")
  endif()
  set(${paths_var} "${paths}" PARENT_SCOPE)
  set(${hashes_var} "${hashes}" PARENT_SCOPE)
endfunction()

# umc_hosted_newest_manifest(<dir> <out-var>): the manifest of the highest
# package version present (Debian version order), or "" if none.
function(umc_hosted_newest_manifest dir out)
  file(GLOB manifests "${dir}/linux-source-6.1_*.sha256")
  set(best "")
  set(best_v "")
  foreach(m IN LISTS manifests)
    string(REGEX REPLACE ".*/linux-source-6.1_(.*)\\.sha256$" "\\1" v "${m}")
    if(best STREQUAL "")
      set(best "${m}")
      set(best_v "${v}")
    else()
      execute_process(COMMAND dpkg --compare-versions "${v}" gt "${best_v}" RESULT_VARIABLE gt)
      if(gt EQUAL 0)
        set(best "${m}")
        set(best_v "${v}")
      endif()
    endif()
  endforeach()
  set(${out} "${best}" PARENT_SCOPE)
endfunction()

# umc_hosted_extract(<tarball> <dest> <paths...>): extracts exactly those
# members into <dest> (which ends up holding <dest>/<path>).  Missing members
# do not stop extraction; the caller's hash check names them.
function(umc_hosted_extract tarball dest)
  file(REMOVE_RECURSE "${dest}")
  file(MAKE_DIRECTORY "${dest}")
  set(members "")
  foreach(p IN LISTS ARGN)
    string(APPEND members "${UMC_HOSTED_TOP}/${p}\n")
  endforeach()
  file(WRITE "${dest}.members" "${members}")
  execute_process(
    COMMAND tar -xJf "${tarball}" -C "${dest}" --strip-components=1 -T "${dest}.members"
    RESULT_VARIABLE rc ERROR_VARIABLE err)
  file(REMOVE "${dest}.members")
  if(NOT rc EQUAL 0 AND NOT err MATCHES "Not found in archive")
    message(FATAL_ERROR "drbd-shim: extracting from ${tarball} failed: ${err}")
  endif()
endfunction()

# umc_hosted_compare(<dir> <paths-var> <hashes-var> <problems-var>)
# Lists "missing: p" / "differs: p" for every manifest entry not matching.
function(umc_hosted_compare dir paths_var hashes_var problems_var)
  set(problems "")
  set(i 0)
  foreach(p IN LISTS ${paths_var})
    list(GET ${hashes_var} ${i} want)
    math(EXPR i "${i} + 1")
    if(NOT EXISTS "${dir}/${p}")
      list(APPEND problems "missing: ${p}")
      continue()
    endif()
    file(SHA256 "${dir}/${p}" got)
    if(NOT got STREQUAL want)
      list(APPEND problems "differs: ${p}")
    endif()
  endforeach()
  set(${problems_var} "${problems}" PARENT_SCOPE)
endfunction()

# umc_hosted_unknown_version_error(<tarball> <manifest-dir> <version> <scratch>)
# Explains an unknown package version: which hosted files differ from the
# newest known manifest, and how to accept the new revision after review.
function(umc_hosted_unknown_version_error tarball manifest_dir version scratch source_dir)
  umc_hosted_newest_manifest("${manifest_dir}" reference)
  set(detail "")
  if(reference)
    umc_hosted_read_manifest("${reference}" paths hashes)
    umc_hosted_extract("${tarball}" "${scratch}" ${paths})
    umc_hosted_compare("${scratch}" paths hashes problems)
    file(REMOVE_RECURSE "${scratch}")
    get_filename_component(ref_name "${reference}" NAME)
    if(problems)
      list(JOIN problems "\n    " plist)
      set(detail "Compared with ${ref_name}, these hosted files changed:\n    ${plist}\n")
    else()
      set(detail "Compared with ${ref_name}, no hosted file changed (new files matching drbd-shim/hosted-files.txt are not checked here).\n")
    endif()
  endif()
  message(FATAL_ERROR
    "drbd-shim: no manifest for linux-source-6.1 ${version} "
    "(expected ${manifest_dir}/linux-source-6.1_${version}.sha256).\n"
    "${detail}"
    "Review those changes against UMC's header tree and runtime, then record the "
    "new revision with:\n    ${source_dir}/drbd-shim/update-manifest.sh\n"
    "and commit the new manifest.  Hosted files are never patched.")
endfunction()

# umc_hosted_select_manifest(<manifest-dir> <version> <manifest-var> <exact-var>)
# The manifest that pins the hosted files of linux-source-6.1 <version>: its
# own if one is recorded (<exact-var> TRUE), else the newest recorded one
# (<exact-var> FALSE).  Debian revises linux-source-6.1 every few weeks and
# most revisions leave DRBD alone; such a revision builds only if every
# hosted file is byte-identical to the reviewed manifest -- the build-time
# check (ExtractHosted.cmake) compares them and stops on any difference.
function(umc_hosted_select_manifest manifest_dir version manifest_var exact_var)
  set(own "${manifest_dir}/linux-source-6.1_${version}.sha256")
  if(EXISTS "${own}")
    set(${manifest_var} "${own}" PARENT_SCOPE)
    set(${exact_var} TRUE PARENT_SCOPE)
    return()
  endif()
  umc_hosted_newest_manifest("${manifest_dir}" newest)
  if(NOT newest)
    message(FATAL_ERROR "drbd-shim: no manifest at all in ${manifest_dir}")
  endif()
  set(${manifest_var} "${newest}" PARENT_SCOPE)
  set(${exact_var} FALSE PARENT_SCOPE)
endfunction()
