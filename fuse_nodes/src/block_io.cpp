// block_io.cpp - FUSE read/write/fsync/fallocate on dev/<name> as bio_requests.
//
// Every FUSE request becomes one BlockIo holding one or more bio_requests
// (split at the device's limits).  The worker thread submits and returns; the
// last completion replies to FUSE.  A write's payload was received into a
// page-aligned pooled buffer (receive.cpp): a large write hands that buffer
// to the device (no copy), a small one is copied out of it.  The exception:
// an unaligned write is a read-modify-write done synchronously in the
// worker, exclusive against the device's other writes.
#include "tree_impl.hpp"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <linux/falloc.h>
#include <vector>

namespace umc::fuse {

namespace {

enum class ReplyKind { Data, Written, Status };

class BlockIo {
public:
	BlockIo(FuseTree::Impl &tree, fuse_req_t req, NodeRef node, ReplyKind kind)
	    : tree_(tree), req_(req), node_(std::move(node)), kind_(kind)
	{
		tree_.request_started();
	}

	// Build the bio_requests for [offset, offset+length), `chunk` bytes at
	// most each (0 = one request); `data` is the buffer for READ/WRITE.
	void plan(uint32_t op, uint64_t offset, uint64_t length, uint64_t chunk, char *data)
	{
		if (chunk == 0 || op == BIO_OP_FLUSH)
			chunk = std::max<uint64_t>(length, 1);
		size_t count = op == BIO_OP_FLUSH ? 1 : (length + chunk - 1) / chunk;
		bios_.resize(count);
		iovs_.resize(data ? count : 0);
		for (size_t i = 0; i < count; ++i) {
			bio_request &bio = bios_[i];
			std::memset(&bio, 0, sizeof bio);
			bio.op = op;
			bio.offset = op == BIO_OP_FLUSH ? 0 : offset + i * chunk;
			bio.length = op == BIO_OP_FLUSH ? 0 : std::min<uint64_t>(chunk, length - i * chunk);
			if (data) {
				iovs_[i].iov_base = data + i * chunk;
				iovs_[i].iov_len = bio.length;
				bio.iov = &iovs_[i];
				bio.iovcnt = 1;
			}
			bio.end_io = &BlockIo::end_io;
			bio.private_data = this;
		}
	}

	void set_reply_data(const char *data, size_t len) { reply_data_ = data, reply_len_ = len; }
	void set_written(size_t len) { reply_len_ = len; }
	void hold_buffer(PooledBuffer buf) { buffer_ = std::move(buf); }
	void hold_write_gate() { gate_held_ = true; }

	// Submit every planned request.  The BlockIo deletes itself after its
	// reply, possibly before submit returns.
	void submit()
	{
		// One extra count keeps finish() away until every request is out.
		remaining_.store(bios_.size() + 1, std::memory_order_relaxed);
		BlockDevice &device = *node_->device;
		const bool batch = bios_.size() > 1;
		if (batch)
			device.begin_batch();
		for (bio_request &bio : bios_)
			device.submit(&bio);
		if (batch)
			device.end_batch();
		drop(0);
	}

private:
	FuseTree::Impl &tree_;
	fuse_req_t req_;
	NodeRef node_; // keeps the device alive until the reply
	ReplyKind kind_;
	std::vector<bio_request> bios_;
	std::vector<iovec> iovs_;
	PooledBuffer buffer_;
	const char *reply_data_ = nullptr;
	size_t reply_len_ = 0;
	bool gate_held_ = false;
	std::atomic<size_t> remaining_{0};
	std::atomic<int> status_{0};

	static void end_io(bio_request *bio, int status) { static_cast<BlockIo *>(bio->private_data)->drop(status); }

	void drop(int status)
	{
		if (status < 0) {
			int none = 0;
			status_.compare_exchange_strong(none, status);
		}
		if (remaining_.fetch_sub(1, std::memory_order_acq_rel) == 1)
			finish();
	}

