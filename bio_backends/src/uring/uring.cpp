// uring: a file or block device through io_uring.
//
// Options: path=, create=, size=, queue_depth= (1..4096, default 64),
// direct= (default 1: use O_DIRECT for requests whose buffers and offsets
// meet the file's direct-I/O alignment, the buffered fd for the rest).
//
// Submission: the submitting thread prepares its SQE and enters the kernel
// with it (the SQ is shared, so under a mutex); a hand-off to another
// thread cost more than the syscall.  The kernel ties a request to the
// thread that submitted it: what it punts to its io-wq workers (buffered
// writes) is cancelled with -ECANCELED when that thread exits -- and FUSE
// retires idle worker threads.  We never cancel a request ourselves, so
// -ECANCELED means exactly that, and the request is issued again from the
// "uring-cq" task, which lives as long as the device.  Completion: the
// ring signals an eventfd (io_uring_register_eventfd); an mte fd watch on
// that task reads it and reaps the CQ there, so every end_io runs on that
// task (inline only when a request could not even be issued).  Only that
// task touches the CQ, so reaping needs no lock.
//
// Files on tmpfs (or ramfs) are the exception: they take no IOCB_NOWAIT, so
// io_uring hands every request to an io-wq worker that does the same memory
// copy synchronously, three thread wake-ups later.  For those the
// submitting thread does the copy itself (preadv2/pwritev2, fdatasync,
// fallocate) and ends the request before bio_submit returns, as the `ram`
// backend does; nothing on a memory file system waits for a device.
#include "../async_file/async_file.hpp"

#include <cerrno>
#include <cstring>
#include <liburing.h>
#include <fcntl.h>
#include <linux/magic.h>
#include <sys/eventfd.h>
#include <sys/uio.h>
#include <sys/vfs.h>
#include <unistd.h>

namespace {

class Uring final : public bio::AsyncFile {
public:
	using AsyncFile::AsyncFile;

	int open(bio_device *dev, const bio_open_args *args)
	{
		int rc = open_common(dev, args);
		if (rc < 0)
			return rc;
		struct statfs fs;
		inline_ = fstatfs(file_.fd, &fs) == 0 && (fs.f_type == TMPFS_MAGIC || fs.f_type == RAMFS_MAGIC);
		rc = io_uring_queue_init(depth_, &ring_, 0);
		if (rc < 0) {
			abort_common();
			return bio::fail(args, rc, "uring: io_uring_queue_init: %s", strerror(-rc));
		}
		have_ring_ = true;
		efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (efd_ < 0) {
			rc = -errno;
			goto fail;
		}
		if ((rc = io_uring_register_eventfd(&ring_, efd_)) < 0)
			goto fail;
		if ((rc = sys()->task_create(&task_, "uring-cq", nullptr, nullptr)) < 0)
			goto fail;
		if ((rc = sys()->fd_watch_create(&watch_, task_, efd_, SYS_FD_IN, on_event, this)) < 0)
			goto fail;
		return 0;
	fail:
		close_driver();
		abort_common();
		return bio::fail(args, rc, "uring: setup failed: %s", strerror(-rc));
	}

protected:
	int issue(Op *op, const Prep &p) override
	{
		if (inline_) {
			on_result(op, copy_now(p));
			return 0;
		}
		std::lock_guard<std::mutex> g(sq_lock_);
		io_uring_sqe *sqe = io_uring_get_sqe(&ring_);
		if (!sqe) {
			// Cannot happen with depth_ slots and one SQE per slot, but an
			// earlier failed submit may have left SQEs queued.
			io_uring_submit(&ring_);
			sqe = io_uring_get_sqe(&ring_);
			if (!sqe)
				return -EBUSY;
		}
		switch (p.kind) {
		case READV:
			io_uring_prep_readv(sqe, p.fd, p.iov, p.iovcnt, p.off);
			sqe->rw_flags = p.rw_flags;
			break;
		case WRITEV:
			io_uring_prep_writev(sqe, p.fd, p.iov, p.iovcnt, p.off);
			sqe->rw_flags = p.rw_flags;
			break;
		case FSYNC:
			io_uring_prep_fsync(sqe, p.fd, IORING_FSYNC_DATASYNC);
			break;
		case FALLOCATE:
			io_uring_prep_fallocate(sqe, p.fd, p.mode, p.off, p.len);
			break;
		}
		io_uring_sqe_set_data(sqe, op);
		publish(op);
		submit_locked();
		return 0;
	}

