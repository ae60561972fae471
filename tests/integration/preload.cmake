# libumc-preload.so tests; included from tests/integration/CMakeLists.txt
# (after umc_shell_test is defined):  include(preload.cmake OPTIONAL)
if(TARGET umc-preload)
  # Block-device illusion + drbdmeta on real umcd nodes.
  if(TARGET umcd)
    umc_shell_test(preload_blockdev preload_blockdev.sh)
  endif()
  # Netlink redirection + version dispatch against a fake control socket.
  umc_shell_test(preload_netlink preload_netlink.sh)
  # drbdadm up/down of a resource against the same fake control socket.
  umc_shell_test(preload_drbdadm preload_drbdadm.sh)
  # All take per-minor host state (/var/lock/drbd-147-N, /var/lib/drbd,
  # /var/run/drbd): never alongside each other or other drbd-utils tests.
  set_tests_properties(preload_netlink preload_drbdadm PROPERTIES RESOURCE_LOCK drbd_host_state)
  if(TARGET umcd)
    set_tests_properties(preload_blockdev PROPERTIES RESOURCE_LOCK drbd_host_state)
  endif()
endif()
