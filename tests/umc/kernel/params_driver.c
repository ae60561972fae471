// SPDX-License-Identifier: GPL-2.0
/* See params_driver.h. */
#include <linux/moduleparam.h>
#include <linux/string.h>
#include <umc/kernel_host.h>
#include "params_driver.h"

static bool ksd_flag = true;
module_param_named(ksd_flag, ksd_flag, bool, 0644);
static bool ksd_hidden;
module_param_named(ksd_hidden, ksd_hidden, bool, 0);
static int ksd_int = -3;
module_param_named(ksd_int, ksd_int, int, 0644);
static unsigned int ksd_count = 32;
module_param_named(ksd_count, ksd_count, uint, 0444);
static unsigned long ksd_big = 1;
module_param_named(ksd_big, ksd_big, ulong, 0644);
static char *ksd_charp = "first";
module_param_named(ksd_charp, ksd_charp, charp, 0644);
static char ksd_str[8] = "abc";
module_param_string(ksd_str, ksd_str, sizeof(ksd_str), 0644);

static int param_index(const char *name)
{
	unsigned int i, n = umc_module_param_count();
	const char *pn;

	for (i = 0; i < n; i++)
		if (!umc_module_param_info(i, &pn, NULL) && !strcmp(pn, name))
			return i;
	return -1;
}

static int shows(const char *name, const char *want)
{
	char buf[64];
	int i = param_index(name), len;

	if (i < 0)
		return 0;
	len = umc_module_param_show(i, buf, sizeof(buf));
	return len == (int)strlen(want) && !strcmp(buf, want);
}

static int store(const char *name, const char *val)
{
	int i = param_index(name);

	return i < 0 ? -ENOENT : umc_module_param_store(i, val, strlen(val));
}

int ksd_module_params(void)
{
	unsigned int perm = 1, n = umc_module_param_count();
	const char *name = NULL;
	char small[3];
	int step = 0;

	step++;
	if (n < 7 || param_index("ksd_str") < 0)
		return step;
	step++;
	if (umc_module_param_info(n, &name, &perm) != -ENOENT)
		return step;
	step++;
	if (umc_module_param_info(param_index("ksd_count"), &name, &perm) || strcmp(name, "ksd_count") || perm != 0444)
		return step;
	step++;
	if (umc_module_param_show(n, small, sizeof(small)) != -ENOENT)
		return step;
	/* what sysfs shows */
	step++;
	if (!shows("ksd_flag", "Y\n") || !shows("ksd_hidden", "N\n") || !shows("ksd_int", "-3\n"))
		return step;
	step++;
	if (!shows("ksd_count", "32\n") || !shows("ksd_big", "1\n") || !shows("ksd_charp", "first\n") ||
	    !shows("ksd_str", "abc\n"))
		return step;
	step++;
	if (umc_module_param_show(param_index("ksd_count"), small, sizeof(small)) != -ENOSPC)
		return step;
	/* bool: y/n/Y/N/1/0/on/off, one newline dropped */
	step++;
	if (store("ksd_flag", "n\n") || ksd_flag || !shows("ksd_flag", "N\n"))
		return step;
	step++;
	if (store("ksd_flag", "on") || !ksd_flag || store("ksd_flag", "0") || ksd_flag)
		return step;
	step++;
	if (store("ksd_flag", "Y") || !ksd_flag || store("ksd_flag", "off\n") || ksd_flag)
		return step;
	step++;
	if (store("ksd_flag", "x") != -EINVAL || store("ksd_flag", "") != -EINVAL ||
	    store("ksd_flag", "o") != -EINVAL || ksd_flag)
		return step;
	/* not writable */
	step++;
	if (store("ksd_hidden", "1") != -EPERM || ksd_hidden)
		return step;
	step++;
	if (store("ksd_count", "7") != -EPERM || ksd_count != 32)
		return step;
	/* numbers: base 0, range, garbage */
	step++;
	if (store("ksd_int", "-17\n") || ksd_int != -17 || store("ksd_int", "0x10") || ksd_int != 16)
		return step;
	step++;
	if (store("ksd_int", "12ab") != -EINVAL || store("ksd_int", "4294967296") != -EINVAL || ksd_int != 16)
		return step;
	step++;
	if (store("ksd_int", "5\n\n") != -EINVAL || store("ksd_int", " 5") != -EINVAL || ksd_int != 16)
		return step;
	step++;
	if (store("ksd_big", "-1") != -EINVAL || store("ksd_big", "18446744073709551615") || ksd_big != ~0UL)
		return step;
	/* strings: up to maxlen - 1 characters */
	step++;
	if (store("ksd_str", "1234567\n") || strcmp(ksd_str, "1234567") || !shows("ksd_str", "1234567\n"))
		return step;
	step++;
	if (store("ksd_str", "12345678") != -EINVAL || strcmp(ksd_str, "1234567"))
		return step;
	step++;
	if (store("ksd_str", "") || ksd_str[0])
		return step;
	/* charp: a copy of the value (freed at shutdown) */
	step++;
	if (store("ksd_charp", "second\n") || strcmp(ksd_charp, "second"))
		return step;
	step++;
	if (store("ksd_charp", "third") || strcmp(ksd_charp, "third") || !shows("ksd_charp", "third\n"))
		return step;
	umc_kernel_shutdown();
	step++;
	if (ksd_charp)
		return step;
	return 0;
}
