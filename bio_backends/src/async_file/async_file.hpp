// AsyncFile: the request state machine shared by the uring and aio backends.
//
// A request becomes an Op (one of `depth` preallocated slots; with none free
// it waits in a FIFO backlog, so bio_submit never blocks).  An Op issues one
// kernel operation at a time, in stages:
//
//   PREFLUSH  fdatasync          (op FLUSH, or flag PREFLUSH)
//   DATA      readv/writev       (short transfers continue where they stopped;
//             or fallocate        -EINVAL from an O_DIRECT attempt retries on
//                                 the buffered fd)
//   POSTSYNC  fdatasync          (FUA on DISCARD/WRITE_ZEROES; FUA writes use
//                                 RWF_DSYNC instead, which is a device FUA on
//                                 O_DIRECT)
//
// Why FLUSH needs no drain: a write counts for a FLUSH only once it has
// completed, and a completed write is in the page cache or on the device, so
// fdatasync issued after that covers it.  Writes still in flight are not
// ordered against the flush, as in the kernel.
//
// A driver (io_uring or libaio) provides issue() and calls on_result() for
// every finished kernel operation, from its completion task.
#pragma once

#include "../common.hpp"

#include <atomic>
#include <deque>
#include <mutex>

namespace bio {

class AsyncFile {
public:
	enum Kind { READV, WRITEV, FSYNC, FALLOCATE };
	struct Prep {
		Kind kind;
		int fd;
		const iovec *iov;
		uint32_t iovcnt;
		uint64_t off;
		uint64_t len;
		int mode;     // fallocate mode
		int rw_flags; // RWF_* for readv/writev
	};
	struct Op {
		bio_request *req;
		int stage;
		bool direct;
		bool no_direct;
		uint64_t done;
		iovec *rest;
		uint32_t restcnt;
		alignas(16) unsigned char driver[64]; // the driver's per-op state (an iocb)
		Op *next_free;
		// Release before each kernel operation, acquire on its result.  The
		// kernel's own ordering (ring barriers, io_getevents) is invisible to
		// ThreadSanitizer; this makes the hand-off explicit at no cost on x86.
		std::atomic<uint32_t> handoff;
	};

	explicit AsyncFile(const sys_service *sys) : sys_(sys) {}
	virtual ~AsyncFile() = default;

	// Parse the common options and open the file; then the driver sets up.
	int open_common(bio_device *dev, const bio_open_args *args);
	// What open_common would refuse (bio_backend_ops.check).
	static int check_common(const bio_open_args *args);
	void submit(bio_request *req);
	// Extend the backing file (regular files only: a block device's size is
	// its own).  0 or -errno.
	int resize(uint64_t new_size);
	// Waits for all requests, then lets the driver tear down (close_driver).
	void close();
	// Undo open_common (for a driver whose own setup failed): also removes
	// a file open_common created.
	void abort_common();

	const sys_service *sys() const { return sys_; }

protected:
	// Start one kernel operation for `op`.  0 when it will be reported
	// through on_result(), or -errno when it could not be started.
	virtual int issue(Op *op, const Prep &p) = 0;
	virtual void close_driver() = 0;
	// Called from the driver's completion context with the kernel's result
	// (bytes or -errno).
	void on_result(Op *op, long res);
	// Drivers call this after writing the op's kernel descriptor and right
	// before handing it to the kernel (pairs with the acquire in on_result).
	static void publish(Op *op) { op->handoff.fetch_add(1, std::memory_order_release); }

	BackingFile file_;
	uint32_t depth_ = 64;
	sys_task_t *task_ = nullptr; // the driver's completion task

private:
	enum { PREFLUSH, DATA, POSTSYNC };
	void begin(Op *op, bio_request *req);
	void run_stage(Op *op);
	void finish(Op *op, int status);
	bool direct_ok(const Op *op, const iovec *iov, uint32_t cnt, uint64_t off, uint64_t len) const;

	const sys_service *sys_;
	bool allow_direct_ = true;
	std::mutex lock_; // pool and backlog
	Op *ops_ = nullptr;
	Op *free_ = nullptr;
	std::deque<bio_request *> backlog_;
	InFlight inflight_;
};

// The ops-table glue every AsyncFile driver shares: build the driver, open
// it, and hang it on the device (or leave nothing behind on failure).
template <class Driver> int open_driver(bio_device *dev, const bio_open_args *args, const char *name)
{
	Driver *d = make<Driver>(args->sys, BIO_HERE, args->sys);
	if (!d)
		return fail(args, -ENOMEM, "%s: out of memory", name);
	int rc = d->open(dev, args);
	if (rc < 0) {
		destroy(args->sys, d);
		return rc;
	}
	dev->priv = d;
	return 0;
}

template <class Driver> int resize_driver_of(bio_device *dev, uint64_t new_size)
{
	return static_cast<Driver *>(dev->priv)->resize(new_size);
}

template <class Driver> void close_driver_of(bio_device *dev)
{
	auto *d = static_cast<Driver *>(dev->priv);
	d->close();
	destroy(dev->sys, d);
}

} // namespace bio
