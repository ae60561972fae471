/* CPU masks: the runtime reports nr_cpu_ids CPUs (umc_nr_cpus()); masks
 * are plain bitmaps.  DRBD uses them for its cpu-mask option. */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H

#include <linux/kernel.h>
#include <linux/bitmap.h>
#include <linux/gfp.h>
#include <linux/numa.h>
#include <umc/runtime.h>

#define NR_CPUS CONFIG_NR_CPUS
typedef struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
} cpumask_t;
typedef struct cpumask cpumask_var_t[1];

#define nr_cpu_ids ((unsigned int)umc_nr_cpus())
#define nr_cpumask_bits nr_cpu_ids
#define cpumask_bits(maskp) ((maskp)->bits)
#define to_cpumask(bitmap) ((struct cpumask *)(bitmap))

/* Every CPU the runtime reports is possible and online. */
const struct cpumask *__umc_cpu_online_mask(void);
#define cpu_online_mask __umc_cpu_online_mask()
#define cpu_possible_mask __umc_cpu_online_mask()
#define cpu_present_mask __umc_cpu_online_mask()
#define num_online_cpus() nr_cpu_ids
#define num_possible_cpus() nr_cpu_ids
#define cpu_online(cpu) ((unsigned int)(cpu) < nr_cpu_ids)

static inline unsigned int cpumask_check(unsigned int cpu) { return cpu; }
static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *dstp) { set_bit(cpu, cpumask_bits(dstp)); }
static inline void cpumask_clear_cpu(int cpu, struct cpumask *dstp) { clear_bit(cpu, cpumask_bits(dstp)); }
static inline bool cpumask_test_cpu(int cpu, const struct cpumask *cpumask) { return test_bit(cpu, cpumask_bits(cpumask)); }
static inline void cpumask_setall(struct cpumask *dstp) { bitmap_fill(cpumask_bits(dstp), nr_cpumask_bits); }
static inline void cpumask_clear(struct cpumask *dstp) { bitmap_zero(cpumask_bits(dstp), nr_cpumask_bits); }
static inline bool cpumask_and(struct cpumask *dstp, const struct cpumask *src1p, const struct cpumask *src2p)
{
	return bitmap_and(cpumask_bits(dstp), cpumask_bits(src1p), cpumask_bits(src2p), nr_cpumask_bits);
}
static inline void cpumask_or(struct cpumask *dstp, const struct cpumask *src1p, const struct cpumask *src2p)
{
	bitmap_or(cpumask_bits(dstp), cpumask_bits(src1p), cpumask_bits(src2p), nr_cpumask_bits);
}
static inline bool cpumask_equal(const struct cpumask *src1p, const struct cpumask *src2p)
{
	return bitmap_equal(cpumask_bits(src1p), cpumask_bits(src2p), nr_cpumask_bits);
}
static inline bool cpumask_empty(const struct cpumask *srcp) { return bitmap_empty(cpumask_bits(srcp), nr_cpumask_bits); }
static inline unsigned int cpumask_weight(const struct cpumask *srcp) { return bitmap_weight(cpumask_bits(srcp), nr_cpumask_bits); }
static inline void cpumask_copy(struct cpumask *dstp, const struct cpumask *srcp)
{
	bitmap_copy(cpumask_bits(dstp), cpumask_bits(srcp), nr_cpumask_bits);
}
static inline unsigned int cpumask_first(const struct cpumask *srcp) { return find_first_bit(cpumask_bits(srcp), nr_cpumask_bits); }
static inline unsigned int cpumask_next(int n, const struct cpumask *srcp)
{
	return find_next_bit(cpumask_bits(srcp), nr_cpumask_bits, n + 1);
}
#define for_each_cpu(cpu, mask) \
	for ((cpu) = -1; (cpu) = cpumask_next((cpu), (mask)), (cpu) < nr_cpu_ids;)
#define for_each_possible_cpu(cpu) for_each_cpu((cpu), cpu_possible_mask)
#define for_each_online_cpu(cpu) for_each_cpu((cpu), cpu_online_mask)
#define for_each_present_cpu(cpu) for_each_cpu((cpu), cpu_present_mask)

static inline bool alloc_cpumask_var(cpumask_var_t *mask, gfp_t flags) { return true; }
static inline bool zalloc_cpumask_var(cpumask_var_t *mask, gfp_t flags)
{
	cpumask_clear(*mask);
	return true;
}
static inline void free_cpumask_var(cpumask_var_t mask) { (void)mask; }
static inline int cpumask_parse(const char *buf, struct cpumask *dstp)
{
	return bitmap_parse(buf, UINT_MAX, cpumask_bits(dstp), nr_cpumask_bits);
}
#define raw_smp_processor_id() 0
#define smp_processor_id() 0
#define get_cpu() 0
#define put_cpu() do { } while (0)
#endif
