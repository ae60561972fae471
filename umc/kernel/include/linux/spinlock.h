/* Spinlocks and rwlocks (sleeping futex locks underneath, see
 * spinlock_types.h).  The _irq/_irqsave/_bh variants are the plain lock:
 * there is no interrupt context to exclude (linux/irqflags.h).  Lock and
 * unlock are acquire and release barriers. */
#ifndef _LINUX_SPINLOCK_H
#define _LINUX_SPINLOCK_H

#include <linux/compiler.h>
#include <linux/types.h>
#include <linux/spinlock_types.h>
#include <linux/irqflags.h>
#include <linux/preempt.h>
#include <linux/lockdep.h>
#include <linux/bottom_half.h>
#include <linux/atomic.h>
#include <linux/kernel.h>

void __umc_lock_word_slow(u32 *word);
void __umc_unlock_word_slow(u32 *word);

static __always_inline void __umc_lock_word(u32 *word)
{
	u32 expected = 0;
	if (likely(__atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED)))
		return;
	__umc_lock_word_slow(word);
}
static __always_inline bool __umc_trylock_word(u32 *word)
{
	u32 expected = 0;
	return __atomic_compare_exchange_n(word, &expected, 1, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}
static __always_inline void __umc_unlock_word(u32 *word)
{
	if (unlikely(__atomic_exchange_n(word, 0, __ATOMIC_RELEASE) == 2))
		__umc_unlock_word_slow(word);
}

#define spin_lock_init(lock) do { (lock)->word = 0; } while (0)
#define raw_spin_lock_init(lock) spin_lock_init(lock)
static __always_inline void spin_lock(spinlock_t *lock) { __umc_lock_word(&lock->word); }
static __always_inline void spin_unlock(spinlock_t *lock) { __umc_unlock_word(&lock->word); }
static __always_inline int spin_trylock(spinlock_t *lock) { return __umc_trylock_word(&lock->word); }
static __always_inline void spin_lock_bh(spinlock_t *lock) { spin_lock(lock); }
static __always_inline void spin_unlock_bh(spinlock_t *lock) { spin_unlock(lock); }
static __always_inline void spin_lock_irq(spinlock_t *lock) { spin_lock(lock); }
static __always_inline void spin_unlock_irq(spinlock_t *lock) { spin_unlock(lock); }
#define spin_lock_irqsave(lock, flags) do { local_irq_save(flags); spin_lock(lock); } while (0)
#define spin_unlock_irqrestore(lock, flags) do { spin_unlock(lock); local_irq_restore(flags); } while (0)
#define spin_trylock_irqsave(lock, flags) ({ local_irq_save(flags); spin_trylock(lock); })
#define spin_lock_nested(lock, subclass) spin_lock(lock)
#define spin_lock_irqsave_nested(lock, flags, subclass) spin_lock_irqsave(lock, flags)
static inline int spin_is_locked(spinlock_t *lock) { return __atomic_load_n(&lock->word, __ATOMIC_RELAXED) != 0; }
#define assert_spin_locked(lock) BUG_ON(!spin_is_locked(lock))
#define raw_spin_lock(l) spin_lock(l)
#define raw_spin_unlock(l) spin_unlock(l)
#define raw_spin_lock_irqsave(l, f) spin_lock_irqsave(l, f)
#define raw_spin_unlock_irqrestore(l, f) spin_unlock_irqrestore(l, f)

void read_lock(rwlock_t *lock);
void read_unlock(rwlock_t *lock);
void write_lock(rwlock_t *lock);
void write_unlock(rwlock_t *lock);
#define rwlock_init(lock) do { (lock)->state = 0; (lock)->wait_seq = 0; } while (0)
#define read_lock_bh(l) read_lock(l)
#define read_unlock_bh(l) read_unlock(l)
#define write_lock_bh(l) write_lock(l)
#define write_unlock_bh(l) write_unlock(l)
#define read_lock_irq(l) read_lock(l)
#define read_unlock_irq(l) read_unlock(l)
#define write_lock_irq(l) write_lock(l)
#define write_unlock_irq(l) write_unlock(l)
#define read_lock_irqsave(l, f) do { local_irq_save(f); read_lock(l); } while (0)
#define read_unlock_irqrestore(l, f) do { read_unlock(l); local_irq_restore(f); } while (0)
#define write_lock_irqsave(l, f) do { local_irq_save(f); write_lock(l); } while (0)
#define write_unlock_irqrestore(l, f) do { write_unlock(l); local_irq_restore(f); } while (0)

/* atomic_dec_and_lock: takes @lock only if the count drops to zero. */
int _atomic_dec_and_lock(atomic_t *atomic, spinlock_t *lock);
#define atomic_dec_and_lock(atomic, lock) __cond_lock(lock, _atomic_dec_and_lock(atomic, lock))

#endif
