#ifndef _LINUX_RATELIMIT_H
#define _LINUX_RATELIMIT_H
#include <linux/ratelimit_types.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
static inline void ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst)
{
	struct ratelimit_state init = UMC_RATELIMIT_INIT(interval, burst);
	*rs = init;
}
static inline void ratelimit_set_flags(struct ratelimit_state *rs, unsigned long flags) { rs->flags = flags; }
#endif
