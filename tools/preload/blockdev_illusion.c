/* blockdev_illusion.c - FUSE nodes under $UMC_FS_ROOT/dev look like block devices.
 *
 * umcd's nodes must be regular files: a FUSE S_IFBLK node would make the host
 * kernel route open() to its own driver for that major (ENXIO, or worse, the
 * host's DRBD).  drbd-utils insist on block devices (drbdmeta: "'x' is not a
 * block device!", drbdsetup attach: S_ISBLK), so for fds and paths that are
 * FUSE nodes we report what the kernel reports for a block device, and answer
 * the block ioctls the utils use from the regular file underneath.
 *
 * Device numbers: drbd<N> is 147:N (DRBD's major, which the utils use to name
 * lock files /var/lock/drbd-147-N).  Any other node gets major 60 (Linux's
 * "local/experimental use" range, never a real driver) and a minor from a
 * 20-bit FNV-1a hash of the node name: stable across processes and restarts,
 * distinct for practical device sets; a collision only makes two names share
 * a number in stat output. */
#define _GNU_SOURCE
#include "preload.h"
#include "real_libc.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define DRBD_MAJOR      147
#define UMC_OTHER_MAJOR 60
#define SECTOR_SIZE     512

dev_t umc_blockdev_rdev(const char *name)
{
	if (strncmp(name, "drbd", 4) == 0 && name[4]) {
		char *end;
		errno = 0;
		unsigned long n = strtoul(name + 4, &end, 10);
		if (!*end && errno == 0 && n < (1UL << 20) && name[4] >= '0' && name[4] <= '9')
			return makedev(DRBD_MAJOR, (unsigned)n);
	}
	uint32_t h = 2166136261u;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619u;
	return makedev(UMC_OTHER_MAJOR, h & 0xfffffu);
}

/* A block device inode: the type bit changes, permissions stay, the size is 0
 * (the kernel reports 0 for block devices; the size comes from BLKGETSIZE64). */
void umc_blockdev_fake_stat(struct stat *st, dev_t rdev)
{
	st->st_mode = (st->st_mode & ~S_IFMT) | S_IFBLK;
	st->st_rdev = rdev;
	st->st_size = 0;
	st->st_blocks = 0;
}

void umc_blockdev_fake_statx(struct statx *stx, dev_t rdev)
{
	stx->stx_mode = (uint16_t)((stx->stx_mode & ~S_IFMT) | S_IFBLK);
	stx->stx_rdev_major = major(rdev);
	stx->stx_rdev_minor = minor(rdev);
	stx->stx_size = 0;
	stx->stx_blocks = 0;
}

/* ---- ioctl ----------------------------------------------------------------- */

static int fail(int err)
{
	errno = err;
	return -1;
}

static int device_size(int fd, uint64_t *size)
{
	struct stat st;
	if (REAL(fstat)(fd, &st) != 0)
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

/* BLKZEROOUT / BLKDISCARD take {start, length} in bytes, both sector aligned
 * and inside the device (block/ioctl.c: blk_ioctl_zeroout/blk_ioctl_discard). */
static int check_range(int fd, const uint64_t range[2])
{
	uint64_t size;
	if (device_size(fd, &size) != 0)
		return -1;
	uint64_t start = range[0], len = range[1];
	if ((start | len) & (SECTOR_SIZE - 1))
		return fail(EINVAL);
	if (start + len < start || start + len > size)
		return fail(EINVAL);
	if (start > (uint64_t)LLONG_MAX || len > (uint64_t)LLONG_MAX)
		return fail(EINVAL);
	return 0;
}

/* Zeroes without fallocate support: plain writes, as the kernel's
 * blkdev_issue_zeroout falls back to writing zero pages. */
static int write_zeroes(int fd, uint64_t start, uint64_t len)
{
	static const char zeroes[64 * 1024];
	while (len) {
		size_t chunk = len < sizeof zeroes ? (size_t)len : sizeof zeroes;
		ssize_t n = pwrite(fd, zeroes, chunk, (off_t)start);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		if (n == 0)
			return fail(EIO);
		start += (uint64_t)n;
		len -= (uint64_t)n;
	}
	return 0;
}

static int blk_zeroout(int fd, const uint64_t *user_range)
{
	uint64_t range[2];
	memcpy(range, user_range, sizeof range);
	if (check_range(fd, range) != 0)
		return -1;
	if (range[1] == 0)
		return 0;
	if (fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, (off_t)range[0], (off_t)range[1]) == 0)
		return 0;
	if (errno != EOPNOTSUPP && errno != ENOSYS)
		return -1;
	/* O_DIRECT fds need aligned buffers for the fallback; drop the flag for it. */
	int flags = REAL(fcntl)(fd, F_GETFL);
	if (flags >= 0 && (flags & O_DIRECT))
		REAL(fcntl)(fd, F_SETFL, flags & ~O_DIRECT);
	int r = write_zeroes(fd, range[0], range[1]);
	int saved_errno = errno;
	if (flags >= 0 && (flags & O_DIRECT))
		REAL(fcntl)(fd, F_SETFL, flags);
	errno = saved_errno;
	return r;
}

