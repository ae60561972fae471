/* path_mapping.c - the kernel paths drbd-utils use, moved into umcd's tree.
 *
 *   /proc/drbd               -> $UMC_FS_ROOT/proc/drbd
 *   /dev/drbd<N>             -> $UMC_FS_ROOT/dev/drbd<N>       (N: decimal digits only)
 *   /sys/module/drbd[/...]   -> $UMC_FS_ROOT/sys/module/drbd[/...]
 *
 * Exact, lexical matches only: the utils spell these paths literally, and a
 * looser rule (say, every /dev/drbd*) would hide host paths such as the udev
 * directory /dev/drbd/by-res.  Backing devices are named by their FUSE path
 * ($UMC_FS_ROOT/dev/<name>) in drbd.conf and need no mapping.
 *
 * drbd-utils' host state goes to the node's state_dir (from umcd's
 * proc/umcd/node), so that several nodes on one host never share it:
 *
 *   /var/lib/drbd[/...]      -> <state_dir>/lib[/...]     (drbd-minor-N.lkbd, node_id)
 *   /var/run/drbd[/...]      -> <state_dir>/run[/...]     (drbd-minor-N.conf, drbd-resource-R.conf)
 *   /var/lock/drbd-<name>    -> <state_dir>/lock/drbd-<name>  (drbd-147-N; no other lock file)
 *
 * Without a node file (umcd not running) these stay host paths. */
#define _GNU_SOURCE
#include "preload.h"

#include <stdio.h>
#include <string.h>

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

/* Does PATH need mapping?  Returns the suffix to append to the root, or NULL. */
static const char *mapped_suffix(const char *path)
{
	if (strcmp(path, "/proc/drbd") == 0)
		return path;
	if (strncmp(path, "/dev/drbd", 9) == 0 && all_digits(path + 9))
		return path;
	if (strncmp(path, "/sys/module/drbd", 16) == 0 && (path[16] == '\0' || path[16] == '/'))
		return path;
	return NULL;
}

/* PATH is DIR itself or below it (DIR without trailing '/'). */
static bool is_at_or_below(const char *path, const char *dir, size_t dir_len)
{
	return strncmp(path, dir, dir_len) == 0 && (path[dir_len] == '\0' || path[dir_len] == '/');
}

/* Does PATH name drbd-utils' host state?  Returns the state_dir
 * subdirectory ("/lib", "/run", "/lock") and sets *REST to what follows it. */
static const char *state_subdir(const char *path, const char **rest)
{
	if (is_at_or_below(path, "/var/lib/drbd", 13)) {
		*rest = path + 13;
		return "/lib";
	}
	if (is_at_or_below(path, "/var/run/drbd", 13)) {
		*rest = path + 13;
		return "/run";
	}
	/* Only drbd-* lock files: /var/lock holds other programs' locks. */
	if (strncmp(path, "/var/lock/drbd-", 15) == 0 && path[15] && !strchr(path + 15, '/')) {
		*rest = path + 9;
		return "/lock";
	}
	return NULL;
}

const char *umc_map_path(const char *path, char *out, size_t out_size)
{
	if (!path || !umc_active())
		return path;
	const struct umc_preload_config *c = umc_config();
	int n;
	const char *suffix = mapped_suffix(path), *rest, *sub;
	if (suffix)
		n = snprintf(out, out_size, "%s%s", c->fs_root, suffix);
	else if (c->state_dir[0] && (sub = state_subdir(path, &rest)))
		n = snprintf(out, out_size, "%s%s%s", c->state_dir, sub, rest);
	else
		return path;
	if (n < 0 || (size_t)n >= out_size)
		return path;
	umc_debug("path %s -> %s", path, out);
	return out;
}

/* PATH starts with ROOT "/dev/" and names a direct child. */
static bool under_dev_of(const char *path, const char *root, const char **name)
{
	size_t n = strlen(root);
	if (strncmp(path, root, n) != 0 || strncmp(path + n, "/dev/", 5) != 0)
		return false;
	const char *leaf = path + n + 5;
	if (!*leaf || strchr(leaf, '/'))
		return false;
	if (name)
		*name = leaf;
	return true;
}

bool umc_is_fuse_dev_path(const char *path, const char **name)
{
	if (!path || path[0] != '/' || !umc_active())
		return false;
	const struct umc_preload_config *c = umc_config();
	/* Both spellings: the utils use what drbd.conf says, which may be the
	 * root as configured or its resolved form. */
	return under_dev_of(path, c->fs_root, name) || under_dev_of(path, c->fs_root_real, name);
}
