/* Entry points of the DRBD wire fuzzer's kernel side (plain C). */
#ifndef NET_FUZZ_DRIVER_H
#define NET_FUZZ_DRIVER_H
#include <umc/kernel_host.h>

#ifdef __cplusplus
extern "C" {
#endif
/* umc_kernel_prepare, umc_module_init ...: the host interface. */
/* Resource "fz", minor 0 attached to @backing (internal meta-data), then
 * connect 127.0.0.1:@my_port -> 127.0.0.1:@peer_port, protocol C, short
 * timers.  Returns the connect's ret_code (1 = SS_SUCCESS; the state
 * change's), another DRBD ret_code of a failing step, or -errno. */
int nf_setup(unsigned short my_port, unsigned short peer_port, const char *backing);
/* DRBD_ADM_CONNECT again (after DRBD went StandAlone); 1 = SS_SUCCESS. */
int nf_connect(void);
/* Whether /proc/drbd contains @text (1/0), -1 if it cannot be rendered. */
int nf_proc_contains(const char *text);
/* /proc/drbd into @buf (NUL-terminated, truncated). */
int nf_proc_copy(char *buf, unsigned long cap);
#ifdef __cplusplus
}
#endif
#endif
