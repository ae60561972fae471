/* refcount_t: an atomic counter that never wraps.  Like the kernel's, it
 * saturates (and warns) instead of overflowing or going below zero, so a
 * refcounting bug leaks an object rather than freeing it while in use.
 * Increment is unordered; decrement-and-test is release + acquire on zero. */
#ifndef _LINUX_REFCOUNT_H
#define _LINUX_REFCOUNT_H

#include <linux/atomic.h>
#include <linux/bug.h>
#include <linux/limits.h>

typedef struct refcount_struct {
	atomic_t refs;
} refcount_t;

#define REFCOUNT_INIT(n) { .refs = ATOMIC_INIT(n), }
#define REFCOUNT_MAX INT_MAX
#define REFCOUNT_SATURATED (INT_MIN / 2)

static inline void refcount_set(refcount_t *r, int n) { atomic_set(&r->refs, n); }
static inline unsigned int refcount_read(const refcount_t *r) { return atomic_read(&r->refs); }

static inline void __umc_refcount_saturate(refcount_t *r, const char *what)
{
	atomic_set(&r->refs, REFCOUNT_SATURATED);
	WARN(1, "refcount_t: %s; use-after-free.\n", what);
}
static inline bool __must_check refcount_add_not_zero(int i, refcount_t *r)
{
	int old = refcount_read(r);
	do {
		if (!old)
			break;
	} while (!atomic_try_cmpxchg(&r->refs, &old, old + i));
	if (unlikely(old < 0 || old + i < 0))
		__umc_refcount_saturate(r, "saturated");
	return old;
}
static inline bool __must_check refcount_inc_not_zero(refcount_t *r) { return refcount_add_not_zero(1, r); }
static inline void refcount_add(int i, refcount_t *r)
{
	int old = __atomic_fetch_add(&r->refs.counter, i, __ATOMIC_RELAXED);
	if (unlikely(!old))
		__umc_refcount_saturate(r, "addition on 0");
	else if (unlikely(old < 0 || old + i < 0))
		__umc_refcount_saturate(r, "saturated");
}
static inline void refcount_inc(refcount_t *r) { refcount_add(1, r); }
static inline bool __must_check refcount_sub_and_test(int i, refcount_t *r)
{
	/* acq_rel rather than release + acquire fence on the last put: the
	 * same ordering (one lock xadd on x86), and visible to TSan. */
	int old = __atomic_fetch_sub(&r->refs.counter, i, __ATOMIC_ACQ_REL);
	if (old == i)
		return true;
	if (unlikely(old < 0 || old - i < 0))
		__umc_refcount_saturate(r, "underflow");
	return false;
}
static inline bool __must_check refcount_dec_and_test(refcount_t *r) { return refcount_sub_and_test(1, r); }
static inline void refcount_dec(refcount_t *r)
{
	if (unlikely(__atomic_sub_fetch(&r->refs.counter, 1, __ATOMIC_RELEASE) <= 0))
		__umc_refcount_saturate(r, "decrement hit 0");
}

#endif
