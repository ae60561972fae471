/*
 * bio_backend.h - the one interface between block I/O producers (umc's block
 * layer, fuse_nodes, tools) and the storage that serves them.
 *
 * A *backend* is a named, versioned ops table (`struct bio_backend_ops`):
 * ram, mmap, uring, aio, fault, tcmu.  Opening a backend with a device config
 * (key=value options) yields a *device* (`struct bio_device`) with a size and
 * capabilities.  I/O is described by a *request* (`struct bio_request`) that
 * is submitted with bio_submit() and completed exactly once through its
 * `end_io` callback.
 *
 * The header is plain C and includes only <stdint.h>, <stddef.h> and
 * <sys/uio.h>, so the kernel-side C of umc and C++ can both use it.
 *
 * Versioning
 *   BIO_BACKEND_VERSION is bumped whenever a member changes meaning or
 *   position.  Members are only appended, taking reserved slots.  The
 *   registry refuses a backend whose `version` differs from the one it was
 *   compiled with or whose `size` is smaller than its sizeof.
 *
 * Calling contexts used below
 *   any thread   - may be called from any thread, concurrently with other
 *                  calls on the same device.
 *   completion   - runs on a thread the backend chooses: an mte event task of
 *                  the backend, or the submitter's own thread *inside*
 *                  bio_submit() (inline completion).  Each member says which.
 *                  Callers must be correct either way: never hold a lock in
 *                  bio_submit() that end_io also takes, and never touch a
 *                  request after bio_submit() returns unless end_io has not
 *                  run yet by your own bookkeeping.
 *
 * Errors: members returning int return 0 or a negative errno value.
 */
#ifndef BIO_BACKENDS_BIO_BACKEND_H
#define BIO_BACKENDS_BIO_BACKEND_H

#include <stddef.h>
#include <stdint.h>
#include <sys/uio.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BIO_BACKEND_VERSION 1u

#define BIO_SECTOR_SHIFT 9 /* a sector is 512 bytes, as in the kernel */
#define BIO_SECTOR_SIZE  512u

/* The most iovec entries one request may carry (the kernel's UIO_MAXIOV). */
#define BIO_MAX_IOVCNT 1024u

struct sys_service; /* mte/sys_service.h */
struct bio_device;
struct bio_request;

/* ---- requests ------------------------------------------------------------ */

enum bio_op {
	BIO_OP_READ = 0,         /* fill iov from [offset, offset+length)         */
	BIO_OP_WRITE = 1,        /* store iov at [offset, offset+length)          */
	BIO_OP_FLUSH = 2,        /* make every request that *completed* before this
				  * one was submitted durable; offset/length/iov
				  * must be 0                                     */
	BIO_OP_DISCARD = 3,      /* the range's contents become undefined; every
				  * backend here reads zeros back afterwards      */
	BIO_OP_WRITE_ZEROES = 4, /* the range reads back as zeros               */
};

/* Request flags. */
#define BIO_REQ_PREFLUSH 0x1u /* act as a FLUSH first, then do the op          */
#define BIO_REQ_FUA \
	0x2u /* the op's data is durable when end_io reports
			       * success (WRITE, WRITE_ZEROES, DISCARD)       */
#define BIO_REQ_KNOWN_FLAGS (BIO_REQ_PREFLUSH | BIO_REQ_FUA)

/* Completion callback.  `status` is 0 or a negative errno:
 *   -EINVAL  the request was malformed or out of range (nothing was done)
 *   -EIO     the storage failed (reads: buffer contents undefined; writes:
 *            the range may hold old data, new data, or a mix)
 *   -EOPNOTSUPP  the op is not in the device's capabilities
 *   others   as the backing syscall reported (-ENOSPC, -ENOMEM, ...)
 * Called exactly once per submitted request.  Calling context: completion
 * (see each backend).  It may submit new requests, but must not block for
 * long: on a backend's event task it delays every other completion, and it
 * must never call bio_close() on the request's own device.  The request and
 * its iovecs belong to the caller again from the moment end_io starts. */
typedef void (*bio_end_io_fn)(struct bio_request *req, int status);

/* One request.  The caller owns the memory; it must stay valid and unchanged
 * from bio_submit() until end_io starts (like a kernel bio). */
