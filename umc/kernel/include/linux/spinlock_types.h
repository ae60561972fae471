#ifndef _LINUX_SPINLOCK_TYPES_H
#define _LINUX_SPINLOCK_TYPES_H
#include <linux/types.h>

/* A lock word: 0 free, 1 held, 2 held with waiters (futex protocol, see
 * umc/kernel/kernel/locking/mutex.c).  Host threads can be preempted while holding
 * a "spinlock", so waiters sleep on the word instead of spinning. */
typedef struct spinlock {
	u32 word;
} spinlock_t;
typedef spinlock_t raw_spinlock_t;

/* Readers share, a writer excludes everyone (readers may nest). */
typedef struct {
	u32 state;  /* bit 31 writer; low bits reader count */
	u32 wait_seq;
} rwlock_t;

#define __SPIN_LOCK_UNLOCKED(name) { .word = 0 }
#define DEFINE_SPINLOCK(x) spinlock_t x = __SPIN_LOCK_UNLOCKED(x)
#define DEFINE_RAW_SPINLOCK(x) DEFINE_SPINLOCK(x)
#define __RW_LOCK_UNLOCKED(name) { .state = 0, .wait_seq = 0 }
#define DEFINE_RWLOCK(x) rwlock_t x = __RW_LOCK_UNLOCKED(x)
#endif
