/*
 * umc/timer.h - kernel timers (struct timer_list) on the softirq task.
 *
 * The kernel side owns struct timer_list (expires, function, flags...); the
 * runtime keys its bookkeeping by the timer's address and keeps nothing
 * for a timer that is not pending, so timers need no destructor (as in the
 * kernel, a timer must not be freed while pending or running).
 *
 * Callbacks run one at a time on the runtime's "softirq" event task (a
 * sys_service task with a task attached, registered with RCU), never
 * earlier than the jiffy `expires` (umc_jiffies() >= expires inside the
 * callback, across the jiffies wrap).  A callback may re-arm or delete its
 * own timer and any other.
 */
#ifndef UMC_WALL_TIMER_H
#define UMC_WALL_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef void (*umc_timer_fn)(void *timer);

/* mod_timer(): (re)arm `timer` to call fn(timer) at jiffy `expires`; a
 * pending timer moves.  Returns 1 if it was pending, 0 if not.  Any
 * context, including timer callbacks. */
int umc_timer_mod(void *timer, unsigned long expires, umc_timer_fn fn);

/* timer_pending(). */
bool umc_timer_pending(const void *timer);

/* del_timer(): disarm; returns 1 if it was pending.  Does not wait for a
 * running callback.  Any context. */
int umc_timer_del(void *timer);

/* del_timer_sync(): disarm and wait until the callback is not running
 * (unless called from that very callback, where it returns at once).
 * Returns 1 if it was pending.  Process context or another timer's
 * callback. */
int umc_timer_del_sync(void *timer);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_TIMER_H */