static int blk_discard(int fd, const uint64_t *user_range)
{
	uint64_t range[2];
	memcpy(range, user_range, sizeof range);
	if (check_range(fd, range) != 0)
		return -1;
	if (range[1] == 0)
		return 0;
	/* A device without discard says EOPNOTSUPP, as the kernel does. */
	return fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, (off_t)range[0], (off_t)range[1]);
}

/* The block ioctls answered for FUSE nodes; anything else goes to the file
 * (FUSE answers ENOTTY, as a block driver without the ioctl would). */
static int blockdev_ioctl(int fd, unsigned long request, void *arg, bool *handled)
{
	*handled = true;
	uint64_t size;
	/* Every ioctl below except BLKFLSBUF/BLKRRPART takes a pointer; the kernel
	 * says EFAULT for a bad one, and NULL is the bad pointer we can detect. */
	if (!arg && request != BLKFLSBUF && request != BLKRRPART) {
		switch (request) {
		case BLKGETSIZE64:
		case BLKGETSIZE:
		case BLKSSZGET:
		case BLKBSZGET:
		case BLKPBSZGET:
		case BLKIOMIN:
		case BLKIOOPT:
		case BLKROGET:
		case BLKRAGET:
		case BLKFRAGET:
		case BLKZEROOUT:
		case BLKDISCARD:
			return fail(EFAULT);
		}
	}
	switch (request) {
	case BLKGETSIZE64:
		if (device_size(fd, &size) != 0)
			return -1;
		memcpy(arg, &size, sizeof size);
		return 0;
	case BLKGETSIZE: {
		if (device_size(fd, &size) != 0)
			return -1;
		if (size / SECTOR_SIZE > ULONG_MAX)
			return fail(EFBIG);
		unsigned long sectors = (unsigned long)(size / SECTOR_SIZE);
		memcpy(arg, &sectors, sizeof sectors);
		return 0;
	}
	case BLKSSZGET:
	case BLKBSZGET: {
		/* Logical sector 512; soft block size as the kernel's default for a
		 * device without a mounted filesystem: 4096 when the size allows. */
		int v = SECTOR_SIZE;
		if (request == BLKBSZGET) {
			if (device_size(fd, &size) != 0)
				return -1;
			v = size % 4096 == 0 ? 4096 : SECTOR_SIZE;
		}
		memcpy(arg, &v, sizeof v);
		return 0;
	}
	case BLKPBSZGET:
	case BLKIOMIN: {
		unsigned int v = SECTOR_SIZE;
		memcpy(arg, &v, sizeof v);
		return 0;
	}
	case BLKIOOPT: {
		unsigned int v = 0; /* "no preferred size", as most drivers report */
		memcpy(arg, &v, sizeof v);
		return 0;
	}
	case BLKROGET: {
		/* Read-only when the node refuses writes to everyone (mode without w bits). */
		struct stat st;
		if (REAL(fstat)(fd, &st) != 0)
			return -1;
		int ro = (st.st_mode & 0222) == 0;
		memcpy(arg, &ro, sizeof ro);
		return 0;
	}
	case BLKRAGET:
	case BLKFRAGET: {
		long v = 256; /* sectors: the kernel default read-ahead of 128 KiB */
		memcpy(arg, &v, sizeof v);
		return 0;
	}
	case BLKFLSBUF:
		/* The page cache of the node is FUSE's; fsync pushes it to umcd and
		 * makes umcd flush the backend, which is what the utils want. */
		return fsync(fd);
	case BLKZEROOUT:
		return blk_zeroout(fd, arg);
	case BLKDISCARD:
		return blk_discard(fd, arg);
	case BLKRRPART:
		return 0; /* no partition table to re-read */
	default:
		*handled = false;
		return 0;
	}
}

UMC_EXPORT int ioctl(int fd, unsigned long request, ...)
{
	va_list ap;
	va_start(ap, request);
	void *arg = va_arg(ap, void *);
	va_end(ap);
	struct umc_fd_info info = umc_fd_get(fd);
	if (info.kind == UMC_FD_BLOCKDEV) {
		bool handled;
		int r = blockdev_ioctl(fd, request, arg, &handled);
		if (handled) {
			umc_debug("ioctl(%d, %#lx) on block node -> %d", fd, request, r);
			return r;
		}
	}
	return REAL(ioctl)(fd, request, arg);
}
