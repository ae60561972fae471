/* Plain-C probes of generic netlink: a family, its requests, dumps and
 * multicast, on the real umc runtime, for genetlink_test.cpp. */
#ifndef TESTS_UMC_KERNEL_GENETLINK_DRIVER_H
#define TESTS_UMC_KERNEL_GENETLINK_DRIVER_H

#ifdef __cplusplus
extern "C" {
#endif

/* Generic netlink core with a test family ("ksdtest", version 3, hdrsize
 * 4, one "events" group): GETFAMILY, doit with attributes, dump in two
 * batches + NLMSG_DONE, unknown command, missing permission, multicast.
 * 0 = ok, else the failing step. */
int ksd_genl_family(void);

#ifdef __cplusplus
}
#endif
#endif
