#!/usr/bin/env bash
# `tools/umc package`: CPack builds build/<preset>/package/umc_<version>_amd64.deb
# with the installed node's files under /usr/local (and /etc/umc/umcd.conf,
# a conffile), the unit naming /usr/local/sbin/umcd, and Depends derived by
# dpkg-shlibdeps from what umcd and the wrappers link, plus drbd-utils and
# fuse3.  apt-get resolves its dependencies on this machine (--simulate:
# installing it would replace what other users of the machine run).
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/install_lib.sh"
requires dpkg-deb --version
requires dpkg-shlibdeps --version
requires cpack --version

rm -f "$UMC_BUILD"/package/umc_*.deb
"$UMC_CLI" package --preset "$INSTALL_PRESET" >"$TEST_TMP/package.out" 2>&1 ||
  { cat "$TEST_TMP/package.out"; fail "tools/umc package"; }
deb=$(ls "$UMC_BUILD"/package/umc_*.deb)
info "built $deb"

dpkg-deb -c "$deb" | awk '{print $6}' | sed 's|/$||' >"$TEST_TMP/contents"
for f in ./usr/local/sbin/umcd ./usr/local/sbin/umc ./usr/local/sbin/drbdadm ./usr/local/sbin/drbdsetup \
         ./usr/local/sbin/drbdmeta ./usr/local/lib/umc/libumc-preload.so ./usr/local/lib/umc/common.sh \
         ./usr/local/lib/systemd/system/umcd@.service ./usr/local/share/man/man8/umcd.8 \
         ./usr/local/share/man/man5/umcd.conf.5 ./usr/local/share/man/man8/umc.8 ./etc/umc/umcd.conf; do
  grep -qx -- "$f" "$TEST_TMP/contents" || { cat "$TEST_TMP/contents"; fail "the package lacks $f"; }
done
! grep -q '^\./usr/sbin/drbd\|^\./sbin/' "$TEST_TMP/contents" || fail "the package would replace drbd-utils' files"

dpkg-deb -I "$deb" >"$TEST_TMP/info"
cat "$TEST_TMP/info"
depends=$(dpkg-deb -f "$deb" Depends)
for d in drbd-utils fuse3 libfuse3-3 liburing2 libc6 libssl3; do
  case ", $depends," in *", $d"[\ ,]*) ;; *) fail "Depends lacks $d: $depends" ;; esac
done
expect_eq "$(dpkg-deb -f "$deb" Package)" umc "package name"
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/umc/umcd.conf || fail "/etc/umc/umcd.conf is no conffile"

dpkg-deb -x "$deb" "$TEST_TMP/x"
grep -qx 'ExecStart=/usr/local/sbin/umcd -f -c /etc/umc/%i.conf' "$TEST_TMP/x/usr/local/lib/systemd/system/umcd@.service" ||
  fail "the packaged unit does not run /usr/local/sbin/umcd"

if [ "$(id -u)" -eq 0 ] && apt-get --version >/dev/null 2>&1; then
  info "apt-get resolves its dependencies (simulated)"
  apt-get install --simulate --no-install-recommends "$deb" >"$TEST_TMP/apt.out" 2>&1 ||
    { cat "$TEST_TMP/apt.out"; fail "apt-get install --simulate $deb"; }
  grep -q "^Inst umc " "$TEST_TMP/apt.out" || { cat "$TEST_TMP/apt.out"; fail "apt-get would not install umc"; }
fi
