/* Entry points of the genetlink fuzzer's kernel side (plain C). */
#ifndef GENL_FUZZ_DRIVER_H
#define GENL_FUZZ_DRIVER_H
#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif
/* umc_kernel_prepare, umc_module_init ...: the host interface. */
/* Feed one buffer to umc_genl_rcv(); replies are checked (BUG() if bad). */
int fz_rcv(const void *data, unsigned long len);
/* Seed message `which` (0 GETFAMILY drbd, 1 GET_STATUS dump, 2
 * NEW_RESOURCE) into buf; returns its length, 0 past the last. */
unsigned long fz_seed(int which, void *buf, unsigned long cap);
#ifdef __cplusplus
}
#endif
#endif
