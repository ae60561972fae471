// lowlevel_ops.cpp - the libfuse low-level operations table.  Thin: it finds
// the node or open file and hands over to block_io.cpp / text_io.cpp.
#include "tree_impl.hpp"

#include <linux/fuse.h>
#include <sys/uio.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <shared_mutex>
#include <sys/statvfs.h>

namespace umc::fuse {

namespace {

// Entries and attributes are never cached: opens are rare and capacity
// changes must show in every stat(2) (see node_table.hpp).
constexpr double kTimeout = 0.0;

FuseTree::Impl &tree_of(fuse_req_t req)
{
	return *static_cast<FuseTree::Impl *>(fuse_req_userdata(req));
}
OpenFile &file_of(fuse_file_info *fi)
{
	return *reinterpret_cast<OpenFile *>(fi->fh);
}

void op_init(void *userdata, fuse_conn_info *conn)
{
	auto &tree = *static_cast<FuseTree::Impl *>(userdata);
	// libfuse 3.14 derives the kernel's max_pages from max_write, which also
	// bounds direct_io reads; it caps max_write at its buffer (1 MiB).
	conn->max_write = tree.opts.max_write;
	// Must repeat the max_read mount option, or libfuse fails FUSE_INIT.
	conn->max_read = tree.opts.max_read;
	conn->max_background = tree.opts.max_background;
	conn->congestion_threshold = tree.opts.congestion_threshold;
	// No splice: payloads arrive in memory, page aligned (receive.cpp), which
	// is what the in-place write path hands to the device.
	conn->want &= ~(FUSE_CAP_SPLICE_READ | FUSE_CAP_SPLICE_WRITE | FUSE_CAP_SPLICE_MOVE);
	// Writeback cache would hide writes from the device's ordering.
	conn->want &= ~FUSE_CAP_WRITEBACK_CACHE;
	if (conn->capable & FUSE_CAP_ASYNC_DIO)
		conn->want |= FUSE_CAP_ASYNC_DIO; // aio/io_uring O_DIRECT stays async through FUSE
	std::lock_guard guard(tree.state_lock);
	tree.init_done = true;
	tree.state_changed.notify_all();
}

void reply_entry(fuse_req_t req, FuseTree::Impl &tree, const Node &node)
{
	fuse_entry_param e;
	std::memset(&e, 0, sizeof e);
	e.ino = node.ino;
	e.generation = 1;
	e.attr_timeout = kTimeout;
	e.entry_timeout = kTimeout;
	tree.fill_stat(node, &e.attr);
	fuse_reply_entry(req, &e);
}

void op_lookup(fuse_req_t req, fuse_ino_t parent, const char *name)
{
	auto &tree = tree_of(req);
	NodeRef node = tree.nodes.lookup(parent, name);
	if (!node) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	reply_entry(req, tree, *node);
}

void op_getattr(fuse_req_t req, fuse_ino_t ino, fuse_file_info *)
{
	auto &tree = tree_of(req);
	NodeRef node = tree.nodes.get(ino);
	if (!node) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	struct stat st;
	tree.fill_stat(*node, &st);
	fuse_reply_attr(req, &st, kTimeout);
}

// Only what open(O_TRUNC) and touch(1) need: truncation of a text file or a
// device is accepted and ignored (a block device ignores O_TRUNC too), times
// are ignored; ownership and mode changes are refused.
void op_setattr(fuse_req_t req, fuse_ino_t ino, struct stat *attr, int to_set, fuse_file_info *)
{
	auto &tree = tree_of(req);
	NodeRef node = tree.nodes.get(ino);
	if (!node) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (to_set & (FUSE_SET_ATTR_MODE | FUSE_SET_ATTR_UID | FUSE_SET_ATTR_GID)) {
		fuse_reply_err(req, EPERM);
		return;
	}
	if ((to_set & FUSE_SET_ATTR_SIZE) && node->kind == NodeKind::Directory) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	// A larger size grows a block device (BlockDevice::grow); smaller ones
	// are ignored, as the kernel ignores O_TRUNC on a block device.
	if ((to_set & FUSE_SET_ATTR_SIZE) && node->kind == NodeKind::Block && attr &&
	    static_cast<uint64_t>(attr->st_size) > node->device->capacity_bytes()) {
		if (int rc = node->device->grow(static_cast<uint64_t>(attr->st_size)); rc < 0) {
			fuse_reply_err(req, -rc);
			return;
		}
	}
	struct stat st;
	tree.fill_stat(*node, &st);
	fuse_reply_attr(req, &st, kTimeout);
}

void op_readdir(fuse_req_t req, fuse_ino_t ino, size_t size, off_t off, fuse_file_info *)
{
	auto &tree = tree_of(req);
	NodeRef dir = tree.nodes.get(ino);
	if (!dir) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (dir->kind != NodeKind::Directory) {
		fuse_reply_err(req, ENOTDIR);
		return;
	}
	// Entry i has offset i+1: ".", "..", then the children by name.
	std::vector<NodeRef> children = tree.nodes.children(ino);
	std::string buf(size, '\0');
	size_t used = 0;
	size_t total = children.size() + 2;
	for (size_t i = static_cast<size_t>(off); i < total; ++i) {
		struct stat st;
		std::memset(&st, 0, sizeof st);
		const char *name;
		if (i == 0) {
			name = ".";
			st.st_ino = dir->ino;
			st.st_mode = S_IFDIR;
		} else if (i == 1) {
			name = "..";
			st.st_ino = dir->parent;
			st.st_mode = S_IFDIR;
		} else {
			const Node &child = *children[i - 2];
			name = child.name.c_str();
			tree.fill_stat(child, &st);
		}
		size_t need =
			fuse_add_direntry(req, buf.data() + used, size - used, name, &st, static_cast<off_t>(i + 1));
		if (need > size - used)
			break;
		used += need;
	}
	fuse_reply_buf(req, buf.data(), used);
}

// fuse_reply_open with FOPEN_PARALLEL_DIRECT_WRITES added, which libfuse
// 3.14's fuse_file_info cannot express: without it the kernel holds the
// inode lock exclusively for the whole round trip of each synchronous
// direct write, so writers to one device (threads, a loop device's workers)
// go one at a time.  fuse_open_out is the same in every protocol version
// libfuse speaks.  Concurrent writes were never ordered by us anyway: aligned
// ones go to the device like concurrent bios, unaligned ones take the write
// gate exclusively (block_io.cpp).
int reply_open_parallel_writes(fuse_req_t req, const fuse_file_info *fi)
{
	fuse_open_out out;
	std::memset(&out, 0, sizeof out);
	out.fh = fi->fh;
	out.open_flags = FOPEN_DIRECT_IO | FOPEN_PARALLEL_DIRECT_WRITES;
	if (fi->keep_cache)
		out.open_flags |= FOPEN_KEEP_CACHE;
	iovec iov{&out, sizeof out};
	return fuse_reply_iov(req, &iov, 1);
}

void op_open(fuse_req_t req, fuse_ino_t ino, fuse_file_info *fi)
{
	auto &tree = tree_of(req);
	NodeRef node = tree.nodes.get(ino);
	if (!node) {
		fuse_reply_err(req, ENOENT);
		return;
	}
	if (node->kind == NodeKind::Directory) {
		fuse_reply_err(req, EISDIR);
		return;
	}
	auto file = std::make_unique<OpenFile>();
	file->node = node;
	file->mode = OpenMode::from_open_flags(fi->flags);
	int rc;
	if (node->kind == NodeKind::Block) {
		std::shared_lock gate(node->callback_gate);                    // against remove_block_device
		rc = node->removed ? -ENOENT : node->device->open(file->mode); // e.g. -EROFS on a Secondary
		if (rc == 0)
			node->open_count.fetch_add(1);
	} else {
		rc = text_open(*file);
		if (rc == 0)
			node->open_count.fetch_add(1);
	}
	if (rc < 0) {
		fuse_reply_err(req, -rc);
		return;
	}
	tree.track_open(file.get());
	// direct_io: every read/write reaches us (no page cache, no double
	// caching above the device); keep_cache stays 0.  Text files need it too:
	// they report size 0 like procfs.
	fi->direct_io = 1;
	fi->keep_cache = 0;
	fi->fh = reinterpret_cast<uint64_t>(file.get());
	bool block = node->kind == NodeKind::Block;
	OpenFile *opened = file.release();
	if ((block ? reply_open_parallel_writes(req, fi) : fuse_reply_open(req, fi)) == -ENOENT) {
		// The opener was interrupted; the kernel will not send release.
		if (tree.untrack_open(opened))
			tree.release_open_file(opened);
	}
}

void op_release(fuse_req_t req, fuse_ino_t, fuse_file_info *fi)
{
	auto &tree = tree_of(req);
	OpenFile *file = &file_of(fi);
	if (tree.untrack_open(file))
		tree.release_open_file(file);
	fuse_reply_err(req, 0);
}

void op_read(fuse_req_t req, fuse_ino_t, size_t size, off_t off, fuse_file_info *fi)
{
	OpenFile &file = file_of(fi);
	if (file.node->kind == NodeKind::Block)
		block_read(tree_of(req), req, file, size, off);
	else
		text_read(req, file, size, off);
}

void op_write_buf(fuse_req_t req, fuse_ino_t, fuse_bufvec *data, off_t off, fuse_file_info *fi)
{
	OpenFile &file = file_of(fi);
	const char *received = redirect_write_payload(data);
	if (file.node->kind == NodeKind::Block)
		block_write(tree_of(req), req, file, data, off, received);
	else
		text_write(req, file, data);
}

// close(2): nothing durable happens here; durability is fsync's job.
void op_flush(fuse_req_t req, fuse_ino_t, fuse_file_info *)
{
	fuse_reply_err(req, 0);
}

void op_fsync(fuse_req_t req, fuse_ino_t, int, fuse_file_info *fi)
{
	OpenFile &file = file_of(fi);
	if (file.node->kind == NodeKind::Block)
		block_flush(tree_of(req), req, file);
	else
		fuse_reply_err(req, 0);
}

void op_fallocate(fuse_req_t req, fuse_ino_t, int mode, off_t off, off_t length, fuse_file_info *fi)
{
	OpenFile &file = file_of(fi);
	if (file.node->kind != NodeKind::Block) {
		fuse_reply_err(req, EOPNOTSUPP);
		return;
	}
	block_fallocate(tree_of(req), req, file, mode, off, length);
}

void op_statfs(fuse_req_t req, fuse_ino_t)
{
	struct statvfs st;
	std::memset(&st, 0, sizeof st);
	st.f_bsize = 4096;
	st.f_frsize = 4096;
	st.f_namemax = 255;
	fuse_reply_statfs(req, &st);
}

fuse_lowlevel_ops make_ops()
{
	fuse_lowlevel_ops ops;
	std::memset(&ops, 0, sizeof ops);
	ops.init = op_init;
	ops.lookup = op_lookup;
	ops.getattr = op_getattr;
	ops.setattr = op_setattr;
	ops.readdir = op_readdir;
	ops.open = op_open;
	ops.release = op_release;
	ops.read = op_read;
	ops.write_buf = op_write_buf;
	ops.flush = op_flush;
	ops.fsync = op_fsync;
	ops.fallocate = op_fallocate;
	ops.statfs = op_statfs;
	return ops;
}

} // namespace

const fuse_lowlevel_ops &lowlevel_ops()
{
	static const fuse_lowlevel_ops ops = make_ops();
	return ops;
}

} // namespace umc::fuse
