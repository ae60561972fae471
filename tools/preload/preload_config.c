/* preload_config.c - what the environment tells the shim.
 *
 * UMC_FS_ROOT   the FUSE tree umcd serves; unset = the shim is inert
 * UMC_CTL_SOCK  umcd's control socket: a path, or "@name" for an abstract name;
 *               default: the abstract name "\0umc-ctl:" + realpath(UMC_FS_ROOT)
 * UMC_PRELOAD_DEBUG=1  trace each decision on stderr
 *
 * Read once: drbd-utils never change these, and re-reading on every call would
 * race with setenv() in a multithreaded host program. */
#define _GNU_SOURCE
#include "preload.h"

#include <errno.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static struct umc_preload_config config;
static pthread_once_t config_once = PTHREAD_ONCE_INIT;

static void strip_trailing_slashes(char *s)
{
	size_t n = strlen(s);
	while (n > 1 && s[n - 1] == '/')
		s[--n] = '\0';
}

/* Fill the control-socket address; false if it cannot be represented. */
static bool make_ctl_addr(struct umc_preload_config *c)
{
	const char *env = getenv("UMC_CTL_SOCK");
	struct sockaddr_un *a = &c->ctl_addr;
	memset(a, 0, sizeof *a);
	a->sun_family = AF_UNIX;
	if (env && *env && env[0] != '@') {
		size_t n = strlen(env);
		if (n >= sizeof a->sun_path)
			return false;
		memcpy(a->sun_path, env, n + 1);
		c->ctl_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + n + 1);
		snprintf(c->ctl_name, sizeof c->ctl_name, "%s", env);
		return true;
	}
	/* Abstract name: a leading NUL, then the name bytes, no terminator; the
	 * address length delimits it, so umcd must bind exactly this length. */
	char name[sizeof a->sun_path];
	int n = env && *env ? snprintf(name, sizeof name, "%s", env + 1)
	                    : snprintf(name, sizeof name, "umc-ctl:%s", c->fs_root_real);
	if (n < 0 || (size_t)n + 1 > sizeof a->sun_path)
		return false;
	memcpy(a->sun_path + 1, name, (size_t)n);
	c->ctl_addr_len = (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + (size_t)n);
	snprintf(c->ctl_name, sizeof c->ctl_name, "@%s", name);
	return true;
}

static void read_config(void)
{
	int saved_errno = errno;
	const char *root = getenv("UMC_FS_ROOT");
	const char *dbg = getenv("UMC_PRELOAD_DEBUG");
	config.debug = dbg && *dbg && strcmp(dbg, "0") != 0;
	if (!root || !*root || root[0] != '/' || strlen(root) >= sizeof config.fs_root) {
		if (root && *root)
			fprintf(stderr, "libumc-preload: UMC_FS_ROOT='%s' is not an absolute path; inactive\n", root);
		errno = saved_errno;
		return;
	}
	snprintf(config.fs_root, sizeof config.fs_root, "%s", root);
	strip_trailing_slashes(config.fs_root);
	char resolved[PATH_MAX];
	if (realpath(config.fs_root, resolved) && strlen(resolved) < sizeof config.fs_root_real)
		snprintf(config.fs_root_real, sizeof config.fs_root_real, "%s", resolved);
	else
		snprintf(config.fs_root_real, sizeof config.fs_root_real, "%s", config.fs_root);
	if (!make_ctl_addr(&config)) {
		fprintf(stderr, "libumc-preload: control socket name for '%s' is too long for sockaddr_un; "
		                "set UMC_CTL_SOCK\n", config.fs_root_real);
		/* Paths still work; socket() will then fail cleanly. */
		config.ctl_addr_len = 0;
	}
	config.active = true;
	errno = saved_errno;
}

const struct umc_preload_config *umc_config(void)
{
	pthread_once(&config_once, read_config);
	return &config;
}

void umc_debug(const char *fmt, ...)
{
	if (!umc_config()->debug)
		return;
	int saved_errno = errno;
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	if ((size_t)n > sizeof line - 2)
		n = sizeof line - 2;
	line[n++] = '\n';
	/* dprintf/fprintf could re-enter our write wrapper; raw write is fine for fd 2
	 * (it is never a redirected socket unless a program dup2()s one there). */
	char prefix[64];
	int p = snprintf(prefix, sizeof prefix, "libumc-preload[%d]: ", (int)getpid());
	(void)!write(2, prefix, (size_t)p);
	(void)!write(2, line, (size_t)n);
	errno = saved_errno;
}