	// sq_lock_ held.
	void submit_locked()
	{
		int rc;
		do
			rc = io_uring_submit(&ring_);
		while (rc == -EINTR);
		// On another error the SQEs stay queued and the next submit (or the
		// reaper) pushes them; each still completes exactly once.
		if (rc < 0)
			bio::log(sys(), SYS_LOG_WARN, "uring: submit: %s (will retry)", strerror(-rc));
	}

	void close_driver() override
	{
		if (watch_)
			sys()->fd_watch_destroy(watch_);
		if (task_)
			sys()->task_destroy(task_);
		watch_ = nullptr;
		task_ = nullptr;
		if (have_ring_)
			io_uring_queue_exit(&ring_);
		have_ring_ = false;
		if (efd_ >= 0)
			::close(efd_);
		efd_ = -1;
	}

private:
	// A memory file system's operation, in the calling thread.
	static long copy_now(const Prep &p)
	{
		long r;
		switch (p.kind) {
		case READV:
			r = preadv2(p.fd, p.iov, (int)p.iovcnt, (off_t)p.off, p.rw_flags);
			break;
		case WRITEV:
			r = pwritev2(p.fd, p.iov, (int)p.iovcnt, (off_t)p.off, p.rw_flags);
			break;
		case FSYNC:
			r = fdatasync(p.fd);
			break;
		default:
			r = fallocate(p.fd, p.mode, (off_t)p.off, (off_t)p.len);
			break;
		}
		return r < 0 ? -errno : r;
	}

	static void on_event(void *arg, int fd, uint32_t)
	{
		auto *self = static_cast<Uring *>(arg);
		uint64_t v;
		// Read first, then drain: a CQE posted after the drain re-signals.
		while (read(fd, &v, sizeof v) < 0 && errno == EINTR) {
		}
		self->reap();
	}

	void reap()
	{
		for (;;) {
			io_uring_cqe *cqe;
			if (io_uring_peek_cqe(&ring_, &cqe) != 0)
				break;
			auto *op = static_cast<Op *>(io_uring_cqe_get_data(cqe));
			long res = cqe->res;
			if (res == -ECANCELED)
				res = -EAGAIN; // its submitter exited: issue it again from here
			io_uring_cqe_seen(&ring_, cqe);
			on_result(op, res);
		}
		std::lock_guard<std::mutex> g(sq_lock_);
		if (io_uring_sq_ready(&ring_))
			submit_locked();
	}

	io_uring ring_{};
	bool have_ring_ = false;
	bool inline_ = false; // tmpfs/ramfs: see the top of this file
	std::mutex sq_lock_;
	int efd_ = -1;
	sys_fd_watch_t *watch_ = nullptr;
};

int uring_open(bio_device *dev, const bio_open_args *args)
{
	return bio::open_driver<Uring>(dev, args, "uring");
}

void uring_close(bio_device *dev)
{
	bio::close_driver_of<Uring>(dev);
}

int uring_resize(bio_device *dev, uint64_t size)
{
	return bio::resize_driver_of<Uring>(dev, size);
}

void uring_submit(bio_device *dev, bio_request *req)
{
	static_cast<Uring *>(dev->priv)->submit(req);
}

const char *const uring_keys[] = {"path", "create", "size", "queue_depth", "direct", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_uring_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"uring",
	"a file or block device through io_uring (path=, create=, size=, queue_depth=, direct=)",
	uring_keys,
	uring_open,
	uring_close,
	uring_submit,
	uring_resize,
	bio::AsyncFile::check_common,
	{},
};
