/* preload_config.c - what the environment tells the shim.
 *
 * UMC_FS_ROOT   the FUSE tree umcd serves; unset = the shim is inert
 * UMC_CTL_SOCK  umcd's control socket: a path, or "@name" for an abstract name;
 *               default: the abstract name "\0umc-ctl:" + realpath(UMC_FS_ROOT)
 * UMC_PRELOAD_DEBUG=1  trace each decision on stderr
 *
 * and what the umcd serving UMC_FS_ROOT says about its node, in
 * $UMC_FS_ROOT/proc/umcd/node ("key value" lines):
 *
 *   node_name alpha               -> __DRBD_NODE__ (drbdadm's host name)
 *   state_dir /var/lib/umc/alpha  -> where /var/lib/drbd etc. are mapped
 *
 * Read once: drbd-utils never change these, and re-reading on every call would
 * race with setenv() in a multithreaded host program.  A constructor reads
 * them before main(), so that __DRBD_NODE__ is in the environment when
 * drbdadm looks for it. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
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

static void early_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static bool valid_node_name(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n >= sizeof config.node_name || s[0] == '.' || s[0] == '-')
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '_' ||
		      *s == '.' || *s == '-'))
			return false;
	return true;
}

static bool valid_state_dir(const char *s)
{
	size_t n = strlen(s);
	if (n < 2 || n >= sizeof config.state_dir || s[0] != '/')
		return false;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f)
			return false;
	return true;
}

/* $UMC_FS_ROOT/proc/umcd/node; no file (no umcd, an older one, a fake
 * control socket) or a malformed one leaves node_name and state_dir empty.
 * libc's open and close directly: our wrappers would ask for the config
 * that is being read. */
static void read_node_file(struct umc_preload_config *c)
{
	char path[sizeof c->fs_root + 32];
	snprintf(path, sizeof path, "%s/proc/umcd/node", c->fs_root);
	int fd = REAL(open)(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		early_debug("no %s (%s): no node name, state paths not mapped", path, strerror(errno));
		return;
	}
	char text[4096];
	size_t len = 0;
	while (len < sizeof text - 1) {
		ssize_t r = read(fd, text + len, sizeof text - 1 - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		len += (size_t)r;
	}
	REAL(close)(fd);
	text[len] = '\0';
	char name[sizeof c->node_name] = "", dir[sizeof c->state_dir] = "";
	for (char *line = text, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		char *value = strchr(line, ' ');
		if (!value)
			continue;
		*value++ = '\0';
		if (strcmp(line, "node_name") == 0 && valid_node_name(value))
			snprintf(name, sizeof name, "%s", value);
		else if (strcmp(line, "state_dir") == 0 && valid_state_dir(value))
			snprintf(dir, sizeof dir, "%s", value);
	}
	if (!name[0] || !dir[0]) {
		fprintf(stderr,
			"libumc-preload: %s names no valid node_name and state_dir; "
			"state paths not mapped\n",
			path);
		return;
	}
	memcpy(c->node_name, name, sizeof name);
	memcpy(c->state_dir, dir, sizeof dir);
	early_debug("node %s, state_dir %s (from %s)", c->node_name, c->state_dir, path);
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
		fprintf(stderr,
			"libumc-preload: control socket name for '%s' is too long for sockaddr_un; "
			"set UMC_CTL_SOCK\n",
			config.fs_root_real);
		/* Paths still work; socket() will then fail cleanly. */
		config.ctl_addr_len = 0;
	}
	config.active = true;
	read_node_file(&config);
	errno = saved_errno;
}

/* Before main(): drbdadm takes its host name from __DRBD_NODE__ when set
 * (else uname -n) to pick its `on <host>` section.  A value the caller set
 * wins; children inherit ours.  When the node is named like the host, uname
 * already says it, and drbdadm would only print its "found __DRBD_NODE__ in
 * environment / PRETENDING that I am" banner on every run: not set then. */
__attribute__((constructor)) static void umc_preload_init(void)
{
	const struct umc_preload_config *c = umc_config();
	if (!c->node_name[0])
		return;
	const char *env = getenv("__DRBD_NODE__");
	if (env && *env) {
		umc_debug("__DRBD_NODE__=%s already set; not %s", env, c->node_name);
		return;
	}
	struct utsname u;
	if (uname(&u) == 0 && strcmp(u.nodename, c->node_name) == 0) {
		umc_debug("node %s is the host name: __DRBD_NODE__ not needed", c->node_name);
		return;
	}
	int saved_errno = errno;
	setenv("__DRBD_NODE__", c->node_name, 1);
	errno = saved_errno;
	umc_debug("__DRBD_NODE__=%s", c->node_name);
}

const struct umc_preload_config *umc_config(void)
{
	pthread_once(&config_once, read_config);
	return &config;
}

static void debug_line(const char *fmt, va_list ap)
{
	int saved_errno = errno;
	char line[1024];
	int n = vsnprintf(line, sizeof line - 1, fmt, ap);
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

void umc_debug(const char *fmt, ...)
{
	if (!umc_config()->debug)
		return;
	va_list ap;
	va_start(ap, fmt);
	debug_line(fmt, ap);
	va_end(ap);
}

/* umc_debug while the configuration is being read (umc_config() would wait
 * for itself). */
static void early_debug(const char *fmt, ...)
{
	if (!config.debug)
		return;
	va_list ap;
	va_start(ap, fmt);
	debug_line(fmt, ap);
	va_end(ap);
}
