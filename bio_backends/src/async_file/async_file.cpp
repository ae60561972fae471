// The stage machine behind the uring and aio backends (see async_file.hpp).
#include "async_file.hpp"

#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/uio.h>

#ifndef RWF_DSYNC
#define RWF_DSYNC 0x00000002
#endif

namespace bio {

int AsyncFile::check_common(const bio_open_args *args)
{
	Options o(args);
	uint64_t qd;
	bool direct;
	int rc;
	if ((rc = o.uint("queue_depth", 64, 1, 4096, &qd)) < 0 || (rc = o.boolean("direct", true, &direct)) < 0)
		return rc;
	return BackingFile::check(args);
}

int AsyncFile::open_common(bio_device *dev, const bio_open_args *args)
{
	Options o(args);
	uint64_t qd;
	bool direct;
	int rc;
	if ((rc = o.uint("queue_depth", 64, 1, 4096, &qd)) < 0 || (rc = o.boolean("direct", true, &direct)) < 0)
		return rc;
	depth_ = (uint32_t)qd;
	allow_direct_ = direct;
	if ((rc = file_.open(args, direct)) < 0)
		return rc;
	ops_ = static_cast<Op *>(sys_->mem_zalloc(sizeof(Op) * depth_, 0, BIO_HERE));
	if (!ops_) {
		file_.abandon();
		return fail(args, -ENOMEM, "out of memory");
	}
	for (uint32_t i = 0; i < depth_; i++) {
		new (&ops_[i]) Op{};
		ops_[i].next_free = free_;
		free_ = &ops_[i];
	}
	dev->size = file_.size;
	dev->caps.features = BIO_CAP_FLUSH | BIO_CAP_FUA | BIO_CAP_DISCARD | BIO_CAP_WRITE_ZEROES;
	dev->caps.logical_block_size = file_.lbs;
	dev->caps.physical_block_size = file_.pbs;
	dev->caps.optimal_io_size = 128 * 1024;
	dev->caps.max_io_size = 8u << 20;
	dev->caps.max_discard_size = 1u << 30;
	dev->caps.queue_depth = depth_;
	if (allow_direct_ && file_.direct_fd >= 0)
		dev->caps.mem_alignment =
			file_.dio_mem_align > file_.dio_offset_align ? file_.dio_mem_align : file_.dio_offset_align;
	return 0;
}

void AsyncFile::close()
{
	inflight_.wait_idle();
	close_driver();
	file_.close();
	sys_->mem_free(ops_);
	ops_ = nullptr;
}

void AsyncFile::abort_common()
{
	file_.abandon();
	sys_->mem_free(ops_);
	ops_ = nullptr;
}

int AsyncFile::resize(uint64_t new_size)
{
	if (file_.is_blockdev)
		return -EOPNOTSUPP;
	if (ftruncate(file_.fd, static_cast<off_t>(new_size)) < 0)
		return -errno;
	return 0;
}

void AsyncFile::submit(bio_request *req)
{
	inflight_.get();
	Op *op;
	{
		std::lock_guard<std::mutex> g(lock_);
		op = free_;
		if (!op) {
			backlog_.push_back(req);
			return;
		}
		free_ = op->next_free;
	}
	begin(op, req);
}

void AsyncFile::begin(Op *op, bio_request *req)
{
	op->req = req;
	op->done = 0;
	op->rest = nullptr;
	op->restcnt = 0;
	op->no_direct = !allow_direct_ || file_.direct_fd < 0;
	op->stage = (req->op == BIO_OP_FLUSH || (req->flags & BIO_REQ_PREFLUSH)) ? PREFLUSH : DATA;
	run_stage(op);
}

bool AsyncFile::direct_ok(const Op *op, const iovec *iov, uint32_t cnt, uint64_t off, uint64_t len) const
{
	if (op->no_direct)
		return false;
	uint64_t oa = file_.dio_offset_align, ma = file_.dio_mem_align;
	if (off % oa || len % oa)
		return false;
	for (uint32_t i = 0; i < cnt; i++)
		if ((uintptr_t)iov[i].iov_base % ma || iov[i].iov_len % oa)
			return false;
	return true;
}

void AsyncFile::run_stage(Op *op)
{
	bio_request *req = op->req;
	Prep p{};
	if (op->stage == PREFLUSH || op->stage == POSTSYNC) {
		p.kind = FSYNC;
		p.fd = file_.fd;
	} else if (req->op == BIO_OP_READ || req->op == BIO_OP_WRITE) {
		p.kind = req->op == BIO_OP_READ ? READV : WRITEV;
		p.iov = op->rest ? op->rest : req->iov;
		p.iovcnt = op->rest ? op->restcnt : req->iovcnt;
		p.off = req->offset + op->done;
		p.len = req->length - op->done;
		op->direct = direct_ok(op, p.iov, p.iovcnt, p.off, p.len);
		p.fd = op->direct ? file_.direct_fd : file_.fd;
		p.rw_flags = (req->op == BIO_OP_WRITE && (req->flags & BIO_REQ_FUA)) ? RWF_DSYNC : 0;
	} else {
		p.kind = FALLOCATE;
		p.fd = file_.fd;
		p.off = req->offset;
		p.len = req->length;
		p.mode = req->op == BIO_OP_DISCARD ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
						   : FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
	}
	int rc = issue(op, p);
	if (rc < 0)
		finish(op, rc);
}

void AsyncFile::on_result(Op *op, long res)
{
	(void)op->handoff.load(std::memory_order_acquire);
	bio_request *req = op->req;
	switch (op->stage) {
	case PREFLUSH:
		if (res < 0)
			return finish(op, (int)res);
		if (req->op == BIO_OP_FLUSH)
			return finish(op, 0);
		op->stage = DATA;
		return run_stage(op);
	case POSTSYNC:
		return finish(op, res < 0 ? (int)res : 0);
	}
	// DATA
	if (req->op == BIO_OP_DISCARD || req->op == BIO_OP_WRITE_ZEROES) {
		if (res < 0)
			return finish(op, (int)res);
		if (req->flags & BIO_REQ_FUA) {
			op->stage = POSTSYNC;
			return run_stage(op);
		}
		return finish(op, 0);
	}
	if (res == -EINVAL && op->direct) {
		// The file system refused this O_DIRECT shape; serve it buffered.
		op->no_direct = true;
		return run_stage(op);
	}
	if (res == -EAGAIN || res == -EINTR)
		return run_stage(op);
	if (res < 0)
		return finish(op, (int)res);
	if (res == 0)
		return finish(op, -EIO); // the file shrank under us
	op->done += (uint64_t)res;
	if (op->done >= req->length)
		return finish(op, 0);

	// Short transfer: rebuild the iovec for what is left.
	uint32_t i = 0;
	uint64_t skip = op->done;
	while (i < req->iovcnt && skip >= req->iov[i].iov_len)
		skip -= req->iov[i++].iov_len;
	uint32_t cnt = req->iovcnt - i;
	if (!op->rest) {
		op->rest = static_cast<iovec *>(sys_->mem_alloc(sizeof(iovec) * req->iovcnt, 0, BIO_HERE));
		if (!op->rest)
			return finish(op, -ENOMEM);
	}
	memmove(op->rest, req->iov + i, sizeof(iovec) * cnt);
	op->rest[0].iov_base = static_cast<char *>(op->rest[0].iov_base) + skip;
	op->rest[0].iov_len -= skip;
	op->restcnt = cnt;
	run_stage(op);
}

void AsyncFile::finish(Op *op, int status)
{
	bio_request *req = op->req;
	if (op->rest) {
		sys_->mem_free(op->rest);
		op->rest = nullptr;
	}
	bio_request *next = nullptr;
	{
		std::lock_guard<std::mutex> g(lock_);
		if (!backlog_.empty()) {
			next = backlog_.front();
			backlog_.pop_front();
		} else {
			op->next_free = free_;
			free_ = op;
		}
	}
	req->end_io(req, status);
	inflight_.put();
	if (next)
		begin(op, next); // hand the slot straight to the oldest waiter
}

} // namespace bio
