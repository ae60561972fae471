/* preload.h - internal interfaces of libumc-preload.so (see docs/preload.md).
 *
 * The library is split by concept:
 *   preload_config.c    environment: is the shim active, where is the FUSE root, the control socket
 *   real_libc.c         the next definition (dlsym RTLD_NEXT) of every libc entry point we wrap
 *   fd_table.c          what we know about an fd (redirected netlink socket, FUSE block node) + close/dup
 *   path_mapping.c      /proc/drbd, /dev/drbdN, /sys/module/drbd -> $UMC_FS_ROOT/...;
 *                       /var/lib/drbd, /var/run/drbd, /var/lock/drbd-* -> the node's state_dir
 *   blockdev_illusion.c FUSE nodes under $UMC_FS_ROOT/dev look like block devices (stat, ioctl)
 *   netlink_redirect.c  AF_NETLINK/NETLINK_GENERIC -> AF_UNIX SOCK_SEQPACKET to umcd
 *   file_wrappers.c     open/stat/access family: path mapping + block-device illusion glued together;
 *                       mkdir/unlink/symlink/readlink/rename family: path mapping
 *   host_side_effects.c keep drbd-utils from touching the host kernel's DRBD (modprobe)
 */
#ifndef UMC_PRELOAD_H
#define UMC_PRELOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/types.h>
#include <sys/un.h>

/* Wrappers are the only symbols the library exports. */
#define UMC_EXPORT __attribute__((visibility("default")))

/* ---- preload_config.c ---------------------------------------------------- */
struct umc_preload_config {
	bool active;                 /* UMC_FS_ROOT is set: every wrapper is live */
	char fs_root[4096];          /* UMC_FS_ROOT as given, without trailing '/' */
	char fs_root_real[4096];     /* realpath() of it (== fs_root if it does not resolve) */
	struct sockaddr_un ctl_addr; /* umcd's control socket */
	socklen_t ctl_addr_len;
	char ctl_name[256]; /* printable form for messages ("@umc-ctl:/UMCfuse") */
	bool debug;         /* UMC_PRELOAD_DEBUG=1: trace decisions to stderr */
	/* From $UMC_FS_ROOT/proc/umcd/node, read once; empty when umcd does not
	 * serve it (then no state paths are mapped and __DRBD_NODE__ is left alone). */
	char node_name[65];   /* the node's DRBD host name */
	char state_dir[1025]; /* where drbd-utils' host state lives for this node */
};

/* The configuration, read once on first use (thread-safe). */
const struct umc_preload_config *umc_config(void);
static inline bool umc_active(void)
{
	return umc_config()->active;
}
void umc_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* ---- path_mapping.c ------------------------------------------------------- */
/* If PATH is one of the kernel paths umcd serves, write $UMC_FS_ROOT/... into
 * OUT and return OUT; otherwise return PATH unchanged.  Never fails: a mapped
 * path that does not fit returns PATH (the call then sees the host path). */
const char *umc_map_path(const char *path, char *out, size_t out_size);
/* Is PATH (already mapped) a node directly under $UMC_FS_ROOT/dev/? If so and
 * NAME is not NULL, *NAME points at the node's name inside PATH. */
bool umc_is_fuse_dev_path(const char *path, const char **name);

/* ---- blockdev_illusion.c ------------------------------------------------- */
/* The device number we show for dev/<name>: 147:N for drbdN, else see docs. */
dev_t umc_blockdev_rdev(const char *name);
/* Rewrite a real stat of a FUSE node into what the kernel reports for a block device. */
void umc_blockdev_fake_stat(struct stat *st, dev_t rdev);
struct statx;
void umc_blockdev_fake_statx(struct statx *stx, dev_t rdev);

/* ---- fd_table.c ------------------------------------------------------------ */
enum umc_fd_kind { UMC_FD_NONE = 0, UMC_FD_NETLINK, UMC_FD_BLOCKDEV };
struct umc_fd_info {
	enum umc_fd_kind kind;
	uint32_t nl_groups; /* UMC_FD_NETLINK: bind()'s legacy group bitmask */
	dev_t rdev;         /* UMC_FD_BLOCKDEV: device number shown by fstat */
};
void umc_fd_set(int fd, const struct umc_fd_info *info);
void umc_fd_forget(int fd);
/* Copy of what we know about FD (kind UMC_FD_NONE if nothing). */
struct umc_fd_info umc_fd_get(int fd);
static inline bool umc_fd_is(int fd, enum umc_fd_kind kind)
{
	return umc_fd_get(fd).kind == kind;
}
/* FD was just opened on PATH (after mapping): mark it if it is a FUSE block
 * node, clear any stale mark otherwise. */
void umc_fd_note_open(int fd, const char *mapped_path);

#endif