struct bio_request {
	uint32_t op;             /* enum bio_op                                  */
	uint32_t flags;          /* BIO_REQ_*                                    */
	uint64_t offset;         /* byte offset, a multiple of the device's
			      * logical_block_size.  Sector users: offset =
			      * sector << BIO_SECTOR_SHIFT.                   */
	uint64_t length;         /* bytes, a multiple of logical_block_size; for
			      * READ/WRITE it must equal the sum of iov_len   */
	const struct iovec *iov; /* READ/WRITE: scatter/gather list; else NULL */
	uint32_t iovcnt;         /* entries in iov, at most BIO_MAX_IOVCNT        */
	uint32_t reserved0;      /* must be 0                                     */
	bio_end_io_fn end_io;
	void *private_data; /* the caller's; the backend never touches it   */

	/* Owned by the backend between bio_submit() and end_io; the caller
	 * neither reads nor writes it (a backend keeps per-request state here
	 * instead of allocating).                                           */
	uintptr_t backend_ctx[6];
};

/* ---- devices ------------------------------------------------------------- */

/* Capability bits (struct bio_caps.features).  FLUSH, PREFLUSH and FUA are
 * accepted and honoured by every device; the first two bits only say
 * whether they cost anything (like a kernel queue's write-cache flags). */
#define BIO_CAP_FLUSH        0x01u /* volatile cache: FLUSH/PREFLUSH do work    */
#define BIO_CAP_FUA          0x02u /* FUA is cheaper than write + full flush    */
#define BIO_CAP_DISCARD      0x04u /* DISCARD is accepted                        */
#define BIO_CAP_WRITE_ZEROES 0x08u /* WRITE_ZEROES is accepted                   */
#define BIO_CAP_VOLATILE     0x10u /* contents do not survive bio_close (ram)  */

struct bio_caps {
	uint32_t features;            /* BIO_CAP_*                                */
	uint32_t logical_block_size;  /* 512 or 4096: offset/length granularity */
	uint32_t physical_block_size; /* best write granularity (>= logical)    */
	uint32_t optimal_io_size;     /* bytes, 0 = no preference               */
	uint32_t max_io_size;         /* bytes one request may carry (> 0)      */
	uint32_t max_discard_size;    /* bytes, 0 when DISCARD is unsupported   */
	uint32_t queue_depth;         /* requests the backend keeps in flight at
					* once; more are accepted and queued      */
	uint32_t mem_alignment;       /* buffer address alignment (and iov_len
					* granularity) that keeps a request on
					* the backend's fast path (O_DIRECT for
					* uring/aio); other buffers still work,
					* more slowly.  0 = no preference         */
	uint32_t reserved[4];
};

/* An open device.  Filled by the registry and the backend's open; read-only
 * for everyone else afterwards. */
struct bio_device {
	const struct bio_backend_ops *ops;
	void *priv;    /* the backend's state                      */
	uint64_t size; /* bytes, a multiple of logical_block_size  */
	struct bio_caps caps;
	const struct sys_service *sys;
	char name[32]; /* backend name, for messages               */
};

/* One key=value option of a device config, after parsing. */
struct bio_option {
	const char *key;
	const char *value; /* "" when given as a bare key               */
};

/* What a backend's open receives. */
struct bio_open_args {
	const struct sys_service *sys; /* the mte table (memory, logs, tasks);
					* NULL for check                         */
	const struct bio_option *opts; /* the options, duplicates already refused,
					* only keys the backend declared         */
	size_t nopts;
	char *err; /* where to write a one-line reason on failure */
	size_t errlen;
};

/* ---- backends ------------------------------------------------------------ */

struct bio_backend_ops {
	uint32_t version;    /* BIO_BACKEND_VERSION                               */
	uint32_t size;       /* sizeof(struct bio_backend_ops)                    */
	const char *name;    /* registry key: [a-z0-9_]+                           */
	const char *summary; /* one line for `umcd --list-backends`             */

	/* The option keys open accepts, NULL-terminated.  The registry refuses
	 * any other key and any duplicate before open runs, so open never has
	 * to undo side effects for those.  A list whose only entry is "*"
	 * means "pass everything" (the fault backend forwards to its inner
	 * backend, which the registry then checks).                          */
	const char *const *option_keys;

	/* Open a device: validate every option first, then create state.  Fill
	 * dev->priv, dev->size and dev->caps.  On failure return -errno, write
	 * the reason to args->err, and leave nothing behind (no file created
	 * or truncated).  Calling context: any thread, not a completion.     */
	int (*open)(struct bio_device *dev, const struct bio_open_args *args);

	/* Release the device.  Waits until every submitted request has
	 * completed (requests a fault backend holds are released first).
	 * Calling context: any thread except the device's own completion
	 * context; no bio_submit() may race with it.                         */
	void (*close)(struct bio_device *dev);

