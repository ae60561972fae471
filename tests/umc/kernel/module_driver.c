// SPDX-License-Identifier: GPL-2.0
/* See module_driver.h. */
#include <linux/moduleparam.h>
#include <linux/string.h>
#include "module_driver.h"

static int kd_count_var = 7;
module_param_named(kd_count, kd_count_var, int, 0644);
static char kd_name_var[16] = "umc";
module_param_string(kd_name, kd_name_var, sizeof(kd_name_var), 0444);

int kd_module_params(void)
{
	unsigned int n, i;
	const struct umc_module_param *p = umc_kernel_module_params(&n);
	int found = 0;

	for (i = 0; i < n; i++) {
		if (!strcmp(p[i].name, "kd_count")) {
			if (p[i].type != UMC_PARAM_INT || p[i].perm != 0644 || *(int *)p[i].value != 7)
				return 1;
			*(int *)p[i].value = 9;
			if (kd_count_var != 9)
				return 2;
			found |= 1;
		}
		if (!strcmp(p[i].name, "kd_name")) {
			if (p[i].type != UMC_PARAM_STRING || p[i].maxlen != 16 || strcmp(p[i].value, "umc"))
				return 3;
			found |= 2;
		}
	}
	return found == 3 ? 0 : 4;
}
