/* file_wrappers.c - the libc calls that take a path or describe an fd:
 * open/openat/fopen (and their 64-bit and fortified twins), the stat family,
 * access.  Each one maps the path (path_mapping.c), and for FUSE block nodes
 * remembers the fd or rewrites the stat result (blockdev_illusion.c).  The
 * calls drbd-utils make on their host state (mkdir /var/run/drbd, symlink,
 * readlink and unlink of its registrations) and their *at twins only map.
 *
 * glibc calls its own internals (fopen -> __open, realpath -> __lstat) without
 * going through these symbols, so every public twin is wrapped separately. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The old stat ABI (binaries linked against glibc < 2.33 import these). */
int __xstat(int ver, const char *path, struct stat *st);
int __xstat64(int ver, const char *path, struct stat64 *st);
int __lxstat(int ver, const char *path, struct stat *st);
int __lxstat64(int ver, const char *path, struct stat64 *st);
int __fxstat(int ver, int fd, struct stat *st);
int __fxstat64(int ver, int fd, struct stat64 *st);
int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags);
int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags);
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

#define MAP(path)                      \
	char umc_mapped_buf[PATH_MAX]; \
	const char *mapped = umc_map_path((path), umc_mapped_buf, sizeof umc_mapped_buf)

/* On x86-64 struct stat and struct stat64 are the same layout; one rewrite
 * serves both (a static assertion keeps that honest). */
_Static_assert(sizeof(struct stat) == sizeof(struct stat64), "stat64 layout differs");

/* ---- open ------------------------------------------------------------------ */

/* FUSE rejects nothing for O_EXCL without O_CREAT, but the kernel's meaning
 * ("exclusive open of a block device") cannot be honoured by a regular file;
 * umcd enforces exclusivity itself (docs/preload.md), so the flag is dropped. */
static int adjust_flags(const char *mapped, int flags)
{
	if ((flags & O_EXCL) && !(flags & O_CREAT) && umc_is_fuse_dev_path(mapped, NULL))
		return flags & ~O_EXCL;
	return flags;
}

static bool needs_mode(int flags)
{
	return (flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE;
}

static int after_open(int fd, const char *mapped)
{
	if (fd >= 0 && umc_active()) {
		int saved_errno = errno;
		umc_fd_note_open(fd, mapped);
		errno = saved_errno;
	}
	return fd;
}

#define OPEN_WRAPPER(fn)                                                                        \
	UMC_EXPORT int fn(const char *path, int flags, ...)                                     \
	{                                                                                       \
		mode_t mode = 0;                                                                \
		if (needs_mode(flags)) {                                                        \
			va_list ap;                                                             \
			va_start(ap, flags);                                                    \
			mode = va_arg(ap, mode_t);                                              \
			va_end(ap);                                                             \
		}                                                                               \
		if (!umc_active())                                                              \
			return REAL(fn)(path, flags, mode);                                     \
		MAP(path);                                                                      \
		return after_open(REAL(fn)(mapped, adjust_flags(mapped, flags), mode), mapped); \
	}
OPEN_WRAPPER(open)
OPEN_WRAPPER(open64)

#define OPENAT_WRAPPER(fn)                                                                             \
	UMC_EXPORT int fn(int dirfd, const char *path, int flags, ...)                                 \
	{                                                                                              \
		mode_t mode = 0;                                                                       \
		if (needs_mode(flags)) {                                                               \
			va_list ap;                                                                    \
			va_start(ap, flags);                                                           \
			mode = va_arg(ap, mode_t);                                                     \
			va_end(ap);                                                                    \
		}                                                                                      \
		if (!umc_active())                                                                     \
			return REAL(fn)(dirfd, path, flags, mode);                                     \
		MAP(path);                                                                             \
		return after_open(REAL(fn)(dirfd, mapped, adjust_flags(mapped, flags), mode), mapped); \
	}
OPENAT_WRAPPER(openat)
OPENAT_WRAPPER(openat64)

/* The _FORTIFY_SOURCE entry points (drbdmeta imports __open64_2). */
#define OPEN2_WRAPPER(fn)                                                                 \
	UMC_EXPORT int fn(const char *path, int flags)                                    \
	{                                                                                 \
		if (!umc_active())                                                        \
			return REAL(fn)(path, flags);                                     \
		MAP(path);                                                                \
		return after_open(REAL(fn)(mapped, adjust_flags(mapped, flags)), mapped); \
	}
OPEN2_WRAPPER(__open_2)
OPEN2_WRAPPER(__open64_2)

#define OPENAT2_WRAPPER(fn)                                                                      \
	UMC_EXPORT int fn(int dirfd, const char *path, int flags)                                \
	{                                                                                        \
		if (!umc_active())                                                               \
			return REAL(fn)(dirfd, path, flags);                                     \
		MAP(path);                                                                       \
		return after_open(REAL(fn)(dirfd, mapped, adjust_flags(mapped, flags)), mapped); \
	}
OPENAT2_WRAPPER(__openat_2)
OPENAT2_WRAPPER(__openat64_2)

UMC_EXPORT int creat(const char *path, mode_t mode)
{
	return open(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

UMC_EXPORT int creat64(const char *path, mode_t mode)
{
	return open64(path, O_CREAT | O_WRONLY | O_TRUNC, mode);
}

static FILE *after_fopen(FILE *f, const char *mapped)
{
	if (f && umc_active()) {
		int saved_errno = errno;
		umc_fd_note_open(fileno(f), mapped);
		errno = saved_errno;
	}
	return f;
}

UMC_EXPORT FILE *fopen(const char *path, const char *mode)
{
	MAP(path);
	return after_fopen(REAL(fopen)(mapped, mode), mapped);
}

UMC_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	MAP(path);
	return after_fopen(REAL(fopen64)(mapped, mode), mapped);
}

UMC_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	if (stream)
		umc_fd_forget(fileno(stream));
	MAP(path);
	return after_fopen(REAL(freopen)(mapped, mode, stream), mapped);
}

UMC_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	if (stream)
		umc_fd_forget(fileno(stream));
	MAP(path);
	return after_fopen(REAL(freopen64)(mapped, mode, stream), mapped);
}

