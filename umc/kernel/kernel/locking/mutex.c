// SPDX-License-Identifier: GPL-2.0
/* Spinlocks, rwlocks and mutexes on the runtime's futex words.
 *
 * Lock word protocol (Drepper, "Futexes are tricky", mutex 2):
 *   0 free, 1 held, 2 held and somebody may be waiting.  The fast paths are
 *   inline in linux/spinlock.h; a waiter marks the word 2 and sleeps on it,
 *   an unlocker that saw 2 wakes one waiter. */
#include <linux/spinlock.h>
#include <linux/mutex.h>
#include <linux/sched.h>
#include <linux/errno.h>
#include <umc/task.h>

void __umc_lock_word_slow(u32 *word)
{
	u32 c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);

	while (c != 0) {
		umc_wait_word(word, 2, 0);
		c = __atomic_exchange_n(word, 2, __ATOMIC_ACQUIRE);
	}
}

void __umc_unlock_word_slow(u32 *word)
{
	umc_wake_word(word, 1);
}

int _atomic_dec_and_lock(atomic_t *atomic, spinlock_t *lock)
{
	/* Fast path: not the last reference. */
	if (atomic_add_unless(atomic, -1, 1))
		return 0;
	spin_lock(lock);
	if (atomic_dec_and_test(atomic))
		return 1;
	spin_unlock(lock);
	return 0;
}

/* rwlock state: bit 31 = writer holds it, low bits = number of readers.
 * Waiters sleep on wait_seq, which every unlock bumps. */
#define RW_WRITER 0x80000000u

void read_lock(rwlock_t *lock)
{
	for (;;) {
		u32 s = __atomic_load_n(&lock->state, __ATOMIC_RELAXED);
		u32 seq;

		if (!(s & RW_WRITER)) {
			if (__atomic_compare_exchange_n(&lock->state, &s, s + 1, false, __ATOMIC_ACQUIRE,
							__ATOMIC_RELAXED))
				return;
			continue;
		}
		seq = __atomic_load_n(&lock->wait_seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&lock->state, __ATOMIC_RELAXED) & RW_WRITER)
			umc_wait_word(&lock->wait_seq, seq, 0);
	}
}

void write_lock(rwlock_t *lock)
{
	for (;;) {
		u32 s = 0, seq;

		if (__atomic_compare_exchange_n(&lock->state, &s, RW_WRITER, false, __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			return;
		seq = __atomic_load_n(&lock->wait_seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&lock->state, __ATOMIC_RELAXED) != 0)
			umc_wait_word(&lock->wait_seq, seq, 0);
	}
}

static void rw_wake(rwlock_t *lock)
{
	__atomic_fetch_add(&lock->wait_seq, 1, __ATOMIC_RELEASE);
	umc_wake_word(&lock->wait_seq, INT32_MAX);
}

void read_unlock(rwlock_t *lock)
{
	if (__atomic_sub_fetch(&lock->state, 1, __ATOMIC_RELEASE) == 0)
		rw_wake(lock);
}

void write_unlock(rwlock_t *lock)
{
	__atomic_store_n(&lock->state, 0, __ATOMIC_RELEASE);
	rw_wake(lock);
}

void mutex_lock(struct mutex *lock)
{
	might_sleep();
	__umc_lock_word(&lock->word);
	WRITE_ONCE(lock->owner, current);
}

int mutex_trylock(struct mutex *lock)
{
	if (!__umc_trylock_word(&lock->word))
		return 0;
	WRITE_ONCE(lock->owner, current);
	return 1;
}

void mutex_unlock(struct mutex *lock)
{
	WRITE_ONCE(lock->owner, NULL);
	__umc_unlock_word(&lock->word);
}

bool mutex_is_locked(struct mutex *lock)
{
	return __atomic_load_n(&lock->word, __ATOMIC_RELAXED) != 0;
}
