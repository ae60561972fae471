/* Bit operations on arrays of unsigned long, kernel semantics:
 *   set_bit/clear_bit/change_bit               atomic, unordered
 *   test_and_{set,clear,change}_bit            atomic, fully ordered
 *   test_and_set_bit_lock / clear_bit_unlock   atomic, acquire / release
 *   __set_bit, __clear_bit, __test_and_*       non-atomic (caller serialises)
 *   *_le                                       little-endian bit numbering
 *                                              (identical to native on x86-64)
 * Bit nr lives in word nr / BITS_PER_LONG at position nr % BITS_PER_LONG. */
#ifndef _LINUX_BITOPS_H
#define _LINUX_BITOPS_H

#include <linux/types.h>
#include <linux/bits.h>
#include <linux/compiler.h>
#include <asm/barrier.h>

#define BITS_PER_TYPE(type) (sizeof(type) * BITS_PER_BYTE)
#define BITS_TO_LONGS(nr) __KERNEL_DIV_ROUND_UP(nr, BITS_PER_TYPE(long))
#define BITS_TO_U64(nr) __KERNEL_DIV_ROUND_UP(nr, BITS_PER_TYPE(u64))
#define BITS_TO_U32(nr) __KERNEL_DIV_ROUND_UP(nr, BITS_PER_TYPE(u32))
#define BITS_TO_BYTES(nr) __KERNEL_DIV_ROUND_UP(nr, BITS_PER_TYPE(char))
#define DECLARE_BITMAP(name, bits) unsigned long name[BITS_TO_LONGS(bits)]

#define __umc_bitword(nr, addr) (((volatile unsigned long *)(addr)) + BIT_WORD(nr))

