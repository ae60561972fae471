// text_io.cpp - proc/ and sys/ text files: a snapshot per open (seq_file
// style), each write(2) handed to the store callback.
#include "tree_impl.hpp"

#include <algorithm>
#include <cerrno>
#include <mutex>
#include <shared_mutex>

namespace umc::fuse {

int text_open(OpenFile &file)
{
	Node &node = *file.node;
	if (file.mode.write && !node.text.store)
		return -EACCES; // root bypasses the mode bits, so say it here
	std::shared_lock gate(node.callback_gate);
	if (node.removed)
		return -ENOENT;
	if (file.mode.read && node.text.show)
		file.snapshot = node.text.show();
	return 0;
}

void text_read(fuse_req_t req, OpenFile &file, size_t size, off_t off)
{
	const std::string &text = file.snapshot;
	if (off < 0 || static_cast<size_t>(off) >= text.size()) {
		fuse_reply_buf(req, nullptr, 0);
		return;
	}
	size_t n = std::min(size, text.size() - static_cast<size_t>(off));
	// Reply from a copy this thread owns: once the kernel has the data, the
	// reader may close and another worker may free the snapshot (in RELEASE)
	// before our writev() has even returned.
	std::string slice = text.substr(static_cast<size_t>(off), n);
	fuse_reply_buf(req, slice.data(), slice.size());
}

void text_write(fuse_req_t req, OpenFile &file, fuse_bufvec *data)
{
	size_t size = fuse_buf_size(data);
	std::string bytes(size, '\0');
	fuse_bufvec dst = FUSE_BUFVEC_INIT(size);
	dst.buf[0].mem = bytes.data();
	ssize_t copied = fuse_buf_copy(&dst, data, FUSE_BUF_NO_SPLICE);
	if (copied < 0) {
		fuse_reply_err(req, static_cast<int>(-copied));
		return;
	}
	bytes.resize(static_cast<size_t>(copied));
	Node &node = *file.node;
	int rc;
	{
		std::shared_lock gate(node.callback_gate);
		rc = node.removed ? -ENODEV : node.text.store(bytes);
	}
	if (rc < 0)
		fuse_reply_err(req, -rc);
	else
		fuse_reply_write(req, bytes.size());
}

} // namespace umc::fuse
