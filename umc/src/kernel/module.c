// SPDX-License-Identifier: GPL-2.0
/* The hosted module's identity.  The kernel's modpost derives srcversion
 * from the module's sources; ours comes from the build (UMC_MODULE_SRCVERSION,
 * set by drbd-shim from the manifest) so /proc/drbd can print it. */
#include <linux/module.h>

#ifndef UMC_MODULE_NAME
#define UMC_MODULE_NAME "drbd"
#endif
#ifndef UMC_MODULE_SRCVERSION
#define UMC_MODULE_SRCVERSION "umc"
#endif

struct module __this_module = {
	.name = UMC_MODULE_NAME,
	.srcversion = UMC_MODULE_SRCVERSION,
};

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
