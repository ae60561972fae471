/* capable(): in the kernel it checks the calling process; here the runtime
 * answers for the task serving a request (the genetlink server records the
 * peer's credentials, SO_PEERCRED). */
#ifndef _LINUX_CAPABILITY_H
#define _LINUX_CAPABILITY_H
#include <linux/types.h>
#define CAP_NET_ADMIN 12
#define CAP_SYS_ADMIN 21
#define CAP_SYS_RESOURCE 24
#include <umc/task.h>
static inline bool capable(int cap) { return umc_capable(cap); }
#endif
