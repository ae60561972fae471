/* drbdadm, drbdsetup, drbdmeta as installed by umc (docs/user-guide.md,
 * "Installed").  One source, built once per tool with these definitions:
 *
 *   UMC_WRAP_NAME   the tool's name, for messages ("drbdadm")
 *   UMC_WRAP_HOST   Debian's binary for the host kernel ("/sbin/drbdadm")
 *   UMC_WRAP_UMC    Debian's binary to run against umcd
 *                   ("/lib/drbd/drbdsetup-84" for drbdsetup: no v9 fallback)
 *
 * With UMC_FS_ROOT set (and not empty) the wrapper runs UMC_WRAP_UMC with
 * libumc-preload.so prepended to LD_PRELOAD, as `tools/umc drbdadm` does.
 * Without it, it execs UMC_WRAP_HOST with the environment and argv exactly as
 * it got them (argv[0] included), so a host that also runs kernel DRBD sees
 * Debian's tool.  The preload is $UMC_PRELOAD_LIB, else ../lib/umc/ relative
 * to this program (where `umc install` puts it, also under a DESTDIR).
 * Plain C and libc only: it runs before any of umc's libraries are found. */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int find_preload(char *out, size_t len)
{
	const char *env = getenv("UMC_PRELOAD_LIB");
	if (env && *env) {
		if ((size_t)snprintf(out, len, "%s", env) >= len)
			return -1;
		return access(out, R_OK);
	}
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return -1;
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash)
		return -1;
	*slash = 0;
	if ((size_t)snprintf(out, len, "%s/../lib/umc/libumc-preload.so", exe) >= len)
		return -1;
	return access(out, R_OK);
}

int main(int argc, char **argv)
{
	(void)argc;
	const char *root = getenv("UMC_FS_ROOT");
	if (!root || !*root) {
		execv(UMC_WRAP_HOST, argv);
		fprintf(stderr, "%s: cannot run %s: %s\n", UMC_WRAP_NAME, UMC_WRAP_HOST, strerror(errno));
		return 127;
	}
	char lib[PATH_MAX];
	if (find_preload(lib, sizeof lib) < 0) {
		fprintf(stderr,
			"%s: libumc-preload.so not found (%s; set UMC_PRELOAD_LIB), "
			"needed with UMC_FS_ROOT=%s\n",
			UMC_WRAP_NAME, lib, root);
		return 127;
	}
	const char *old = getenv("LD_PRELOAD");
	char *preload = NULL;
	if (asprintf(&preload, "%s%s%s", lib, old && *old ? ":" : "", old && *old ? old : "") < 0 ||
	    setenv("LD_PRELOAD", preload, 1) < 0) {
		fprintf(stderr, "%s: out of memory\n", UMC_WRAP_NAME);
		return 127;
	}
	free(preload);
	execv(UMC_WRAP_UMC, argv);
	fprintf(stderr, "%s: cannot run %s: %s (apt-get install drbd-utils)\n", UMC_WRAP_NAME, UMC_WRAP_UMC,
		strerror(errno));
	return 127;
}
