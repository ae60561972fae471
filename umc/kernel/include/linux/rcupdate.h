/* RCU with real grace periods (the runtime's umc/rcu.h, liburcu behind it).
 *
 * Publication and reading use C11 orderings instead of the kernel's
 * address-dependency tricks: rcu_assign_pointer is a release store and
 * rcu_dereference a consume (= acquire in GCC) load.  That is at least as
 * strong as the kernel's guarantee and keeps ThreadSanitizer informed. */
#ifndef _LINUX_RCUPDATE_H
#define _LINUX_RCUPDATE_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/kernel.h>
#include <linux/atomic.h>
#include <linux/bug.h>
#include <asm/barrier.h>
#include <umc/rcu.h>

static inline void rcu_read_lock(void) { umc_rcu_read_lock(); }
static inline void rcu_read_unlock(void) { umc_rcu_read_unlock(); }
/* Softirq- and sched-flavoured read sections are plain read sections here. */
static inline void rcu_read_lock_bh(void) { umc_rcu_read_lock(); }
static inline void rcu_read_unlock_bh(void) { umc_rcu_read_unlock(); }
static inline void rcu_read_lock_sched(void) { umc_rcu_read_lock(); }
static inline void rcu_read_unlock_sched(void) { umc_rcu_read_unlock(); }
static inline int rcu_read_lock_held(void) { return umc_rcu_read_lock_held(); }
static inline int rcu_read_lock_bh_held(void) { return umc_rcu_read_lock_held(); }

static inline void synchronize_rcu(void) { umc_synchronize_rcu(); }
static inline void synchronize_rcu_expedited(void) { umc_synchronize_rcu(); }
static inline void synchronize_net(void) { umc_synchronize_rcu(); }
static inline void rcu_barrier(void) { umc_rcu_barrier(); }

/* struct callback_head (linux/types.h) has umc_rcu_head's layout. */
static inline void call_rcu(struct rcu_head *head, rcu_callback_t func)
{
	_Static_assert(sizeof(struct rcu_head) == sizeof(struct umc_rcu_head), "rcu_head layout");
	umc_call_rcu((struct umc_rcu_head *)head, (void (*)(struct umc_rcu_head *))func);
}

/* kfree_rcu(ptr, rhf) / kvfree_rcu(ptr[, rhf]): free the object after a
 * grace period.  The runtime frees by pointer, so the embedded rcu_head is
 * not needed (the kernel uses it only to avoid allocating). */
#define kvfree_rcu(ptr, ...) umc_kvfree_rcu((void *)(ptr))
#define kfree_rcu(ptr, ...) umc_kvfree_rcu((void *)(ptr))
#define kfree_rcu_mightsleep(ptr) umc_kvfree_rcu((void *)(ptr))

#define RCU_INITIALIZER(v) (typeof(*(v)) __force __rcu *)(v)
#define rcu_assign_pointer(p, v) __atomic_store_n(&(p), (typeof(p))(v), __ATOMIC_RELEASE)
#define RCU_INIT_POINTER(p, v) WRITE_ONCE(p, RCU_INITIALIZER(v))
#define rcu_replace_pointer(rcu_ptr, ptr, c) ({                  \
	typeof(ptr) __tmp = rcu_dereference_protected((rcu_ptr), (c)); \
	rcu_assign_pointer((rcu_ptr), (ptr));                    \
	__tmp; })
#define rcu_dereference_raw(p) __atomic_load_n(&(p), __ATOMIC_CONSUME)
#define rcu_dereference_check(p, c) rcu_dereference_raw(p)
#define rcu_dereference(p) rcu_dereference_raw(p)
#define rcu_dereference_bh(p) rcu_dereference_raw(p)
#define rcu_dereference_sched(p) rcu_dereference_raw(p)
#define rcu_dereference_bh_check(p, c) rcu_dereference_raw(p)
/* The caller holds the update-side lock: no ordering needed. */
#define rcu_dereference_protected(p, c) (p)
#define rcu_access_pointer(p) READ_ONCE(p)
#define rcu_pointer_handoff(p) (p)
#define rcu_head_init(rhp) do { (rhp)->func = NULL; } while (0)

#define rcu_sleep_check() do { } while (0)
#define cond_resched_rcu() do { } while (0)

#endif
