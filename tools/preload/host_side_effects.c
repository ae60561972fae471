/* host_side_effects.c - keep drbd-utils away from the host kernel's DRBD.
 *
 * drbdsetup-84 runs system("/sbin/modprobe drbd") when /proc/drbd is missing
 * (here: umcd is not serving it).  With the shim active, /proc/drbd means
 * umcd's, so loading the host's drbd.ko would be wrong and, on a host that has
 * the module, would put a real DRBD next to the usermode one.  The command is
 * not run; system() returns the status of a modprobe that failed (exit 1), so
 * drbdsetup goes on to print "Could not stat /proc/drbd" as without a module. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

static bool is_drbd_modprobe(const char *cmd)
{
	static const char *const forms[] = {"/sbin/modprobe drbd", "modprobe drbd", "/usr/sbin/modprobe drbd"};
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		size_t n = strlen(forms[i]);
		if (strncmp(cmd, forms[i], n) == 0 && (cmd[n] == '\0' || cmd[n] == ' '))
			return true;
	}
	return false;
}

UMC_EXPORT int system(const char *cmd)
{
	if (cmd && umc_active() && is_drbd_modprobe(cmd)) {
		umc_debug("not running '%s': DRBD is umcd's, not the host kernel's", cmd);
		return 1 << 8; /* W_EXITCODE(1, 0) */
	}
	return REAL(system)(cmd);
}
