/* jiffies: the runtime's tick counter (HZ = 1000), which starts 300 s
 * before the 32-bit wrap as the kernel's does.  `jiffies` reads the clock
 * each time it is used (it is a volatile variable in the kernel). */
#ifndef _LINUX_JIFFIES_H
#define _LINUX_JIFFIES_H

#include <linux/types.h>
#include <linux/typecheck.h>
#include <linux/math.h>
#include <linux/limits.h>
#include <linux/time.h>
#include <umc/time.h>

#define HZ UMC_HZ
#define USER_HZ 100
#define INITIAL_JIFFIES UMC_INITIAL_JIFFIES
#define MAX_JIFFY_OFFSET ((LONG_MAX >> 1) - 1)

#define jiffies (umc_jiffies())
static inline u64 get_jiffies_64(void) { return umc_jiffies(); }

/* Wrap-safe comparisons: a is after b. */
#define time_after(a, b) (typecheck(unsigned long, a) && typecheck(unsigned long, b) && ((long)((b) - (a)) < 0))
#define time_before(a, b) time_after(b, a)
#define time_after_eq(a, b) (typecheck(unsigned long, a) && typecheck(unsigned long, b) && ((long)((a) - (b)) >= 0))
#define time_before_eq(a, b) time_after_eq(b, a)
#define time_in_range(a, b, c) (time_after_eq(a, b) && time_before_eq(a, c))
#define time_in_range_open(a, b, c) (time_after_eq(a, b) && time_before(a, c))
#define time_is_before_jiffies(a) time_after(jiffies, a)
#define time_is_after_jiffies(a) time_before(jiffies, a)
#define time_is_before_eq_jiffies(a) time_after_eq(jiffies, a)
#define time_is_after_eq_jiffies(a) time_before_eq(jiffies, a)
#define time_after64(a, b) ((s64)((b) - (a)) < 0)
#define time_before64(a, b) time_after64(b, a)

/* HZ == 1000: a jiffy is a millisecond. */
static inline unsigned int jiffies_to_msecs(const unsigned long j) { return (unsigned int)j; }
static inline unsigned int jiffies_to_usecs(const unsigned long j) { return (unsigned int)(j * 1000); }
static inline u64 jiffies_to_nsecs(const unsigned long j) { return (u64)j * 1000000ull; }
static inline unsigned long msecs_to_jiffies(const unsigned int m)
{
	return (unsigned long)m;  /* HZ == 1000; never above MAX_JIFFY_OFFSET */
}
static inline unsigned long usecs_to_jiffies(const unsigned int u) { return (u + 999) / 1000; }
static inline unsigned long nsecs_to_jiffies(u64 n) { return (unsigned long)((n + 999999) / 1000000); }
#define jiffies_to_clock_t(x) ((clock_t)((x) / (HZ / USER_HZ)))

#endif
