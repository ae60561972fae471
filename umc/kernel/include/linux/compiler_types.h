/* Sparse annotations (no-ops for GCC), inline spellings and type helpers. */
#ifndef _LINUX_COMPILER_TYPES_H
#define _LINUX_COMPILER_TYPES_H

#include <linux/compiler_attributes.h>

/* sparse address spaces and lock-context annotations: documentation only */
#define __user
#define __kernel
#define __iomem
#define __percpu
#define __rcu
#define __private
#define __force
#define __nocast
#define __safe
#define __bitwise
#define __must_hold(x)
#define __acquires(x)
#define __releases(x)
#define __acquire(x) (void)0
#define __release(x) (void)0
#define __cond_lock(x, c) (c)
#define ACCESS_PRIVATE(p, member) ((p)->member)

#define notrace
#define __naked __attribute__((__naked__)) notrace
#define inline inline __attribute__((__gnu_inline__)) __attribute__((__unused__))
#define __inline__ inline
#define __inline inline
#define noinline_for_stack noinline
#define __no_kcsan
#define __no_sanitize_or_inline __always_inline
#define __latent_entropy
#define __randomize_layout
#define __no_randomize_layout
#define randomized_struct_fields_start
#define randomized_struct_fields_end

#define ___PASTE(a, b) a##b
#define __PASTE(a, b) ___PASTE(a, b)
#define ___UNIQUE_ID(prefix, n) __PASTE(__PASTE(__UNIQUE_ID_, prefix), n)
#define __UNIQUE_ID(prefix) ___UNIQUE_ID(prefix, __COUNTER__)

#define __same_type(a, b) __builtin_types_compatible_p(typeof(a), typeof(b))

/* True for the integral/pointer types READ_ONCE/WRITE_ONCE may tear-free access. */
#define __native_word(t) \
	(sizeof(t) == sizeof(char) || sizeof(t) == sizeof(short) || \
	 sizeof(t) == sizeof(int) || sizeof(t) == sizeof(long))

/* typeof that drops qualifiers (const/volatile) of scalar types. */
#define __unqual_scalar_typeof(x) typeof(_Generic((x),                            \
	char: (char)0, unsigned char: (unsigned char)0, signed char: (signed char)0, \
	unsigned short: (unsigned short)0, signed short: (signed short)0,            \
	unsigned int: (unsigned int)0, signed int: (signed int)0,                    \
	unsigned long: (unsigned long)0, signed long: (signed long)0,                \
	unsigned long long: (unsigned long long)0,                                   \
	signed long long: (signed long long)0, _Bool: (_Bool)0,                      \
	default: (x)))

#define compiletime_assert(condition, msg) _Static_assert(condition, msg)
#define compiletime_assert_atomic_type(t) \
	compiletime_assert(__native_word(t), "Need native word sized stores/loads for atomicity.")

#endif
