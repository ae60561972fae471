#ifndef _LINUX_KTIME_H
#define _LINUX_KTIME_H
#include <linux/types.h>
#include <linux/jiffies.h>
#include <umc/time.h>
typedef s64 ktime_t;
static inline ktime_t ktime_get(void) { return (ktime_t)umc_mono_ns(); }
static inline ktime_t ktime_get_real(void) { return (ktime_t)umc_wall_ns(); }
static inline u64 ktime_get_ns(void) { return umc_mono_ns(); }
static inline s64 ktime_to_ns(const ktime_t kt) { return kt; }
static inline s64 ktime_to_us(const ktime_t kt) { return kt / 1000; }
static inline s64 ktime_to_ms(const ktime_t kt) { return kt / 1000000; }
static inline ktime_t ktime_sub(const ktime_t a, const ktime_t b) { return a - b; }
static inline ktime_t ktime_add(const ktime_t a, const ktime_t b) { return a + b; }
static inline s64 ktime_us_delta(const ktime_t later, const ktime_t earlier) { return (later - earlier) / 1000; }
static inline s64 ktime_ms_delta(const ktime_t later, const ktime_t earlier) { return (later - earlier) / 1000000; }
static inline time64_t ktime_get_real_seconds(void) { return (time64_t)(umc_wall_ns() / 1000000000ull); }
static inline time64_t ktime_get_seconds(void) { return (time64_t)(umc_mono_ns() / 1000000000ull); }
#define ktime_set(s, ns) ((ktime_t)(s) * 1000000000LL + (ns))
#endif
