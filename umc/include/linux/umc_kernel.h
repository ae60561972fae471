/* Entry points of the kernel side for the program that hosts it (not a
 * kernel header: UMC's own). */
#ifndef _LINUX_UMC_KERNEL_H
#define _LINUX_UMC_KERNEL_H
/* Register the kernel side with the runtime (task_struct layout).  Call
 * once before umc_runtime_init(). */
void umc_kernel_prepare(void);
/* Free what the kernel side made for itself (the default bio sets).  Call
 * after the hosted module's exit, before umc_runtime_exit(). */
void umc_kernel_shutdown(void);

/* Generic netlink transport: how the kernel side's netlink messages reach
 * the host program's clients (drbdsetup).  unicast: to one client port;
 * broadcast: to the members of a multicast group, -ESRCH when there are
 * none.  Both return 0 or -errno and must not block.  A unicast error
 * during a dump ends that dump (the reader is taken to be gone, as when a
 * netlink socket closes mid-dump); a dump also ends after 65536 dumpit
 * rounds, with -EMSGSIZE in its NLMSG_DONE. */
struct umc_genl_transport {
	int (*unicast)(void *ctx, unsigned int portid, const void *msg, unsigned long len);
	int (*broadcast)(void *ctx, unsigned int group, const void *msg, unsigned long len);
	void *ctx;
};
void umc_genl_set_transport(const struct umc_genl_transport *t);
/* Feed one datagram of netlink requests from client @portid (runs doit /
 * dumpit in the calling task, which should carry the client's capabilities).
 * Replies go out through the transport.  Returns the number of requests. */
int umc_genl_rcv(unsigned int portid, const void *data, unsigned long len);

/* Module parameters of the hosted driver (module_param*), for
 * /sys/module/<module>/parameters: *count records (see linux/moduleparam.h). */
struct umc_module_param;
const struct umc_module_param *umc_kernel_module_params(unsigned int *count);

/* ---- block devices provided by the host (backing disks) ----
 * The host program (bio_backends glue) registers each device it serves
 * under a path; blkdev_get_by_path() finds it there.  Bios to it become
 * umc_bdev_io requests: byte offset/length, the data as host iovecs
 * (struct umc_iov has struct iovec's layout), completion by io->done from
 * any thread.  Ops and flags use bio_backends' numbering:
 * op 0 read, 1 write, 2 flush, 3 discard, 4 write-zeroes;
 * flags 1 preflush, 2 FUA. */
struct umc_iov;
struct umc_bdev_io {
	unsigned int op;
	unsigned int flags;
	unsigned long long offset;
	unsigned long long length;
	const struct umc_iov *iov;
	int iovcnt;
	void (*done)(struct umc_bdev_io *io, int status);  /* status 0 or -errno */
	void *kernel_private;                               /* not the host's */
};
struct umc_bdev_host_ops {
	/* Start the request; complete it (now or later) with io->done. */
	void (*submit)(void *host, struct umc_bdev_io *io);
};
struct umc_bdev_geometry {
	unsigned long long size_bytes;
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int optimal_io_size;      /* 0: none */
	unsigned int max_io_bytes;         /* 0: no limit */
	unsigned int max_discard_bytes;    /* 0: no discard */
	bool write_zeroes;
	bool volatile_cache;               /* needs flushes */
	bool fua;
};
/* 0, -EEXIST (path taken) or -ENOMEM. */
int umc_bdev_register(const char *path, void *host, const struct umc_bdev_host_ops *ops,
		      const struct umc_bdev_geometry *geo);
/* -EBUSY while the device is open, -ENOENT if unknown. */
int umc_bdev_unregister(const char *path);
#endif
