/*
 * umc/kernel_host.h - the host interface: the kernel side and the runtime as
 * the host program sees them.
 *
 * One program (umcd, a test) links one isolated kernel object: the hosted
 * module plus umc's kernel-side C (drbd-shim, umc/kernel), and the C++
 * runtime (umc/runtime).  This header is everything that program may call in
 * them, the callbacks it provides, and the numbers and types they share.  A
 * host program includes nothing else of umc.  Plain C (C types only, like the
 * wall headers); the kernel side includes it through <umc/kernel_private.h>,
 * the runtime through <umc/runtime.h>, the host program directly.
 *
 * Version: UMC_KERNEL_HOST_VERSION; bump it when a declaration changes
 * meaning (add, don't repurpose).  umc_kernel_prepare() refuses a host
 * program compiled against another version than the kernel object.
 *
 * Errors are negative Linux errno values.  "Process context" means a host
 * thread that may block; the runtime attaches a task to it on first use, so
 * any host thread qualifies once umc_runtime_init() ran.
 */
#ifndef UMC_HOST_KERNEL_HOST_H
#define UMC_HOST_KERNEL_HOST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define UMC_KERNEL_HOST_VERSION 2

struct sys_service; /* mte/sys_service.h */

/* ---- life cycle --------------------------------------------------------
 * Order: umc_kernel_prepare(UMC_KERNEL_HOST_VERSION); umc_runtime_init();
 * umc_module_init(); ... serve ...; umc_module_exit(); umc_kernel_shutdown();
 * umc_runtime_exit().  All on one thread, process context. */

/* Register the kernel side with the runtime (task_struct layout).  Call once
 * before umc_runtime_init(), with UMC_KERNEL_HOST_VERSION as the program saw
 * it: -EPROTO when the kernel object was built against another version of
 * this header (nothing is registered then), else 0. */
int umc_kernel_prepare(unsigned int host_version);

/* Options for umc_runtime_init(); zero-initialise and set what you need. */
struct umc_boot_params {
	/* Jiffies at boot.  When false, the runtime starts at UMC_INITIAL_JIFFIES
	 * (umc/time.h): 300 s before the 32-bit wrap, as the kernel does. */
	bool set_initial_jiffies;
	unsigned long initial_jiffies;
	/* Number of CPUs reported to the kernel side (nr_cpu_ids); 0: the
	 * host's online CPU count. */
	unsigned int nr_cpus;
};

/* Bring the runtime up on an open sys_service table (the program called
 * sys_service_open(); the table must outlive umc_runtime_exit()).  Starts
 * the softirq event task (timers), the RCU callback thread and attaches
 * the calling thread as a task.  -EALREADY when already running, -EPROTO
 * when the table's version is not the one umc was built against.
 * Calling context: any thread that is not a umc task; once per boot. */
int umc_runtime_init(const struct sys_service *sys, const struct umc_boot_params *params);

/* The hosted module's module_init (drbd_init): 0 or -errno. */
int umc_module_init(void);
/* Its module_exit (drbd_cleanup).  Every minor must be down first (as with
 * rmmod, which refuses while the module is in use). */
void umc_module_exit(void);
/* Free what the kernel side made for itself (the default bio sets).  After
 * umc_module_exit(), before umc_runtime_exit(). */
void umc_kernel_shutdown(void);

/* Shut down: waits for pending RCU callbacks, stops the softirq task and
 * reaps exited kthreads.  Kernel threads, workqueues and timers that the
 * kernel side left behind are reported as errors (they are its bugs).
 * After this, umc_runtime_init() may be called again.
 * Calling context: the thread that called umc_runtime_init(). */
void umc_runtime_exit(void);

/* ---- the calling thread as a task ----------------------------------------
 * Capabilities (bit n = capability n, as capable(n) tests them; ~0 all) of
 * the calling thread's task, attached on first use: a request run with
 * umc_genl_rcv() has the permissions its client has.  Process context. */
void umc_current_set_caps(uint64_t caps);

/* ---- usermode helpers (call_usermodehelper) -----------------------------
 * Environment that every helper gets in addition to the envp it is given,
 * so that a helper (e.g. drbdadm) reaches the same daemon: LD_PRELOAD=
 * `ld_preload` and UMC_FS_ROOT=`fs_root`.  NULL or "" leaves a variable
 * out.  The strings are copied.  Any thread; may be called before
 * umc_runtime_init() and again at any time. */
void umc_usermode_helper_set_env(const char *ld_preload, const char *fs_root);

/* One more variable NAME=VALUE for every helper, replacing a NAME in the
 * envp it is given (e.g. "__DRBD_NODE__", so that drbdadm in a handler picks
 * this node's `on` section).  VALUE NULL or "" takes NAME out of the extra
 * variables again.  NAME must be non-empty and contain no '='; others are
 * ignored.  The strings are copied.  Any thread, any time. */
