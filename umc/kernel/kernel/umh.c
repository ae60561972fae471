// SPDX-License-Identifier: GPL-2.0
/* call_usermodehelper(): the kernel's one-shot helper call, on the runtime's
 * posix_spawn-based umc_usermode_helper() (umc/runtime.h).  The UMH_* wait
 * values are the kernel's and are passed through untranslated. */
#include <linux/errno.h>
#include <linux/umh.h>
#include <umc/runtime.h>

_Static_assert(UMH_NO_WAIT == UMC_UMH_NO_WAIT && UMH_WAIT_EXEC == UMC_UMH_WAIT_EXEC &&
		       UMH_WAIT_PROC == UMC_UMH_WAIT_PROC && UMH_KILLABLE == UMC_UMH_KILLABLE,
	       "UMH_* values are the kernel's");

int call_usermodehelper(const char *path, char **argv, char **envp, int wait)
{
	if (!path)
		return -EINVAL;
	if (!*path)
		return 0; /* as call_usermodehelper_exec(): "" disables helpers */
	return umc_usermode_helper(path, argv, envp, wait);
}