static __always_inline void set_bit(long nr, volatile unsigned long *addr)
{ __atomic_fetch_or(__umc_bitword(nr, addr), BIT_MASK(nr), __ATOMIC_RELAXED); }
static __always_inline void clear_bit(long nr, volatile unsigned long *addr)
{ __atomic_fetch_and(__umc_bitword(nr, addr), ~BIT_MASK(nr), __ATOMIC_RELAXED); }
static __always_inline void change_bit(long nr, volatile unsigned long *addr)
{ __atomic_fetch_xor(__umc_bitword(nr, addr), BIT_MASK(nr), __ATOMIC_RELAXED); }
static __always_inline bool test_and_set_bit(long nr, volatile unsigned long *addr)
{ return (__atomic_fetch_or(__umc_bitword(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0; }
static __always_inline bool test_and_clear_bit(long nr, volatile unsigned long *addr)
{ return (__atomic_fetch_and(__umc_bitword(nr, addr), ~BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0; }
static __always_inline bool test_and_change_bit(long nr, volatile unsigned long *addr)
{ return (__atomic_fetch_xor(__umc_bitword(nr, addr), BIT_MASK(nr), __ATOMIC_SEQ_CST) & BIT_MASK(nr)) != 0; }
static __always_inline bool test_and_set_bit_lock(long nr, volatile unsigned long *addr)
{ return (__atomic_fetch_or(__umc_bitword(nr, addr), BIT_MASK(nr), __ATOMIC_ACQUIRE) & BIT_MASK(nr)) != 0; }
static __always_inline void clear_bit_unlock(long nr, volatile unsigned long *addr)
{ __atomic_fetch_and(__umc_bitword(nr, addr), ~BIT_MASK(nr), __ATOMIC_RELEASE); }
/* Non-atomic release of a bit lock: the caller knows no one else writes the word. */
static __always_inline void __clear_bit_unlock(long nr, volatile unsigned long *addr)
{
	unsigned long old = __atomic_load_n(__umc_bitword(nr, addr), __ATOMIC_RELAXED);
	__atomic_store_n(__umc_bitword(nr, addr), old & ~BIT_MASK(nr), __ATOMIC_RELEASE);
}

static __always_inline void __set_bit(long nr, volatile unsigned long *addr)
{ *__umc_bitword(nr, addr) |= BIT_MASK(nr); }
static __always_inline void __clear_bit(long nr, volatile unsigned long *addr)
{ *__umc_bitword(nr, addr) &= ~BIT_MASK(nr); }
static __always_inline void __change_bit(long nr, volatile unsigned long *addr)
{ *__umc_bitword(nr, addr) ^= BIT_MASK(nr); }
static __always_inline bool __test_and_set_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__umc_bitword(nr, addr);
	*__umc_bitword(nr, addr) = old | BIT_MASK(nr);
	return (old & BIT_MASK(nr)) != 0;
}
static __always_inline bool __test_and_clear_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__umc_bitword(nr, addr);
	*__umc_bitword(nr, addr) = old & ~BIT_MASK(nr);
	return (old & BIT_MASK(nr)) != 0;
}
static __always_inline bool __test_and_change_bit(long nr, volatile unsigned long *addr)
{
	unsigned long old = *__umc_bitword(nr, addr);
	*__umc_bitword(nr, addr) = old ^ BIT_MASK(nr);
	return (old & BIT_MASK(nr)) != 0;
}
static __always_inline bool test_bit(long nr, const volatile unsigned long *addr)
{
	return 1UL & (__atomic_load_n(((const volatile unsigned long *)addr) + BIT_WORD(nr), __ATOMIC_RELAXED) >>
		      (nr & (BITS_PER_LONG - 1)));
}
#define test_bit_acquire(nr, addr) \
	(1UL & (__atomic_load_n(((const volatile unsigned long *)(addr)) + BIT_WORD(nr), __ATOMIC_ACQUIRE) >> ((nr) & (BITS_PER_LONG - 1))))

/* Find-first/last-set: ffs/fls are 1-based and 0 for 0; __ffs/__fls are
 * 0-based and undefined for 0; ffz is the first zero bit (undefined for ~0). */
static __always_inline int ffs(int x) { return __builtin_ffs(x); }
static __always_inline int fls(unsigned int x) { return x ? 32 - __builtin_clz(x) : 0; }
static __always_inline unsigned long __ffs(unsigned long word) { return __builtin_ctzl(word); }
static __always_inline unsigned long __fls(unsigned long word) { return BITS_PER_LONG - 1 - __builtin_clzl(word); }
static __always_inline unsigned long ffz(unsigned long word) { return __ffs(~word); }
static __always_inline int fls64(u64 x) { return x ? 64 - __builtin_clzll(x) : 0; }
static __always_inline int fls_long(unsigned long l) { return fls64(l); }
static __always_inline unsigned int __ffs64(u64 word) { return __builtin_ctzll(word); }

static __always_inline unsigned int hweight8(unsigned int w) { return __builtin_popcount(w & 0xff); }
static __always_inline unsigned int hweight16(unsigned int w) { return __builtin_popcount(w & 0xffff); }
static __always_inline unsigned int hweight32(unsigned int w) { return __builtin_popcount(w); }
static __always_inline unsigned long hweight64(u64 w) { return __builtin_popcountll(w); }
static __always_inline unsigned long hweight_long(unsigned long w) { return __builtin_popcountl(w); }

static inline u32 rol32(u32 word, unsigned int shift) { return (word << (shift & 31)) | (word >> ((-shift) & 31)); }
static inline u32 ror32(u32 word, unsigned int shift) { return (word >> (shift & 31)) | (word << ((-shift) & 31)); }
static inline u64 rol64(u64 word, unsigned int shift) { return (word << (shift & 63)) | (word >> ((-shift) & 63)); }
static inline u64 ror64(u64 word, unsigned int shift) { return (word >> (shift & 63)) | (word << ((-shift) & 63)); }
static inline s32 sign_extend32(u32 value, int index)
{
	u8 shift = 31 - index;
	return (s32)(value << shift) >> shift;
}
static inline s64 sign_extend64(u64 value, int index)
{
	u8 shift = 63 - index;
	return (s64)(value << shift) >> shift;
}

#include <linux/find.h>
#include <asm-generic/bitops/le.h>

#endif
