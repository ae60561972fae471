// SPDX-License-Identifier: GPL-2.0
/* The module loader's part that umc keeps: finding the module_param records
 * (the kernel's find_module_sections reads __param the same way).  The
 * module's identity, __this_module, belongs to the module: the hosted one's
 * is drbd-shim's glue. */
#include <linux/moduleparam.h>

/* The module_param records (linux/moduleparam.h) of everything linked into
 * the kernel side; the linker provides the section bounds.  (No symbol may
 * be named like the section: a reference to it would bind to the section.) */
extern const struct umc_module_param __start_umc_module_params[] __attribute__((weak));
extern const struct umc_module_param __stop_umc_module_params[] __attribute__((weak));

const struct umc_module_param *umc_kernel_module_params(unsigned int *count)
{
	*count = __start_umc_module_params ? (unsigned int)(__stop_umc_module_params - __start_umc_module_params) : 0;
	return __start_umc_module_params;
}
