#ifndef _LINUX_RATELIMIT_TYPES_H
#define _LINUX_RATELIMIT_TYPES_H
#include <linux/types.h>
#include <umc/printk.h>
#define DEFAULT_RATELIMIT_INTERVAL (5 * HZ)
#define DEFAULT_RATELIMIT_BURST 10
#define RATELIMIT_MSG_ON_RELEASE UMC_RATELIMIT_MSG_ON_RELEASE
/* The runtime's state, laid out for it (umc/printk.h). */
#define ratelimit_state umc_ratelimit_state
#define RATELIMIT_STATE_INIT(name, interval_init, burst_init) UMC_RATELIMIT_INIT(interval_init, burst_init)
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init) \
	struct ratelimit_state name = RATELIMIT_STATE_INIT(name, interval_init, burst_init)
#define __ratelimit(state) umc_ratelimit(state, __func__)
#endif