UMC_EXPORT int fclose(FILE *stream)
{
	if (stream)
		umc_fd_forget(fileno(stream));
	return REAL(fclose)(stream);
}

/* ---- stat ------------------------------------------------------------------- */

/* libc declares PATH nonnull, yet callers do pass NULL (libc answers EFAULT);
 * the library is built with -fno-delete-null-pointer-checks so this test stays. */
static bool is_empty_path(const char *path)
{
	return path != NULL && *path == '\0';
}

/* RESULT came from a stat of MAPPED: rewrite it if that is a FUSE block node. */
static int after_path_stat(int result, const char *mapped, struct stat *st)
{
	const char *name;
	if (result == 0 && S_ISREG(st->st_mode) && umc_is_fuse_dev_path(mapped, &name))
		umc_blockdev_fake_stat(st, umc_blockdev_rdev(name));
	return result;
}

static int after_fd_stat(int result, int fd, struct stat *st)
{
	if (result == 0) {
		struct umc_fd_info info = umc_fd_get(fd);
		if (info.kind == UMC_FD_BLOCKDEV)
			umc_blockdev_fake_stat(st, info.rdev);
	}
	return result;
}

UMC_EXPORT int stat(const char *path, struct stat *st)
{
	MAP(path);
	return after_path_stat(REAL(stat)(mapped, st), mapped, st);
}

UMC_EXPORT int stat64(const char *path, struct stat64 *st)
{
	MAP(path);
	return after_path_stat(REAL(stat64)(mapped, st), mapped, (struct stat *)st);
}

UMC_EXPORT int lstat(const char *path, struct stat *st)
{
	MAP(path);
	return after_path_stat(REAL(lstat)(mapped, st), mapped, st);
}

UMC_EXPORT int lstat64(const char *path, struct stat64 *st)
{
	MAP(path);
	return after_path_stat(REAL(lstat64)(mapped, st), mapped, (struct stat *)st);
}

UMC_EXPORT int fstat(int fd, struct stat *st)
{
	return after_fd_stat(REAL(fstat)(fd, st), fd, st);
}

UMC_EXPORT int fstat64(int fd, struct stat64 *st)
{
	return after_fd_stat(REAL(fstat64)(fd, st), fd, (struct stat *)st);
}

/* fstatat: an empty path with AT_EMPTY_PATH describes DIRFD itself; an
 * absolute path is mapped; a relative one is left alone (see docs). */
static int fstatat_common(int result, int dirfd, const char *path, const char *mapped, struct stat *st, int flags)
{
	if (result != 0)
		return result;
	if ((flags & AT_EMPTY_PATH) && is_empty_path(path))
		return after_fd_stat(result, dirfd, st);
	return after_path_stat(result, mapped, st);
}

UMC_EXPORT int fstatat(int dirfd, const char *path, struct stat *st, int flags)
{
	MAP(path);
	return fstatat_common(REAL(fstatat)(dirfd, mapped, st, flags), dirfd, path, mapped, st, flags);
}

UMC_EXPORT int fstatat64(int dirfd, const char *path, struct stat64 *st, int flags)
{
	MAP(path);
	return fstatat_common(REAL(fstatat64)(dirfd, mapped, st, flags), dirfd, path, mapped, (struct stat *)st, flags);
}

