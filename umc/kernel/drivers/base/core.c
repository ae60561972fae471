// SPDX-License-Identifier: GPL-2.0
/* dev_printk: "<module> <device>: message", as the kernel prints it for a
 * device with a driver ("drbd drbd0: ..."). */
#include <linux/device.h>
#include <linux/module.h>
#include <linux/string.h>
#include <umc/printk.h>

void _dev_printk(const char *level, const struct device *dev, const char *fmt, ...)
{
	struct umc_va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	if (dev)
		printk("%s%s %s: %pV", level, THIS_MODULE->name, dev_name(dev), &vaf);
	else
		printk("%s(NULL device *): %pV", level, &vaf);
	va_end(args);
}
