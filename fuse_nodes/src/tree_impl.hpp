// tree_impl.hpp - FuseTree's state, shared by the low-level ops, the block
// I/O mapping and the text files.
#pragma once

#define FUSE_USE_VERSION 314
#include <fuse_lowlevel.h>

#include "buffer_pool.hpp"
#include "fuse_nodes/fuse_tree.hpp"
#include "mount_guard.hpp"
#include "node_table.hpp"

#include <atomic>
#include <condition_variable>
#include <ctime>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_set>

namespace umc::fuse {

// One open(2) of a file node; its address is fuse_file_info::fh.
struct OpenFile {
	NodeRef node;
	OpenMode mode;
	std::string snapshot; // Text: the content taken at open
};

struct FuseTree::Impl {
	explicit Impl(FuseTreeOptions o);

	FuseTreeOptions opts;
	NodeTable nodes;
	BufferPool buffers;
	MountGuard guard;
	uid_t owner_uid;
	gid_t owner_gid;
	timespec created{};

	// Session lifecycle (start/stop and the loop thread).
	std::mutex state_lock;
	std::condition_variable state_changed;
	fuse_session *session = nullptr;
	std::thread loop_thread;
	bool init_done = false;
	bool loop_exited = false;
	int loop_result = 0;
	bool running = false;

	// Block requests between their FUSE request and its reply; stop() waits
	// for zero before the session (which replies need) is destroyed.
	std::atomic<int64_t> in_flight{0};
	std::mutex idle_lock;
	std::condition_variable idle;

	// Every OpenFile between open and release: stop() releases the ones the
	// kernel never will (files still open when the connection goes away).
	std::mutex open_files_lock;
	std::unordered_set<OpenFile *> open_files;
	void track_open(OpenFile *file);
	// Drops the tracking; false when stop() already released the file.
	bool untrack_open(OpenFile *file);
	void release_open_file(OpenFile *file); // device hook, count, delete
	void release_all_open_files();

	// Counters (FuseTreeStats).
	std::atomic<uint64_t> n_reads{0}, n_writes{0}, n_flushes{0}, n_discards{0}, n_write_zeroes{0};
	std::atomic<uint64_t> n_writes_copied{0}, n_writes_in_place{0}, n_rmw{0};
	std::atomic<uint64_t> n_payloads_aligned{0};
	std::atomic<uint64_t> max_in_flight{0};

	void request_started();
	void request_finished();

	void fill_stat(const Node &node, struct stat *st) const;
	void run_loop();
	// Bytes of the buffer a WRITE's payload is received into (receive.cpp).
	size_t receive_payload_size() const;
};

// The ops table handed to fuse_session_new (lowlevel_ops.cpp).
const fuse_lowlevel_ops &lowlevel_ops();

// Reading requests off /dev/fuse (receive.cpp).  install_receive_io makes
// the session receive WRITE payloads page aligned into pooled buffers: 0 or
// a negative errno (then libfuse reads as usual and writes are copied).
int install_receive_io(FuseTree::Impl &tree, fuse_session *se);
// In op_write_buf: when this thread received `data` with its payload in a
// pooled buffer, point `data` there and return the payload; else nullptr.
const char *redirect_write_payload(fuse_bufvec *data);
// The buffer holding the payload redirect_write_payload returned, for a
// device to write from; the thread receives its next request elsewhere.
PooledBuffer take_write_payload();

// Block nodes (block_io.cpp).  Each replies to `req` exactly once, possibly
// later from the device's completion.
void block_read(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, size_t size, off_t off);
// `received`: the payload's pooled receive buffer (redirect_write_payload),
// which the write may keep; nullptr when the payload is libfuse's.
void block_write(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, fuse_bufvec *data, off_t off,
		 const char *received);
void block_flush(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file);
void block_fallocate(FuseTree::Impl &tree, fuse_req_t req, OpenFile &file, int mode, off_t off, off_t length);

// Text nodes (text_io.cpp).
int text_open(OpenFile &file); // takes the snapshot; 0 or -errno
void text_read(fuse_req_t req, OpenFile &file, size_t size, off_t off);
void text_write(fuse_req_t req, OpenFile &file, fuse_bufvec *data);

} // namespace umc::fuse
