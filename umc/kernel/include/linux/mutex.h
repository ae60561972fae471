/* Sleeping mutexes (futex word + owner, see umc/kernel/kernel/locking/mutex.c). */
#ifndef _LINUX_MUTEX_H
#define _LINUX_MUTEX_H

#include <linux/types.h>
#include <linux/lockdep.h>
#include <linux/spinlock.h>

struct task_struct;

struct mutex {
	u32 word;                   /* 0 free, 1 locked, 2 locked with waiters */
	struct task_struct *owner;  /* for mutex_is_locked and debugging */
};

#define __MUTEX_INITIALIZER(lockname) { .word = 0, .owner = NULL }
#define DEFINE_MUTEX(mutexname) struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)
#define mutex_init(mutex) do { (mutex)->word = 0; (mutex)->owner = NULL; } while (0)
static inline void mutex_destroy(struct mutex *lock) { (void)lock; }

void mutex_lock(struct mutex *lock);
/* mutex_lock_interruptible/killable are not provided yet: DRBD does not
 * use them, and they need a signal-aware wait (a wait queue), not a futex. */
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);
bool mutex_is_locked(struct mutex *lock);
#define mutex_lock_nested(lock, subclass) mutex_lock(lock)

#endif
