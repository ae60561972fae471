// aio: a file or block device through Linux native AIO (libaio).
//
// Options: as uring (path=, create=, size=, queue_depth=, direct=).
//
// Reads and writes are io_submit()ted as IOCB_CMD_PREADV/PWRITEV (FUA writes
// carry RWF_DSYNC in aio_rw_flags), flushes as IOCB_CMD_FDSYNC.  Every iocb
// names the device's eventfd (io_set_eventfd); an mte fd watch on the
// "aio-cq" task reaps with a zero-timeout io_getevents, so end_io runs there.
// Native AIO has no fallocate, so DISCARD and WRITE_ZEROES run fallocate()
// on a second task, "aio-sync", and complete on it.
//
// Caveat that is the kernel's, not ours: AIO on the buffered fd (requests
// that do not meet the O_DIRECT alignment, or direct=0) is performed
// synchronously inside io_submit, i.e. on the submitter's thread.
#include "../async_file/async_file.hpp"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <libaio.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace {

static_assert(sizeof(iocb) <= sizeof(bio::AsyncFile::Op::driver), "iocb must fit the op's driver area");

class Aio final : public bio::AsyncFile {
public:
	using AsyncFile::AsyncFile;

	int open(bio_device *dev, const bio_open_args *args)
	{
		int rc = open_common(dev, args);
		if (rc < 0)
			return rc;
		if ((rc = io_setup((int)depth_, &ctx_)) < 0) {
			ctx_ = nullptr;
			goto fail;
		}
		efd_ = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
		if (efd_ < 0) {
			rc = -errno;
			goto fail;
		}
		if ((rc = sys()->task_create(&task_, "aio-cq", nullptr, nullptr)) < 0)
			goto fail;
		if ((rc = sys()->task_create(&sync_task_, "aio-sync", nullptr, nullptr)) < 0)
			goto fail;
		if ((rc = sys()->fd_watch_create(&watch_, task_, efd_, SYS_FD_IN, on_event, this)) < 0)
			goto fail;
		return 0;
	fail:
		close_driver();
		abort_common();
		return bio::fail(args, rc, "aio: setup failed: %s", strerror(-rc));
	}

protected:
	int issue(Op *op, const Prep &p) override
	{
		if (p.kind == FALLOCATE) {
			pending_prep(op) = p;
			int rc = sys()->task_post(sync_task_, SYS_PRIO_NORMAL, run_fallocate, op);
			return rc < 0 ? rc : 0;
		}
		auto *cb = reinterpret_cast<iocb *>(op->driver);
		switch (p.kind) {
		case READV:
			io_prep_preadv2(cb, p.fd, p.iov, (int)p.iovcnt, (long long)p.off, p.rw_flags);
			break;
		case WRITEV:
			io_prep_pwritev2(cb, p.fd, p.iov, (int)p.iovcnt, (long long)p.off, p.rw_flags);
			break;
		default:
			io_prep_fdsync(cb, p.fd);
			break;
		}
		io_set_eventfd(cb, efd_);
		cb->data = op;
		iocb *list[1] = {cb};
		publish(op);
		int rc;
		do
			rc = io_submit(ctx_, 1, list);
		while (rc == -EINTR);
		return rc == 1 ? 0 : (rc < 0 ? rc : -EIO);
	}

	void close_driver() override
	{
		if (watch_)
			sys()->fd_watch_destroy(watch_);
		if (task_)
			sys()->task_destroy(task_);
		if (sync_task_)
			sys()->task_destroy(sync_task_);
		watch_ = nullptr;
		task_ = sync_task_ = nullptr;
		if (ctx_)
			io_destroy(ctx_);
		ctx_ = nullptr;
		if (efd_ >= 0)
			::close(efd_);
		efd_ = -1;
	}

private:
	// The fallocate parameters ride in the op's (otherwise unused) iocb area.
	static Prep &pending_prep(Op *op)
	{
		static_assert(sizeof(Prep) <= sizeof(op->driver));
		return *reinterpret_cast<Prep *>(op->driver);
	}

	static void run_fallocate(void *arg)
	{
		auto *op = static_cast<Op *>(arg);
		Prep &p = pending_prep(op);
		auto *self = static_cast<Aio *>(reinterpret_cast<bio::AsyncFile *>(op->req->backend_ctx[0]));
		long res = fallocate(p.fd, p.mode, (off_t)p.off, (off_t)p.len) < 0 ? -errno : 0;
		self->on_result(op, res);
	}

	static void on_event(void *arg, int fd, uint32_t)
	{
		auto *self = static_cast<Aio *>(arg);
		uint64_t v;
		while (read(fd, &v, sizeof v) < 0 && errno == EINTR) {
		}
		io_event ev[64];
		timespec zero{0, 0};
		for (;;) {
			int n = io_getevents(self->ctx_, 0, 64, ev, &zero);
			if (n <= 0)
				break;
			for (int i = 0; i < n; i++)
				self->on_result(static_cast<Op *>(ev[i].data), (long)ev[i].res);
		}
	}

	io_context_t ctx_ = nullptr;
	int efd_ = -1;
	sys_task_t *sync_task_ = nullptr;
	sys_fd_watch_t *watch_ = nullptr;

	friend void aio_submit(bio_device *, bio_request *);
};

int aio_open(bio_device *dev, const bio_open_args *args)
{
	return bio::open_driver<Aio>(dev, args, "aio");
}

void aio_close(bio_device *dev)
{
	bio::close_driver_of<Aio>(dev);
}

int aio_resize(bio_device *dev, uint64_t size)
{
	return bio::resize_driver_of<Aio>(dev, size);
}

void aio_submit(bio_device *dev, bio_request *req)
{
	auto *a = static_cast<Aio *>(dev->priv);
	// run_fallocate finds its device through the request.
	req->backend_ctx[0] = reinterpret_cast<uintptr_t>(static_cast<bio::AsyncFile *>(a));
	a->submit(req);
}

const char *const aio_keys[] = {"path", "create", "size", "queue_depth", "direct", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_aio_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"aio",
	"a file or block device through libaio (path=, create=, size=, queue_depth=, direct=)",
	aio_keys,
	aio_open,
	aio_close,
	aio_submit,
	aio_resize,
	bio::AsyncFile::check_common,
	{},
};
