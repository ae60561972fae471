/* Timers: the runtime's alarm engine runs expired callbacks on its softirq
 * thread (umc/timer.h).  del_timer_sync waits for a running callback. */
#ifndef _LINUX_TIMER_H
#define _LINUX_TIMER_H

#include <linux/types.h>
#include <linux/list.h>
#include <linux/jiffies.h>
#include <linux/container_of.h>
#include <umc/timer.h>

struct timer_list {
	struct hlist_node entry;
	unsigned long expires;
	void (*function)(struct timer_list *);
	u32 flags;
};

#define TIMER_DEFERRABLE 0x00080000
#define TIMER_PINNED 0x00100000
#define TIMER_IRQSAFE 0x00200000

#define from_timer(var, callback_timer, timer_fieldname) \
	container_of(callback_timer, typeof(*var), timer_fieldname)

static inline void timer_setup(struct timer_list *timer, void (*callback)(struct timer_list *), unsigned int flags)
{
	INIT_HLIST_NODE(&timer->entry);
	timer->expires = 0;
	timer->function = callback;
	timer->flags = flags;
}
#define DEFINE_TIMER(_name, _function) \
	struct timer_list _name = { .entry = { NULL, NULL }, .function = (_function) }

/* The runtime calls back with the timer; we dispatch to its function. */
void __umc_timer_fire(void *timer);

/* (Re)arms to fire at jiffy @expires; returns 1 if it was pending. */
static inline int mod_timer(struct timer_list *timer, unsigned long expires)
{
	timer->expires = expires;
	return umc_timer_mod(timer, expires, __umc_timer_fire);
}
static inline void add_timer(struct timer_list *timer) { mod_timer(timer, timer->expires); }
static inline int timer_pending(const struct timer_list *timer) { return umc_timer_pending(timer); }
static inline int del_timer(struct timer_list *timer) { return umc_timer_del(timer); }
static inline int del_timer_sync(struct timer_list *timer) { return umc_timer_del_sync(timer); }
#define timer_delete(t) del_timer(t)
#define timer_delete_sync(t) del_timer_sync(t)
#define timer_shutdown_sync(t) del_timer_sync(t)
static inline int timer_reduce(struct timer_list *timer, unsigned long expires)
{
	if (timer_pending(timer) && !time_before(expires, timer->expires))
		return 1;
	return mod_timer(timer, expires);
}
#define destroy_timer_on_stack(t) do { } while (0)
#define timer_setup_on_stack(t, cb, fl) timer_setup(t, cb, fl)

#endif
