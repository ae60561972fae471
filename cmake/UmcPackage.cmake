# `umc package`: a Debian package of the installed node (cmake/UmcInstall.cmake)
# built by CPack: build/<preset>/package/umc_<version>_<arch>.deb.
#
# Its prefix is /usr/local, as `umc install`'s: the drbdadm/drbdsetup/drbdmeta
# wrappers must come before /usr/sbin in root's PATH, and on Debian only
# /usr/local/sbin does (a package cannot put them in /usr/sbin, which is
# drbd-utils' /sbin on a merged-/usr system, without diverting drbd-utils' own
# files).  The config goes to /etc/umc (a conffile), the unit to
# /usr/local/lib/systemd/system, which systemd searches.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME umc)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "umc developers <root@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "unmodified DRBD 8.4.11 in an ordinary process (umcd)")
set(CPACK_PACKAGE_DESCRIPTION "umcd hosts the unmodified DRBD 8.4.11 driver in a usermode Linux-kernel
runtime and serves its devices through FUSE.  Debian's drbd-utils reach it
through the drbdadm/drbdsetup/drbdmeta wrappers in /usr/local/sbin when
UMC_FS_ROOT names a umcd's tree, and stay Debian's own without it.")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
# Shared-library dependencies of umcd and the wrappers from dpkg-shlibdeps;
# the programs umc runs, by name.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "drbd-utils, fuse3")
# DESTDIR staging with the real prefix, so the install-time code (the unit's
# paths, /etc/umc) sees /usr/local, not the staging directory.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr/local)
set(CPACK_PACKAGING_INSTALL_PREFIX /usr/local)
file(WRITE ${PROJECT_BINARY_DIR}/debian/conffiles "/etc/umc/umcd.conf\n")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${PROJECT_BINARY_DIR}/debian/conffiles)
include(CPack)
