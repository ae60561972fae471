/* cmpxchg/xchg on any naturally aligned 1-8 byte object.  Both are fully
 * ordered (sequentially consistent) like every value-returning kernel RMW;
 * cmpxchg evaluates to the value found, whether or not it swapped. */
#ifndef _LINUX_CMPXCHG_H
#define _LINUX_CMPXCHG_H
#include <linux/compiler.h>

#define __umc_cmpxchg(ptr, old, new, order) ({                                    \
	__typeof__(*(ptr)) __cx_old = (old);                                      \
	__atomic_compare_exchange_n((ptr), &__cx_old, (new), false, (order), (order) == __ATOMIC_RELEASE ? __ATOMIC_RELAXED : (order) == __ATOMIC_ACQ_REL ? __ATOMIC_ACQUIRE : (order)); \
	__cx_old; })
#define cmpxchg(ptr, old, new) __umc_cmpxchg(ptr, old, new, __ATOMIC_SEQ_CST)
#define cmpxchg_relaxed(ptr, old, new) __umc_cmpxchg(ptr, old, new, __ATOMIC_RELAXED)
#define cmpxchg_acquire(ptr, old, new) __umc_cmpxchg(ptr, old, new, __ATOMIC_ACQUIRE)
#define cmpxchg_release(ptr, old, new) __umc_cmpxchg(ptr, old, new, __ATOMIC_RELEASE)
#define cmpxchg64(ptr, old, new) cmpxchg(ptr, old, new)
#define cmpxchg_local(ptr, old, new) cmpxchg(ptr, old, new)
#define try_cmpxchg(ptr, oldp, new) \
	__atomic_compare_exchange_n((ptr), (oldp), (new), false, __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)
#define xchg(ptr, v) __atomic_exchange_n((ptr), (v), __ATOMIC_SEQ_CST)
#define xchg_relaxed(ptr, v) __atomic_exchange_n((ptr), (v), __ATOMIC_RELAXED)
#endif