void umc_usermode_helper_set_var(const char *name, const char *value);

/* ---- generic netlink -----------------------------------------------------
 * How the kernel side's netlink messages reach the host program's clients.
 * unicast: to one client port; broadcast: to the members of a multicast
 * group, -ESRCH when there are none.  Both return 0 or -errno and must not
 * block for long.  They are called from the task that runs the request
 * (unicast replies) or from any kernel context (broadcasts: state changes
 * come from DRBD's worker and receiver threads, with locks held).  A unicast
 * error during a dump ends that dump (the reader is taken to be gone, as when
 * a netlink socket closes mid-dump); a dump also ends after 65536 dumpit
 * rounds, with -EMSGSIZE in its NLMSG_DONE. */
struct umc_genl_transport {
	int (*unicast)(void *ctx, unsigned int portid, const void *msg, unsigned long len);
	int (*broadcast)(void *ctx, unsigned int group, const void *msg, unsigned long len);
	void *ctx;
};
/* Install (or with NULL remove) the transport.  Not while requests run. */
void umc_genl_set_transport(const struct umc_genl_transport *t);
/* Feed one datagram of netlink requests from client @portid.  Runs doit /
 * dumpit in the calling task, which must carry the client's capabilities
 * (umc_task_set_caps: GENL_ADMIN_PERM operations need CAP_NET_ADMIN, as in
 * the kernel).  Replies go out through the transport before it returns.
 * Returns the number of requests handled.  Process context. */
int umc_genl_rcv(unsigned int portid, const void *data, unsigned long len);

/* ---- /proc ---------------------------------------------------------------- */

/* The text of /proc/<name> (a seq_file show, e.g. "drbd"), NUL-terminated,
 * length in *len; NULL when there is no such entry.  Free with
 * umc_kernel_free().  Process context. */
char *umc_proc_render(const char *name, long *len);
void umc_kernel_free(void *p);

/* ---- module parameters (/sys/module/<module>/parameters) ------------------
 * Index 0 .. umc_module_param_count()-1, in link order.  Any thread. */
unsigned int umc_module_param_count(void);
/* Name and permission bits (0444, 0644, 0: not shown in sysfs) of one
 * parameter; -ENOENT past the end. */
int umc_module_param_info(unsigned int index, const char **name, unsigned int *perm);
/* The value as sysfs shows it ("Y"/"N", decimal, the string), with a
 * trailing newline, NUL-terminated in buf.  Returns the length or -errno
 * (-ENOSPC when it does not fit). */
int umc_module_param_show(unsigned int index, char *buf, size_t size);
/* Parse and store a value as a sysfs write would (one trailing newline
 * ignored): 0, -EINVAL (unparsable, out of range, string too long), -EPERM
 * (parameter not writable: no S_IWUSR in perm). */
int umc_module_param_store(unsigned int index, const char *value, size_t len);

/* ---- block I/O, both directions ------------------------------------------
 * A request as byte offset/length with the data as host iovecs, completion
 * by io->done from any thread.  Ops and flags have bio_backends' numbering
 * (bio_backends/bio_backend.h), which a host adapter checks at compile time. */
#define UMC_BDEV_OP_READ         0u
#define UMC_BDEV_OP_WRITE        1u
#define UMC_BDEV_OP_FLUSH        2u
#define UMC_BDEV_OP_DISCARD      3u
#define UMC_BDEV_OP_WRITE_ZEROES 4u
#define UMC_BDEV_F_PREFLUSH      0x1u /* act as a flush first, then do the op */
#define UMC_BDEV_F_FUA           0x2u /* the data is durable when done() runs */

/* One contiguous buffer: struct iovec's layout (and the kernel's kvec). */
struct umc_iov {
	void *base;
	size_t len;
};
struct umc_bdev_io {
	unsigned int op;    /* UMC_BDEV_OP_* */
	unsigned int flags; /* UMC_BDEV_F_* */
	unsigned long long offset;
	unsigned long long length;
	const struct umc_iov *iov;
	int iovcnt;
	void (*done)(struct umc_bdev_io *io, int status); /* status 0 or -errno */
	void *kernel_private;                             /* not the host's */
};

/* -- backing disks the host provides (blkdev_get_by_path finds them) -- */
struct umc_bdev_host_ops {
	/* Start the request; complete it (now or later) with io->done.  Called
	 * from any kernel context; must not block for long. */
	void (*submit)(void *host, struct umc_bdev_io *io);
};
struct umc_bdev_geometry {
	unsigned long long size_bytes;
	unsigned int logical_block_size;
	unsigned int physical_block_size;
	unsigned int optimal_io_size;   /* 0: none */
	unsigned int max_io_bytes;      /* 0: no limit */
	unsigned int max_discard_bytes; /* 0: no discard */
	bool write_zeroes;
	bool volatile_cache; /* needs flushes */
	bool fua;
};
/* Serve a backing disk under @path (the name an administrator writes in the
 * config, e.g. "/UMCfuse/dev/d0").  0, -EEXIST (path taken) or -ENOMEM. */
