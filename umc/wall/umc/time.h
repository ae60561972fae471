/*
 * umc/time.h - jiffies, HZ and clocks.
 *
 * HZ is 1000: a jiffy is one millisecond (fine-grained timeouts; the
 * jiffies<->ms conversions are exact).  Hosted code never assumes a
 * particular HZ; DRBD converts its tenths-of-seconds with HZ.
 *
 * jiffies are not a ticking variable: umc_jiffies() derives them from
 * CLOCK_MONOTONIC as initial + elapsed/1ms.  They start where the boot
 * parameters say, by default UMC_INITIAL_JIFFIES (the kernel's
 * INITIAL_JIFFIES: the low 32 bits wrap 300 s after boot), so wrap bugs
 * show up early.  `unsigned long` is 64 bits; comparisons must use the
 * kernel's time_after() family.
 */
#ifndef UMC_WALL_TIME_H
#define UMC_WALL_TIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMC_HZ              1000
#define UMC_NSEC_PER_JIFFY  (1000000000ull / UMC_HZ)
#define UMC_INITIAL_JIFFIES ((unsigned long)(unsigned int)(-300 * UMC_HZ))

/* Current jiffies.  Any thread; cheap (one clock read). */
unsigned long umc_jiffies(void);
/* Jiffies at boot (what umc_jiffies() returned at umc_runtime_init). */
unsigned long umc_initial_jiffies(void);

/* CLOCK_MONOTONIC ns at which jiffy `j` begins (when umc_jiffies() first
 * returns j).  A j that is not after the current jiffy gives a time not
 * after now.  Any thread. */
uint64_t umc_jiffies_to_mono_ns(unsigned long j);

/* Clocks in ns (ktime_get / ktime_get_real). */
uint64_t umc_mono_ns(void);
uint64_t umc_wall_ns(void);

#ifdef __cplusplus
}
#endif

#endif /* UMC_WALL_TIME_H */
