// SPDX-License-Identifier: GPL-2.0
/* The identity (THIS_MODULE) of the module the kernel-side tests form: every
 * module brings its own, as drbd-shim's glue does for the hosted DRBD. */
#include <linux/module.h>

struct module __this_module = {
	.name = "umc_test",
	.srcversion = "umc-test",
};
