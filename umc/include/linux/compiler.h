/* Compiler barriers, branch hints and single-copy-atomic accesses.
 *
 * READ_ONCE/WRITE_ONCE are volatile accesses exactly as in the kernel: they
 * stop the compiler from tearing, fusing or re-loading, but order nothing
 * between CPUs (that is what smp_* barriers and atomics are for). */
#ifndef _LINUX_COMPILER_H
#define _LINUX_COMPILER_H

#include <linux/compiler_types.h>

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)
#define likely_notrace(x) likely(x)
#define unlikely_notrace(x) unlikely(x)

#define barrier() __asm__ __volatile__("" : : : "memory")
#define barrier_data(ptr) __asm__ __volatile__("" : : "r"(ptr) : "memory")
#define unreachable() __builtin_unreachable()

#define __READ_ONCE(x) (*(const volatile __unqual_scalar_typeof(x) *)&(x))
#define READ_ONCE(x)                                                          \
	({                                                                    \
		compiletime_assert(__native_word(x) || sizeof(x) == sizeof(long long), \
				   "Unsupported access size for READ_ONCE().");  \
		__READ_ONCE(x);                                               \
	})
#define __WRITE_ONCE(x, val)                                                  \
	do {                                                                  \
		*(volatile typeof(x) *)&(x) = (val);                          \
	} while (0)
#define WRITE_ONCE(x, val)                                                    \
	do {                                                                  \
		compiletime_assert(__native_word(x) || sizeof(x) == sizeof(long long), \
				   "Unsupported access size for WRITE_ONCE().");  \
		__WRITE_ONCE(x, val);                                         \
	} while (0)

#define data_race(expr) ({ __unqual_scalar_typeof(({ expr; })) __v = ({ expr; }); __v; })

/* Nonzero (a compile error) if @a is not an array. */
#define __must_be_array(a) BUILD_BUG_ON_ZERO(__same_type((a), &(a)[0]))

#define OPTIMIZER_HIDE_VAR(var) __asm__("" : "=r"(var) : "0"(var))
#define RELOC_HIDE(ptr, off) ({ unsigned long __ptr; __ptr = (unsigned long)(ptr); (typeof(ptr))(__ptr + (off)); })
#define absolute_pointer(val) RELOC_HIDE((void *)(val), 0)

#define __ADDRESSABLE(sym)
#define is_signed_type(type) (((type)(-1)) < (type)1)
#define is_unsigned_type(type) (!is_signed_type(type))

#include <linux/build_bug.h>

#endif
