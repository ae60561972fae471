// receive.cpp - how requests come off /dev/fuse: a WRITE's payload lands
// page aligned in a pooled buffer of its own.
//
// libfuse 3.14 reads a request into its worker's buffer, where a WRITE's
// payload sits 80 bytes in (after fuse_in_header and fuse_write_in): only
// 16-byte aligned, and the worker's to reuse for its next request.  Devices
// that need aligned memory (a DRBD minor: UMC_DISK_MEMORY_ALIGN; uring/aio
// with direct=1) had to get a copy, and a large write passed in place had to
// park its worker until the completion.
//
// libfuse lets the session read through a custom io (fuse_session_custom_io).
// Ours reads with readv into two pieces: the 80 header bytes into libfuse's
// buffer, the rest into a page-aligned buffer from the tree's pool.  For a
// WRITE the payload stays there and op_write_buf points libfuse's bufvec at
// it (redirect_write_payload); block_write may then keep that buffer for the
// device (take_write_payload) and the worker reads its next request into a
// fresh one.  Every other request is made contiguous again by copying its
// tail behind the header (only small requests have one).
#include "tree_impl.hpp"

#include <linux/fuse.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace umc::fuse {

namespace {

constexpr size_t kWriteHeader = sizeof(fuse_in_header) + sizeof(fuse_write_in);
static_assert(kWriteHeader == 80, "FUSE_WRITE's headers (protocol 7.9 and later)");

// What this worker thread received last.  libfuse processes a request on
// the thread that read it, right after the read, so op_write_buf finds the
// payload here.
struct ReceiveState {
	FuseTree::Impl *tree = nullptr;
	PooledBuffer payload;         // where payloads land; kept between requests
	const char *header = nullptr; // libfuse's buffer of the last read
	size_t payload_len = 0;       // of the last read, when it was a WRITE
};
thread_local ReceiveState t_receive;

ssize_t receive_read(int fd, void *buf, size_t buf_len, void *userdata)
{
	auto &tree = *static_cast<FuseTree::Impl *>(userdata);
	ReceiveState &state = t_receive;
	state.header = nullptr;
	state.payload_len = 0;
	size_t payload_size = tree.receive_payload_size();
	if (state.tree != &tree) {
		state.payload.reset(); // a pool of another (stopped) tree is not ours to use
		state.tree = &tree;
	}
	if (!state.payload)
		state.payload = PooledBuffer(tree.buffers, payload_size);
	if (!state.payload || buf_len < kWriteHeader + payload_size)
		return read(fd, buf, buf_len); // libfuse's own layout; writes are copied
	iovec iov[2] = {{buf, kWriteHeader}, {state.payload.data(), payload_size}};
	ssize_t n = readv(fd, iov, 2);
	if (n <= static_cast<ssize_t>(kWriteHeader))
		return n; // an error (errno set), or the request fit in the header piece
	size_t tail = static_cast<size_t>(n) - kWriteHeader;
	auto *in = static_cast<const fuse_in_header *>(buf);
	if (in->opcode == FUSE_WRITE) {
		state.header = static_cast<const char *>(buf);
		state.payload_len = tail;
		tree.n_payloads_aligned.fetch_add(1, std::memory_order_relaxed);
	} else {
		std::memcpy(static_cast<char *>(buf) + kWriteHeader, state.payload.data(), tail);
	}
	return n;
}

ssize_t receive_writev(int fd, struct iovec *iov, int count, void *)
{
	return writev(fd, iov, count);
}

const fuse_custom_io kReceiveIo = {receive_writev, receive_read, nullptr, nullptr};

} // namespace

size_t FuseTree::Impl::receive_payload_size() const
{
	// The kernel refuses reads smaller than the largest request it may send:
	// the write headers plus max_write (and never less than 8 KiB).
	return std::max<size_t>(opts.max_write, 8192);
}

int install_receive_io(FuseTree::Impl &tree, fuse_session *se)
{
	(void)tree;
	return fuse_session_custom_io(se, &kReceiveIo, fuse_session_fd(se));
}

const char *redirect_write_payload(fuse_bufvec *data)
{
	ReceiveState &state = t_receive;
	if (!state.header || data->count != 1 || (data->buf[0].flags & FUSE_BUF_IS_FD) ||
	    data->buf[0].mem != state.header + kWriteHeader || data->buf[0].size > state.payload_len)
		return nullptr;
	state.header = nullptr; // once per request
	data->buf[0].mem = state.payload.data();
	return state.payload.data();
}

PooledBuffer take_write_payload()
{
	return std::move(t_receive.payload);
}

} // namespace umc::fuse