	/* Start a request the registry has already validated (range, alignment,
	 * op, flags, iov).  Never blocks for long (a full queue is a software
	 * backlog, not a wait); end_io runs later or inline.  Calling context:
	 * any thread, concurrently.                                           */
	void (*submit)(struct bio_device *dev, struct bio_request *req);

	/* Change the device's size to new_size bytes (a multiple of the
	 * logical block size; the registry checks), as a volume manager resizes
	 * a disk under a running kernel: file backends extend their file.  On
	 * success the registry publishes the new dev->size.  NULL: the size is
	 * fixed.  Calling context: any thread, concurrently with submit (no
	 * request may reach beyond a smaller size).                          */
	int (*resize)(struct bio_device *dev, uint64_t new_size);

	/* Check the options as open would, to the point where open would start
	 * to create or change anything: the same refusals with the same
	 * reasons (bad values, a missing file without create=1, a file that
	 * cannot be created or written, ...), but nothing is created, changed
	 * or opened for writing, and args->sys is NULL.  0 when open would
	 * get past its checks.  NULL: only the registry's option checks.
	 * Calling context: any thread.                                       */
	int (*check)(const struct bio_open_args *args);

	void (*reserved[6])(void);
};

/* ---- registry ------------------------------------------------------------ */

/* The backend registered under `name`, or NULL.  The built-in backends are
 * always registered.  Any thread. */
const struct bio_backend_ops *bio_backend_find(const char *name);

/* Add a backend (e.g. one a test or a plugin provides).  -EEXIST for a taken
 * name, -EPROTO for a version/size mismatch, -EINVAL for a bad name.  The
 * table must outlive every device opened from it.  Any thread. */
int bio_backend_register(const struct bio_backend_ops *ops);

/* Fill `names` with up to `max` registered names; returns how many exist. */
size_t bio_backend_list(const char **names, size_t max);

/* Open a device from "name" and "key=value,key=value" (options may be NULL
 * or empty; a bare "key" means "key=").  On failure returns -errno and,
 * when err is not NULL, a one-line reason in err:
 *   -ENOENT   unknown backend name, or a missing file without create=1
 *   -EINVAL   bad syntax, unknown or duplicate option, bad size
 *   others    from the backend's open
 * *out is set only on success.  Any thread, not a completion. */
int bio_open(struct bio_device **out, const struct sys_service *sys, const char *name, const char *options, char *err,
	     size_t errlen);

/* Check "name" and "key=value,..." as bio_open would (see
 * bio_backend_ops.check) without creating, changing or opening anything for
 * writing: 0, or the -errno and reason bio_open would fail with.  Needs no
 * sys_service.  Any thread. */
int bio_check(const char *name, const char *options, char *err, size_t errlen);

/* Same, with a single spec string "name:key=value,...". */
int bio_open_spec(struct bio_device **out, const struct sys_service *sys, const char *spec, char *err, size_t errlen);

/* Close a device opened with bio_open (see bio_backend_ops.close). */
void bio_close(struct bio_device *dev);

/* Validate `req` against the device and hand it to the backend.  A request
 * that fails validation completes inline with -EINVAL (or -EOPNOTSUPP for
 * an op the device lacks) and the backend never sees it.  Any thread. */
void bio_submit(struct bio_device *dev, struct bio_request *req);

/* Grow the device to `new_size` bytes (see bio_backend_ops.resize); dev->size
 * then reads the new size.  -EOPNOTSUPP when the backend's size is fixed,
 * -EINVAL when new_size is not a multiple of the logical block size or not
 * larger than the current size, else the backend's -errno.  Any thread. */
int bio_resize(struct bio_device *dev, uint64_t new_size);

/* The current size (dev->size, which bio_resize may change while others
 * read it).  Any thread. */
static inline uint64_t bio_device_size(const struct bio_device *dev)
{
	return __atomic_load_n(&dev->size, __ATOMIC_ACQUIRE);
}

/* ---- helpers for backends ------------------------------------------------ */

/* Parse a size: digits with an optional K, M, G or T suffix (binary
 * multiples, optionally followed by "iB" or "B").  -EINVAL for anything
 * else, zero, or overflow. */
int bio_parse_size(const char *text, uint64_t *out);

/* Parse a boolean option: "" / 1 / yes / true / on, or 0 / no / false / off. */
int bio_parse_bool(const char *text, int *out);

#ifdef __cplusplus
}
#endif

#endif /* BIO_BACKENDS_BIO_BACKEND_H */
