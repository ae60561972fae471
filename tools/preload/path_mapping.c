/* path_mapping.c - the kernel paths drbd-utils use, moved into umcd's tree.
 *
 *   /proc/drbd               -> $UMC_FS_ROOT/proc/drbd
 *   /dev/drbd<N>             -> $UMC_FS_ROOT/dev/drbd<N>       (N: decimal digits only)
 *   /sys/module/drbd[/...]   -> $UMC_FS_ROOT/sys/module/drbd[/...]
 *
 * Exact, lexical matches only: the utils spell these paths literally, and a
 * looser rule (say, every /dev/drbd*) would hide host paths such as the udev
 * directory /dev/drbd/by-res.  Backing devices are named by their FUSE path
 * ($UMC_FS_ROOT/dev/<name>) in drbd.conf and need no mapping. */
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

const char *umc_map_path(const char *path, char *out, size_t out_size)
{
	if (!path || !umc_active())
		return path;
	const char *suffix = mapped_suffix(path);
	if (!suffix)
		return path;
	int n = snprintf(out, out_size, "%s%s", umc_config()->fs_root, suffix);
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
