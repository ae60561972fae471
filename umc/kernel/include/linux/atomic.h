/* atomic_t / atomic64_t / atomic_long_t with the kernel's ordering rules
 * (Documentation/atomic_t.txt):
 *   - plain reads/writes (atomic_read/atomic_set) are single-copy-atomic, unordered;
 *   - RMW ops without a return value (atomic_inc, atomic_add, ...) are unordered;
 *   - RMW ops that return a value (atomic_inc_return, atomic_dec_and_test,
 *     atomic_cmpxchg, atomic_xchg, atomic_fetch_*) are fully ordered;
 *   - _relaxed/_acquire/_release variants say their ordering.
 */
#ifndef _LINUX_ATOMIC_H
#define _LINUX_ATOMIC_H

#include <linux/types.h>
#include <linux/compiler.h>
#include <linux/cmpxchg.h>
#include <asm/barrier.h>

#define __UMC_RLX __ATOMIC_RELAXED
#define __UMC_SC __ATOMIC_SEQ_CST

/* Generates the family for one type: atomic (int) or atomic64 (s64). */
#define __UMC_ATOMIC_OPS(pfx, atype, ctype)                                                       \
static __always_inline ctype pfx##_read(const atype *v) { return __atomic_load_n(&v->counter, __UMC_RLX); } \
static __always_inline ctype pfx##_read_acquire(const atype *v) { return __atomic_load_n(&v->counter, __ATOMIC_ACQUIRE); } \
static __always_inline void pfx##_set(atype *v, ctype i) { __atomic_store_n(&v->counter, i, __UMC_RLX); }       \
static __always_inline void pfx##_set_release(atype *v, ctype i) { __atomic_store_n(&v->counter, i, __ATOMIC_RELEASE); } \
static __always_inline void pfx##_add(ctype i, atype *v) { __atomic_fetch_add(&v->counter, i, __UMC_RLX); }      \
static __always_inline void pfx##_sub(ctype i, atype *v) { __atomic_fetch_sub(&v->counter, i, __UMC_RLX); }      \
static __always_inline void pfx##_inc(atype *v) { __atomic_fetch_add(&v->counter, 1, __UMC_RLX); }               \
static __always_inline void pfx##_dec(atype *v) { __atomic_fetch_sub(&v->counter, 1, __UMC_RLX); }               \
static __always_inline void pfx##_and(ctype i, atype *v) { __atomic_fetch_and(&v->counter, i, __UMC_RLX); }      \
static __always_inline void pfx##_or(ctype i, atype *v) { __atomic_fetch_or(&v->counter, i, __UMC_RLX); }        \
static __always_inline void pfx##_xor(ctype i, atype *v) { __atomic_fetch_xor(&v->counter, i, __UMC_RLX); }      \
static __always_inline ctype pfx##_add_return(ctype i, atype *v) { return __atomic_add_fetch(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_sub_return(ctype i, atype *v) { return __atomic_sub_fetch(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_inc_return(atype *v) { return __atomic_add_fetch(&v->counter, 1, __UMC_SC); }  \
static __always_inline ctype pfx##_dec_return(atype *v) { return __atomic_sub_fetch(&v->counter, 1, __UMC_SC); }  \
static __always_inline ctype pfx##_add_return_relaxed(ctype i, atype *v) { return __atomic_add_fetch(&v->counter, i, __UMC_RLX); } \
static __always_inline ctype pfx##_inc_return_relaxed(atype *v) { return __atomic_add_fetch(&v->counter, 1, __UMC_RLX); } \
static __always_inline ctype pfx##_fetch_add(ctype i, atype *v) { return __atomic_fetch_add(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_fetch_sub(ctype i, atype *v) { return __atomic_fetch_sub(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_fetch_inc(atype *v) { return __atomic_fetch_add(&v->counter, 1, __UMC_SC); }   \
static __always_inline ctype pfx##_fetch_dec(atype *v) { return __atomic_fetch_sub(&v->counter, 1, __UMC_SC); }   \
static __always_inline ctype pfx##_fetch_and(ctype i, atype *v) { return __atomic_fetch_and(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_fetch_or(ctype i, atype *v) { return __atomic_fetch_or(&v->counter, i, __UMC_SC); } \
static __always_inline ctype pfx##_fetch_andnot(ctype i, atype *v) { return __atomic_fetch_and(&v->counter, ~i, __UMC_SC); } \
static __always_inline void pfx##_andnot(ctype i, atype *v) { __atomic_fetch_and(&v->counter, ~i, __UMC_RLX); }   \
static __always_inline bool pfx##_sub_and_test(ctype i, atype *v) { return __atomic_sub_fetch(&v->counter, i, __UMC_SC) == 0; } \
static __always_inline bool pfx##_dec_and_test(atype *v) { return __atomic_sub_fetch(&v->counter, 1, __UMC_SC) == 0; } \
static __always_inline bool pfx##_inc_and_test(atype *v) { return __atomic_add_fetch(&v->counter, 1, __UMC_SC) == 0; } \
static __always_inline bool pfx##_add_negative(ctype i, atype *v) { return __atomic_add_fetch(&v->counter, i, __UMC_SC) < 0; } \
static __always_inline ctype pfx##_xchg(atype *v, ctype n) { return __atomic_exchange_n(&v->counter, n, __UMC_SC); } \
static __always_inline ctype pfx##_cmpxchg(atype *v, ctype o, ctype n)                                            \
{ __atomic_compare_exchange_n(&v->counter, &o, n, false, __UMC_SC, __UMC_SC); return o; }                          \
static __always_inline bool pfx##_try_cmpxchg(atype *v, ctype *o, ctype n)                                        \
{ return __atomic_compare_exchange_n(&v->counter, o, n, false, __UMC_SC, __UMC_SC); }                              \
/* Adds a to v unless v == u; returns the old value. */                                                          \
static __always_inline ctype pfx##_fetch_add_unless(atype *v, ctype a, ctype u)                                   \
{                                                                                                                 \
	ctype c = pfx##_read(v);                                                                                  \
	do {                                                                                                      \
		if (unlikely(c == u))                                                                             \
			break;                                                                                    \
	} while (!pfx##_try_cmpxchg(v, &c, c + a));                                                               \
	return c;                                                                                                 \
}                                                                                                                 \
static __always_inline bool pfx##_add_unless(atype *v, ctype a, ctype u) { return pfx##_fetch_add_unless(v, a, u) != u; } \
static __always_inline bool pfx##_inc_not_zero(atype *v) { return pfx##_add_unless(v, 1, 0); }                    \
/* Decrements v only if the result stays >= 0; returns old value - 1 either way. */                              \
static __always_inline ctype pfx##_dec_if_positive(atype *v)                                                      \
{                                                                                                                 \
	ctype c = pfx##_read(v), d;                                                                               \
	do {                                                                                                      \
		d = c - 1;                                                                                        \
		if (unlikely(d < 0))                                                                              \
			break;                                                                                    \
	} while (!pfx##_try_cmpxchg(v, &c, d));                                                                   \
	return d;                                                                                                 \
}

__UMC_ATOMIC_OPS(atomic, atomic_t, int)
__UMC_ATOMIC_OPS(atomic64, atomic64_t, s64)
__UMC_ATOMIC_OPS(atomic_long, atomic_long_t, long)

#define atomic_cond_read_acquire(v, c) smp_cond_load_acquire(&(v)->counter, (c))
#define smp_cond_load_acquire(ptr, cond_expr) ({                    \
	typeof(ptr) __PTR = (ptr);                                  \
	__unqual_scalar_typeof(*ptr) VAL;                           \
	for (;;) {                                                  \
		VAL = __atomic_load_n(__PTR, __ATOMIC_ACQUIRE);     \
		if (cond_expr)                                      \
			break;                                      \
		cpu_relax();                                        \
	}                                                           \
	(typeof(*ptr))VAL; })

#endif