UMC_EXPORT int statx(int dirfd, const char *path, int flags, unsigned int mask, struct statx *stx)
{
	MAP(path);
	int r = REAL(statx)(dirfd, mapped, flags, mask, stx);
	if (r != 0 || !umc_active())
		return r;
	if ((flags & AT_EMPTY_PATH) && is_empty_path(path)) {
		struct umc_fd_info info = umc_fd_get(dirfd);
		if (info.kind == UMC_FD_BLOCKDEV)
			umc_blockdev_fake_statx(stx, info.rdev);
		return r;
	}
	const char *name;
	if ((stx->stx_mask & STATX_TYPE) && S_ISREG(stx->stx_mode) && umc_is_fuse_dev_path(mapped, &name))
		umc_blockdev_fake_statx(stx, umc_blockdev_rdev(name));
	return r;
}

/* Old ABI: VER is _STAT_VER_LINUX (1) on x86-64, whose layout is struct stat. */
UMC_EXPORT int __xstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return stat(path, st);
}
UMC_EXPORT int __xstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return stat64(path, st);
}
UMC_EXPORT int __lxstat(int ver, const char *path, struct stat *st)
{
	(void)ver;
	return lstat(path, st);
}
UMC_EXPORT int __lxstat64(int ver, const char *path, struct stat64 *st)
{
	(void)ver;
	return lstat64(path, st);
}
UMC_EXPORT int __fxstat(int ver, int fd, struct stat *st)
{
	(void)ver;
	return fstat(fd, st);
}
UMC_EXPORT int __fxstat64(int ver, int fd, struct stat64 *st)
{
	(void)ver;
	return fstat64(fd, st);
}
UMC_EXPORT int __fxstatat(int ver, int dirfd, const char *path, struct stat *st, int flags)
{
	(void)ver;
	return fstatat(dirfd, path, st, flags);
}
UMC_EXPORT int __fxstatat64(int ver, int dirfd, const char *path, struct stat64 *st, int flags)
{
	(void)ver;
	return fstatat64(dirfd, path, st, flags);
}

/* ---- access ------------------------------------------------------------------ */

UMC_EXPORT int access(const char *path, int mode)
{
	MAP(path);
	return REAL(access)(mapped, mode);
}

UMC_EXPORT int faccessat(int dirfd, const char *path, int mode, int flags)
{
	MAP(path);
	return REAL(faccessat)(dirfd, mapped, mode, flags);
}

UMC_EXPORT int euidaccess(const char *path, int mode)
{
	MAP(path);
	return REAL(euidaccess)(mapped, mode);
}

UMC_EXPORT int eaccess(const char *path, int mode)
{
	MAP(path);
	return REAL(eaccess)(mapped, mode);
}

/* ---- directories, links, names -------------------------------------------------
 * drbdadm/drbdsetup register a running resource as symlinks
 * /var/run/drbd/drbd-{minor-N,resource-R}.conf -> the config file (mkdir,
 * readlink, symlink, unlink).  A symlink's target is what the link says,
 * never mapped; only where the link lives is. */

UMC_EXPORT int mkdir(const char *path, mode_t mode)
{
	MAP(path);
	return REAL(mkdir)(mapped, mode);
}

UMC_EXPORT int mkdirat(int dirfd, const char *path, mode_t mode)
{
	MAP(path);
	return REAL(mkdirat)(dirfd, mapped, mode);
}

UMC_EXPORT int rmdir(const char *path)
{
	MAP(path);
	return REAL(rmdir)(mapped);
}

UMC_EXPORT int unlink(const char *path)
{
	MAP(path);
	return REAL(unlink)(mapped);
}

UMC_EXPORT int unlinkat(int dirfd, const char *path, int flags)
{
	MAP(path);
	return REAL(unlinkat)(dirfd, mapped, flags);
}

UMC_EXPORT int symlink(const char *target, const char *linkpath)
{
	MAP(linkpath);
	return REAL(symlink)(target, mapped);
}

UMC_EXPORT int symlinkat(const char *target, int dirfd, const char *linkpath)
{
	MAP(linkpath);
	return REAL(symlinkat)(target, dirfd, mapped);
}

UMC_EXPORT ssize_t readlink(const char *path, char *buf, size_t size)
{
	MAP(path);
	return REAL(readlink)(mapped, buf, size);
}

UMC_EXPORT ssize_t readlinkat(int dirfd, const char *path, char *buf, size_t size)
{
	MAP(path);
	return REAL(readlinkat)(dirfd, mapped, buf, size);
}

UMC_EXPORT int rename(const char *from, const char *to)
{
	char from_buf[PATH_MAX], to_buf[PATH_MAX];
	return REAL(rename)(umc_map_path(from, from_buf, sizeof from_buf), umc_map_path(to, to_buf, sizeof to_buf));
}

UMC_EXPORT int renameat(int fromfd, const char *from, int tofd, const char *to)
{
	char from_buf[PATH_MAX], to_buf[PATH_MAX];
	return REAL(renameat)(fromfd, umc_map_path(from, from_buf, sizeof from_buf), tofd,
			      umc_map_path(to, to_buf, sizeof to_buf));
}
