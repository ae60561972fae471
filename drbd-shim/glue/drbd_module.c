// SPDX-License-Identifier: GPL-2.0
/* The hosted module's identity (THIS_MODULE): its name, which dev_printk
 * puts in front of every device message ("drbd drbd0: ..."), and its
 * srcversion, which /proc/drbd prints.  The kernel's modpost derives
 * srcversion from the module's sources; ours is set by drbd-shim's build
 * from the manifest that pins them (DRBD_MODULE_SRCVERSION). */
#include <linux/module.h>

struct module __this_module = {
	.name = "drbd",
	.srcversion = DRBD_MODULE_SRCVERSION,
};