int umc_bdev_register(const char *path, void *host, const struct umc_bdev_host_ops *ops,
		      const struct umc_bdev_geometry *geo);
/* -EBUSY while the kernel side has it open, -ENOENT if unknown. */
int umc_bdev_unregister(const char *path);
/* Whether the kernel side holds @path open exclusively (FMODE_EXCL, e.g.
 * DRBD attached to it): 1, 0, or -ENOENT. */
int umc_bdev_claimed(const char *path);
/* New size after the host grew or shrank the device (what a kernel gets from
 * a rescan): 0 or -ENOENT. */
int umc_bdev_set_size(const char *path, unsigned long long size_bytes);

/* -- disks the kernel side makes (gendisks, e.g. DRBD's minors) -- */

/* Open modes, the kernel's FMODE_* values. */
#define UMC_FMODE_READ   0x1u
#define UMC_FMODE_WRITE  0x2u
#define UMC_FMODE_NDELAY 0x40u
#define UMC_FMODE_EXCL   0x80u

/* Told when a disk is added (device_add_disk) or deleted (del_gendisk).
 * Called in the kernel task that adds or deletes it, possibly with the
 * module's locks held: the callbacks must not call into the kernel side
 * (umc_disk_*, umc_genl_rcv) and must not block for long. */
struct umc_disk_listener {
	void (*added)(void *ctx, const char *name, unsigned int major, unsigned int minor);
	void (*removed)(void *ctx, const char *name);
	void *ctx;
};
/* Install (or with NULL remove) the listener.  Disks already live are not
 * replayed.  Any thread. */
void umc_disk_set_listener(const struct umc_disk_listener *l);

/* A counted reference to a disk: valid until umc_disk_put() even after the
 * kernel side deleted the disk (then every call below fails with -ENXIO, or
 * returns 0 sizes, and submitted I/O completes with -ENXIO). */
struct umc_disk;
/* The live disk named @name (e.g. "drbd1"), or NULL.  Process context. */
struct umc_disk *umc_disk_lookup(const char *name);
void umc_disk_put(struct umc_disk *d);

struct umc_disk_info {
	unsigned long long capacity_bytes;
	unsigned int logical_block_size;
	unsigned int max_io_bytes;      /* max_hw_sectors in bytes */
	unsigned int max_discard_bytes; /* 0: no discard */
	bool read_only;                 /* set_disk_ro */
	bool live;
};
/* Current geometry (it changes: attach, resize).  Any thread. */
void umc_disk_get_info(struct umc_disk *d, struct umc_disk_info *out);

/* The disk's ->open / ->release (block_device_operations) with @fmode
 * (UMC_FMODE_*); the errno of ->open reaches the host's caller (DRBD: -EROFS
 * for a writer on a Secondary, -EMEDIUMTYPE ...).  Every successful open is
 * matched by exactly one release with the same mode.  Process context. */
int umc_disk_open(struct umc_disk *d, unsigned int fmode);
void umc_disk_release(struct umc_disk *d, unsigned int fmode);

/* Submit @io to the disk (->submit_bio).  The iov memory must stay valid
 * until io->done runs; it may run before this returns, and from any
 * thread.  Offsets and lengths must be multiples of the logical block size,
 * and each iov's address and length multiples of UMC_DISK_MEMORY_ALIGN, as
 * O_DIRECT requires of memory (so the bios are ones the kernel builds);
 * otherwise done() gets -EINVAL.  Process context. */
#define UMC_DISK_MEMORY_ALIGN 512
void umc_disk_submit(struct umc_disk *d, struct umc_bdev_io *io);
/* (umc_disk_submit: a write-zeroes the disk does not advertise is written as
 * pages of zeroes, as blkdev_issue_zeroout without BLKDEV_ZERO_NOFALLBACK
 * does; a discard it does not advertise fails with -EOPNOTSUPP.) */

/* Bracket a batch of umc_disk_submit calls made by the calling thread (the
 * pieces of one larger request), as blk_start_plug/blk_finish_plug do in the
 * kernel: requests the kernel side passes on to a backing disk meanwhile are
 * held and merged with adjacent ones; umc_plug_finish starts every held one.
 * Held requests also start when the thread sleeps in kernel code.  start
 * returns NULL when out of memory (then finish does nothing); a nested start
 * leaves the outer plug in charge.  Process context, same thread for both. */
void *umc_plug_start(void);
void umc_plug_finish(void *plug);

#ifdef __cplusplus
}
#endif
#endif
