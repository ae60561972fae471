/* Compiler barriers, branch hints and single-copy-atomic accesses.
 *
 * READ_ONCE/WRITE_ONCE are volatile accesses exactly as in the kernel: they
 * stop the compiler from tearing, fusing or re-loading, but order nothing
 * between CPUs (that is what smp_* barriers and atomics are for).  Under
 * ThreadSanitizer they are relaxed atomics instead (see below). */
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

#ifdef __SANITIZE_THREAD__
/* Under ThreadSanitizer, marked accesses are relaxed atomics: in the kernel
 * memory model (and for KCSAN) a READ_ONCE/WRITE_ONCE pair is not a data
 * race, and TSan only knows that of atomics.  Same code on x86 (plain
 * loads/stores); the volatile forms below are used otherwise.  Any type
 * of size 1/2/4/8 goes through a union, as the kernel's old READ_ONCE. */
static inline __attribute__((always_inline)) void __umc_read_once_size(const volatile void *p, void *res, int size)
{
	switch (size) {
	case 1: *(__UINT8_TYPE__ *)res = __atomic_load_n((const volatile __UINT8_TYPE__ *)p, __ATOMIC_RELAXED); break;
	case 2: *(__UINT16_TYPE__ *)res = __atomic_load_n((const volatile __UINT16_TYPE__ *)p, __ATOMIC_RELAXED); break;
	case 4: *(__UINT32_TYPE__ *)res = __atomic_load_n((const volatile __UINT32_TYPE__ *)p, __ATOMIC_RELAXED); break;
	default: *(__UINT64_TYPE__ *)res = __atomic_load_n((const volatile __UINT64_TYPE__ *)p, __ATOMIC_RELAXED); break;
	}
}
static inline __attribute__((always_inline)) void __umc_write_once_size(volatile void *p, const void *val, int size)
{
	switch (size) {
	case 1: __atomic_store_n((volatile __UINT8_TYPE__ *)p, *(const __UINT8_TYPE__ *)val, __ATOMIC_RELAXED); break;
	case 2: __atomic_store_n((volatile __UINT16_TYPE__ *)p, *(const __UINT16_TYPE__ *)val, __ATOMIC_RELAXED); break;
	case 4: __atomic_store_n((volatile __UINT32_TYPE__ *)p, *(const __UINT32_TYPE__ *)val, __ATOMIC_RELAXED); break;
	default: __atomic_store_n((volatile __UINT64_TYPE__ *)p, *(const __UINT64_TYPE__ *)val, __ATOMIC_RELAXED); break;
	}
}
#define __READ_ONCE(x)                                                            \
	({                                                                        \
		union { __unqual_scalar_typeof(x) __val; char __c[sizeof(x)]; } __u; \
		__umc_read_once_size(&(x), __u.__c, sizeof(x));                    \
		__u.__val;                                                        \
	})
#define __WRITE_ONCE(x, val)                                                      \
	do {                                                                      \
		union { typeof(x) __val; char __c[sizeof(x)]; } __u = { .__val = (val) }; \
		__umc_write_once_size(&(x), __u.__c, sizeof(x));                   \
	} while (0)
#else
#define __READ_ONCE(x) (*(const volatile __unqual_scalar_typeof(x) *)&(x))
#define __WRITE_ONCE(x, val)                                                  \
	do {                                                                  \
		*(volatile typeof(x) *)&(x) = (val);                          \
	} while (0)
#endif
#define READ_ONCE(x)                                                          \
	({                                                                    \
		compiletime_assert(__native_word(x) || sizeof(x) == sizeof(long long), \
				   "Unsupported access size for READ_ONCE().");  \
		__READ_ONCE(x);                                               \
	})
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
