#ifndef _LINUX_SWAB_H
#define _LINUX_SWAB_H
#include <linux/types.h>
#define ___constant_swab16(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define ___constant_swab32(x) ((__u32)__builtin_bswap32((__u32)(x)))
#define ___constant_swab64(x) ((__u64)__builtin_bswap64((__u64)(x)))
#define __swab16(x) ((__u16)__builtin_bswap16((__u16)(x)))
#define __swab32(x) ((__u32)__builtin_bswap32((__u32)(x)))
#define __swab64(x) ((__u64)__builtin_bswap64((__u64)(x)))
#define swab16 __swab16
#define swab32 __swab32
#define swab64 __swab64
/* Swap the two 16-bit halves of a 32-bit word. */
#define __swahw32(x) ((__u32)((((__u32)(x)) << 16) | (((__u32)(x)) >> 16)))
#define swahw32 __swahw32
/* Swap the bytes within each 16-bit half. */
#define __swahb32(x) ((__u32)(((((__u32)(x)) & 0x00ff00ffU) << 8) | ((((__u32)(x)) & 0xff00ff00U) >> 8)))
#define swahb32 __swahb32
static inline void __swab16s(__u16 *p) { *p = __swab16(*p); }
static inline void __swab32s(__u32 *p) { *p = __swab32(*p); }
static inline void __swab64s(__u64 *p) { *p = __swab64(*p); }
#endif
