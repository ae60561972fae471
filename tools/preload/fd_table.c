/* fd_table.c - what the shim knows about file descriptors, and the calls that
 * create, copy or end descriptors (close, dup, dup2, dup3, fcntl F_DUPFD*).
 *
 * A redirected netlink socket and a FUSE block node are ordinary fds to the
 * kernel; only this table makes recvmsg()/ioctl()/fstat() treat them
 * specially.  A stale entry would make an unrelated later fd with the same
 * number lie, so every way an fd number is released or duplicated is wrapped. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static pthread_mutex_t table_lock = PTHREAD_MUTEX_INITIALIZER;
static struct umc_fd_info *table;
static size_t table_size;
/* Fast path: most calls are on fds we never marked, often with nothing marked. */
static unsigned long marked_count;

void umc_fd_set(int fd, const struct umc_fd_info *info)
{
	if (fd < 0)
		return;
	pthread_mutex_lock(&table_lock);
	if ((size_t)fd >= table_size) {
		size_t n = table_size ? table_size : 64;
		while (n <= (size_t)fd)
			n *= 2;
		struct umc_fd_info *grown = realloc(table, n * sizeof *grown);
		if (!grown) {
			/* Out of memory: the fd behaves as a plain fd, which is the
			 * behaviour without the shim - better than failing the call. */
			pthread_mutex_unlock(&table_lock);
			return;
		}
		memset(grown + table_size, 0, (n - table_size) * sizeof *grown);
		table = grown;
		table_size = n;
	}
	if (table[fd].kind == UMC_FD_NONE && info->kind != UMC_FD_NONE)
		__atomic_add_fetch(&marked_count, 1, __ATOMIC_RELAXED);
	else if (table[fd].kind != UMC_FD_NONE && info->kind == UMC_FD_NONE)
		__atomic_sub_fetch(&marked_count, 1, __ATOMIC_RELAXED);
	table[fd] = *info;
	pthread_mutex_unlock(&table_lock);
}

void umc_fd_forget(int fd)
{
	if (fd < 0 || __atomic_load_n(&marked_count, __ATOMIC_RELAXED) == 0)
		return;
	static const struct umc_fd_info none;
	umc_fd_set(fd, &none);
}

struct umc_fd_info umc_fd_get(int fd)
{
	struct umc_fd_info info = {.kind = UMC_FD_NONE};
	if (fd < 0 || __atomic_load_n(&marked_count, __ATOMIC_RELAXED) == 0)
		return info;
	pthread_mutex_lock(&table_lock);
	if ((size_t)fd < table_size)
		info = table[fd];
	pthread_mutex_unlock(&table_lock);
	return info;
}

void umc_fd_note_open(int fd, const char *mapped_path)
{
	const char *name;
	if (fd < 0)
		return;
	/* A number released behind our back (close_range, closedir, a spawn's
	 * file actions) may still carry an old mark: every new fd starts clean. */
	if (!umc_is_fuse_dev_path(mapped_path, &name)) {
		umc_fd_forget(fd);
		return;
	}
	struct stat st;
	/* Only regular files are FUSE block nodes; dev/ itself or a directory
	 * opened with O_PATH stays what it is. */
	if (REAL(fstat)(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		umc_fd_forget(fd);
		return;
	}
	struct umc_fd_info info = {.kind = UMC_FD_BLOCKDEV, .rdev = umc_blockdev_rdev(name)};
	umc_fd_set(fd, &info);
	umc_debug("fd %d is block device %s (%u:%u)", fd, mapped_path, major(info.rdev), minor(info.rdev));
}

/* ---- wrappers ------------------------------------------------------------- */

/* After a successful duplication NEWFD refers to OLDFD's file. */
static void copy_entry(int oldfd, int newfd)
{
	struct umc_fd_info info = umc_fd_get(oldfd);
	if (info.kind != UMC_FD_NONE)
		umc_fd_set(newfd, &info);
	else
		umc_fd_forget(newfd);
}

UMC_EXPORT int close(int fd)
{
	/* Forget first: once the number is released another thread may reuse it. */
	umc_fd_forget(fd);
	return REAL(close)(fd);
}

UMC_EXPORT int dup(int oldfd)
{
	int fd = REAL(dup)(oldfd);
	if (fd >= 0) {
		int saved_errno = errno;
		copy_entry(oldfd, fd);
		errno = saved_errno;
	}
	return fd;
}

UMC_EXPORT int dup2(int oldfd, int newfd)
{
	int fd = REAL(dup2)(oldfd, newfd);
	if (fd >= 0 && oldfd != newfd) {
		int saved_errno = errno;
		copy_entry(oldfd, fd);
		errno = saved_errno;
	}
	return fd;
}

UMC_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	int fd = REAL(dup3)(oldfd, newfd, flags);
	if (fd >= 0) {
		int saved_errno = errno;
		copy_entry(oldfd, fd);
		errno = saved_errno;
	}
	return fd;
}

/* fcntl's third argument is an int or a pointer depending on CMD; passing it
 * on as a pointer-sized value is what glibc's own fcntl does on x86-64. */
static int fcntl_common(int (*real)(int, int, ...), int fd, int cmd, void *arg)
{
	int r = real(fd, cmd, arg);
	if (r >= 0 && (cmd == F_DUPFD || cmd == F_DUPFD_CLOEXEC)) {
		int saved_errno = errno;
		copy_entry(fd, r);
		errno = saved_errno;
	}
	return r;
}

UMC_EXPORT int fcntl(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(REAL(fcntl), fd, cmd, arg);
}

UMC_EXPORT int fcntl64(int fd, int cmd, ...)
{
	va_list ap;
	va_start(ap, cmd);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	return fcntl_common(REAL(fcntl64), fd, cmd, arg);
}
