// SPDX-License-Identifier: GPL-2.0
/* cpu_online_mask: every CPU the runtime reports is online (no hotplug). */
#include <linux/cpumask.h>
#include <linux/bitmap.h>
#include <linux/minmax.h>

static struct cpumask online_mask;

const struct cpumask *__umc_cpu_online_mask(void)
{
	/* Filled on first use: every CPU the runtime reports is online. */
	if (cpumask_empty(&online_mask))
		bitmap_fill(cpumask_bits(&online_mask), min_t(unsigned int, nr_cpu_ids, NR_CPUS));
	return &online_mask;
}