	void finish()
	{
		if (gate_held_)
			node_->write_gate.leave_shared();
		int status = status_.load();
		if (status < 0)
			fuse_reply_err(req_, -status);
		else if (kind_ == ReplyKind::Data)
			fuse_reply_buf(req_, reply_data_, reply_len_);
		else if (kind_ == ReplyKind::Written)
			fuse_reply_write(req_, reply_len_);
		else
			fuse_reply_err(req_, 0);
		FuseTree::Impl &tree = tree_;
		delete this;
		tree.request_finished();
	}
};

// Submit one request and wait for it (the read-modify-write path only).
int submit_and_wait(BlockDevice &device, uint32_t op, uint64_t offset, char *data, uint64_t length)
{
	struct Waiter {
		std::mutex lock;
		std::condition_variable changed;
		bool done = false;
		int status = 0;
	} waiter;
	iovec iov{data, length};
	bio_request bio;
	std::memset(&bio, 0, sizeof bio);
	bio.op = op;
	bio.offset = offset;
	bio.length = length;
	bio.iov = &iov;
	bio.iovcnt = 1;
	bio.private_data = &waiter;
	bio.end_io = [](bio_request *r, int status) {
		auto *w = static_cast<Waiter *>(r->private_data);
		std::lock_guard guard(w->lock);
		w->status = status;
		w->done = true;
		w->changed.notify_one();
	};
	device.submit(&bio);
	std::unique_lock guard(waiter.lock);
	waiter.changed.wait(guard, [&] { return waiter.done; });
	return waiter.status;
}

uint64_t round_down(uint64_t v, uint64_t unit)
{
	return v - v % unit;
}
uint64_t round_up(uint64_t v, uint64_t unit)
{
	return round_down(v + unit - 1, unit);
}

// Unaligned write: widen to whole blocks, read them, patch, write back.
void write_unaligned(FuseTree::Impl &tree, fuse_req_t req, Node &node, fuse_bufvec *data, uint64_t off, uint64_t len)
{
	BlockDevice &device = *node.device;
	BlockLimits limits = device.limits();
	uint64_t lbs = std::max<uint32_t>(limits.logical_block_size, 1);
	uint64_t start = round_down(off, lbs);
	uint64_t end = round_up(off + len, lbs);
	PooledBuffer buf(tree.buffers, end - start);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	tree.n_rmw.fetch_add(1, std::memory_order_relaxed);
	node.write_gate.enter_exclusive();
	int status = 0;
	// Only the partial first and last blocks need their old contents.
	bool head_partial = start != off;
	bool tail_partial = (off + len) % lbs != 0;
	if (head_partial)
		status = submit_and_wait(device, BIO_OP_READ, start, buf.data(), lbs);
	if (status == 0 && tail_partial && !(head_partial && end - lbs == start)) {
		// The last block sits lbs-aligned in buf; a device that needs more
		// (memory_alignment > lbs) reads it into a buffer of its own.
		char *tail = buf.data() + (end - lbs - start);
		uint32_t align = limits.memory_alignment;
		if (align > 1 && reinterpret_cast<uintptr_t>(tail) % align != 0) {
			PooledBuffer block(tree.buffers, lbs);
			status = block ? submit_and_wait(device, BIO_OP_READ, end - lbs, block.data(), lbs) : -ENOMEM;
			if (status == 0)
				std::memcpy(tail, block.data(), lbs);
		} else {
			status = submit_and_wait(device, BIO_OP_READ, end - lbs, tail, lbs);
		}
	}
	if (status == 0) {
		fuse_bufvec dst = FUSE_BUFVEC_INIT(len);
		dst.buf[0].mem = buf.data() + (off - start);
		ssize_t copied = fuse_buf_copy(&dst, data, FUSE_BUF_NO_SPLICE);
		if (copied < 0 || static_cast<uint64_t>(copied) != len)
			status = copied < 0 ? static_cast<int>(copied) : -EIO;
	}
	if (status == 0) {
		uint64_t chunk = limits.max_io_bytes ? limits.max_io_bytes : end - start;
		for (uint64_t pos = start; status == 0 && pos < end; pos += chunk) {
			uint64_t n = std::min(chunk, end - pos);
			status = submit_and_wait(device, BIO_OP_WRITE, pos, buf.data() + (pos - start), n);
		}
	}
	node.write_gate.leave_exclusive();
	if (status < 0)
		fuse_reply_err(req, -status);
	else
		fuse_reply_write(req, len);
}

} // namespace

void block_read(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, size_t size, off_t off)
{
	BlockDevice &device = *file.node->device;
	uint64_t capacity = device.capacity_bytes();
	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	uint64_t offset = static_cast<uint64_t>(off);
	if (offset >= capacity || size == 0) {
		fuse_reply_buf(req, nullptr, 0); // end of device
		return;
	}
	uint64_t len = std::min<uint64_t>(size, capacity - offset);
	BlockLimits limits = device.limits();
	uint64_t lbs = std::max<uint32_t>(limits.logical_block_size, 1);
	// Unaligned reads read whole blocks and reply with the middle.
	uint64_t start = round_down(offset, lbs);
	uint64_t end = std::min(round_up(offset + len, lbs), round_up(capacity, lbs));
	PooledBuffer buf(tree.buffers, end - start);
	if (!buf) {
		fuse_reply_err(req, ENOMEM);
		return;
	}
	tree.n_reads.fetch_add(1, std::memory_order_relaxed);
	auto *io = new BlockIo(tree, req, file.node, ReplyKind::Data);
	io->plan(BIO_OP_READ, start, end - start, limits.max_io_bytes, buf.data());
	io->set_reply_data(buf.data() + (offset - start), len);
	io->hold_buffer(std::move(buf));
	io->submit();
}

void block_write(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, fuse_bufvec *data, off_t off,
		 const char *received)
{
	Node &node = *file.node;
	BlockDevice &device = *node.device;
	uint64_t capacity = device.capacity_bytes();
	size_t size = fuse_buf_size(data);
	if (off < 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	uint64_t offset = static_cast<uint64_t>(off);
	if (size == 0) {
		fuse_reply_write(req, 0);
		return;
	}
	if (offset >= capacity) {
		fuse_reply_err(req, ENOSPC); // as a block device does at its end
		return;
	}
	uint64_t len = std::min<uint64_t>(size, capacity - offset);
	tree.n_writes.fetch_add(1, std::memory_order_relaxed);
	BlockLimits limits = device.limits();
	uint64_t lbs = std::max<uint32_t>(limits.logical_block_size, 1);
	if (offset % lbs != 0 || len % lbs != 0) {
		write_unaligned(tree, req, node, data, offset, len);
		return;
	}

	// In place: the payload's own receive buffer goes to the device.  It is
	// page aligned, which covers any memory_alignment up to a page.
	const fuse_buf &first = data->buf[data->idx];
	char *payload = static_cast<char *>(first.mem) + data->off;
	bool in_place =
		received && payload == received && data->count - data->idx == 1 && len > tree.opts.write_copy_threshold;
	uint32_t align = limits.memory_alignment;
	if (align > 1 && reinterpret_cast<uintptr_t>(payload) % align != 0)
		in_place = false;

	auto *io = new BlockIo(tree, req, file.node, ReplyKind::Written);
	if (in_place) {
		tree.n_writes_in_place.fetch_add(1, std::memory_order_relaxed);
		io->plan(BIO_OP_WRITE, offset, len, limits.max_io_bytes, payload);
		io->hold_buffer(take_write_payload());
	} else {
		PooledBuffer buf(tree.buffers, len);
		fuse_bufvec dst = FUSE_BUFVEC_INIT(len);
		dst.buf[0].mem = buf.data();
		ssize_t copied = buf ? fuse_buf_copy(&dst, data, FUSE_BUF_NO_SPLICE) : -ENOMEM;
		if (copied < 0 || static_cast<uint64_t>(copied) != len) {
			delete io; // never submitted: no reply sent yet
			tree.request_finished();
			fuse_reply_err(req, copied < 0 ? static_cast<int>(-copied) : EIO);
			return;
		}
		tree.n_writes_copied.fetch_add(1, std::memory_order_relaxed);
		io->plan(BIO_OP_WRITE, offset, len, limits.max_io_bytes, buf.data());
		io->hold_buffer(std::move(buf));
	}
	io->set_written(len);
	node.write_gate.enter_shared();
	io->hold_write_gate();
	io->submit();
}

void block_flush(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file)
{
	tree.n_flushes.fetch_add(1, std::memory_order_relaxed);
	auto *io = new BlockIo(tree, req, file.node, ReplyKind::Status);
	io->plan(BIO_OP_FLUSH, 0, 0, 0, nullptr);
	io->submit();
}

void block_fallocate(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, int mode, off_t off, off_t length)
{
	uint32_t op;
	if (mode == (FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE))
		op = BIO_OP_DISCARD;
	else if ((mode & ~FALLOC_FL_KEEP_SIZE) == FALLOC_FL_ZERO_RANGE)
		op = BIO_OP_WRITE_ZEROES;
	else {
		fuse_reply_err(req, EOPNOTSUPP); // never ENOSYS: the kernel would stop asking
		return;
	}
	BlockDevice &device = *file.node->device;
	uint64_t capacity = device.capacity_bytes();
	if (off < 0 || length <= 0) {
		fuse_reply_err(req, EINVAL);
		return;
	}
	uint64_t offset = static_cast<uint64_t>(off);
	if (offset >= capacity) {
		fuse_reply_err(req, 0); // nothing of the device lies there
		return;
	}
	uint64_t len = std::min<uint64_t>(static_cast<uint64_t>(length), capacity - offset);
	BlockLimits limits = device.limits();
	uint64_t lbs = std::max<uint32_t>(limits.logical_block_size, 1);
	if (offset % lbs != 0 || len % lbs != 0) {
		fuse_reply_err(req, EINVAL); // as BLKDISCARD/BLKZEROOUT on a block device
		return;
	}
	(op == BIO_OP_DISCARD ? tree.n_discards : tree.n_write_zeroes).fetch_add(1, std::memory_order_relaxed);
	auto *io = new BlockIo(tree, req, file.node, ReplyKind::Status);
	io->plan(op, offset, len, limits.max_discard_bytes, nullptr);
	file.node->write_gate.enter_shared();
	io->hold_write_gate();
	io->submit();
}

} // namespace umc::fuse
