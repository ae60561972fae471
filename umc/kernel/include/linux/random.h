#ifndef _LINUX_RANDOM_H
#define _LINUX_RANDOM_H
#include <linux/types.h>
#include <umc/runtime.h>
static inline void get_random_bytes(void *buf, size_t len) { umc_random_bytes(buf, len); }
static inline u32 get_random_u32(void) { u32 v; umc_random_bytes(&v, sizeof(v)); return v; }
static inline u64 get_random_u64(void) { u64 v; umc_random_bytes(&v, sizeof(v)); return v; }
static inline u8 get_random_u8(void) { u8 v; umc_random_bytes(&v, sizeof(v)); return v; }
static inline u16 get_random_u16(void) { u16 v; umc_random_bytes(&v, sizeof(v)); return v; }
static inline unsigned long get_random_long(void) { unsigned long v; umc_random_bytes(&v, sizeof(v)); return v; }
/* A uniformly distributed value in [0, ceil) (multiply-shift, as the kernel). */
static inline u32 prandom_u32_max(u32 ceil) { return (u32)(((u64)get_random_u32() * ceil) >> 32); }
#define get_random_u32_below(ceil) prandom_u32_max(ceil)
#define prandom_u32() get_random_u32()
#endif
