/*
 * umc/rcu.h - read-copy-update with real grace periods (liburcu, "memb"
 * flavor: readers are two thread-local increments plus a compiler barrier,
 * grace periods use membarrier(2)).
 *
 * Every thread that may read under RCU is registered: kthreads and
 * workqueue workers at creation, any other thread when its task is attached
 * (the first umc_rcu_read_lock() attaches one).  Readers must not sleep;
 * read sections nest.  rcu_dereference / rcu_assign_pointer are the kernel
 * side's (READ_ONCE + acquire, smp_store_release).
 */
#ifndef UMC_WALL_RCU_H
#define UMC_WALL_RCU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The two words of the kernel's struct callback_head / rcu_head; the
 * runtime owns them from umc_call_rcu() until the callback runs.  The
 * kernel side's struct rcu_head must have this layout (two pointers). */
struct umc_rcu_head {
	struct umc_rcu_head *next;
	void (*func)(struct umc_rcu_head *head);
};

void umc_rcu_read_lock(void);
void umc_rcu_read_unlock(void);

/* synchronize_rcu(): returns after every read section that had begun
 * before the call has ended.  Sleeps; never inside a read section. */
void umc_synchronize_rcu(void);

/* call_rcu(): run func(head) after a grace period on the runtime's RCU
 * thread (a kthread, "rcu_cb").  Never fails, never sleeps. */
void umc_call_rcu(struct umc_rcu_head *head, void (*func)(struct umc_rcu_head *head));

/* Headless kvfree_rcu(ptr): free `ptr` (from umc/mem.h kmalloc or vmalloc
 * families) after a grace period.  May sleep (as in the kernel). */
void umc_kvfree_rcu(void *ptr);

/* rcu_barrier(): wait until every callback queued before the call ran. */
void umc_rcu_barrier(void);

/* rcu_read_lock_held() approximation: true while the caller is inside a
 * read section entered through this API. */
bool umc_rcu_read_lock_held(void);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_RCU_H */
