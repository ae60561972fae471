// fuse_tree.hpp - the FUSE file tree one daemon instance serves at its root
// ($UMC_FS_ROOT, default /UMCfuse):
//
//   dev/<name>                        block devices (regular files, direct_io)
//   proc/...                          text files (e.g. proc/drbd)
//   sys/module/<module>/parameters/*  text files (module parameters)
//
// Nodes can be added and removed before and after start().
#pragma once

#include "fuse_nodes/block_device.hpp"
#include "fuse_nodes/fuse_settings.hpp"
#include "fuse_nodes/text_file.hpp"

#include <chrono>
#include <csignal>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace umc::fuse {

struct FuseTreeOptions {
	// Mount point; empty = $UMC_FS_ROOT, else /UMCfuse.  Created if missing.
	std::string root;

	unsigned max_write = settings::kMaxWrite;
	unsigned max_read = settings::kMaxRead;
	unsigned max_background = settings::kMaxBackground;
	unsigned congestion_threshold = settings::kCongestionThreshold;
	unsigned max_threads = settings::kMaxThreads;
	unsigned max_idle_threads = settings::kMaxIdleThreads;
	bool clone_fd = settings::kCloneFd;

	// Write payloads are received page aligned into a pooled buffer.  Writes
	// up to this size are copied from there into one of their size (the
	// worker keeps its receive buffer); larger ones hand the receive buffer
	// itself to the device (no copy) and the worker receives its next
	// request into another.  Either way the worker goes back to /dev/fuse at
	// once and the reply comes from the completion.
	size_t write_copy_threshold = 128 * 1024;

	// Let other users reach the tree (permissions still apply: dev/ nodes are
	// 0600).  Only root may ask without user_allow_other in /etc/fuse.conf.
	bool allow_other = true;
	// Mount through fusermount3 with auto_unmount, so the mount disappears
	// even if the daemon dies without stop().
	bool auto_unmount = true;

	// libfuse's workers block in read(2) on /dev/fuse and stop only when the
	// loop thread is woken; stop() wakes it with this thread-directed signal
	// (a no-op handler without SA_RESTART is installed process-wide).
	int wake_signal = SIGUSR2;

	std::chrono::milliseconds start_timeout{10000}; // mount to FUSE_INIT done
	std::chrono::milliseconds stop_timeout{30000};  // loop exit + in-flight requests
	bool debug = false;                             // libfuse -d tracing to stderr
};

// Counters for tests and `umc bench`.
struct FuseTreeStats {
	uint64_t reads = 0, writes = 0, flushes = 0, discards = 0, write_zeroes = 0;
	uint64_t writes_copied = 0;      // writes copied into a pooled buffer (small ones)
	uint64_t writes_in_place = 0;    // writes passed in their receive buffer (large ones)
	uint64_t payloads_aligned = 0;   // WRITE payloads received into a page-aligned buffer
	uint64_t read_modify_writes = 0; // unaligned writes
	uint64_t max_in_flight = 0;      // most block requests outstanding at once
};

class FuseTree {
public:
	explicit FuseTree(FuseTreeOptions options = {});
	~FuseTree(); // stop()s
	FuseTree(const FuseTree &) = delete;
	FuseTree &operator=(const FuseTree &) = delete;

	// Mount and serve.  Returns when the kernel's FUSE_INIT has been answered
	// (the tree is usable), or a negative errno with a one-line reason in
	// *why: -EBUSY when something is already mounted at the root or another
	// instance is starting there.
	int start(std::string *why = nullptr);
	// Stop serving, wait for requests in flight, unmount.  Idempotent.
	// Returns 0, or -ETIMEDOUT when the stop_timeout expired (then the
	// session is leaked rather than freed under running completions).
	int stop();
	// Serving: started and the loop still runs (it ends by itself when the
	// mount is removed from outside, e.g. umount -l; call stop() then too).
	bool running() const;

	const std::string &root() const; // resolved mount point

	// dev/<name>.  -EEXIST, -EINVAL (bad name).  remove: -ENOENT, -EBUSY while open.
	int add_block_device(std::string_view name, std::shared_ptr<BlockDevice> device);
	int remove_block_device(std::string_view name);

	// A text file at `path` relative to the root, e.g. "proc/drbd" or
	// "sys/module/drbd/parameters/minor_count".  Missing directories are
	// created; only proc/ and sys/ may hold text files.  -EEXIST, -EINVAL.
	int add_text_file(std::string_view path, TextFile file);
	// Convenience for sys/module/<module>/parameters/<name>.
	int add_module_parameter(std::string_view module, std::string_view name, TextFile file);
	// Remove a text file or an empty directory under proc/ or sys/.  Once it
	// returns, no callback of that file runs any more; opens in progress keep
	// reading their snapshot, their writes fail with ENODEV.
	int remove(std::string_view path);

	FuseTreeStats stats() const;

	struct Impl;

private:
	std::unique_ptr<Impl> impl_;
};

// The root a daemon uses: $UMC_FS_ROOT, else /UMCfuse.
std::string default_fs_root();

// What FuseTree::start would refuse about `root` before it mounts (not an
// absolute path, something mounted there already, a directory that cannot
// be created), found without creating or mounting anything: "" or the
// reason.
std::string check_fs_root(const std::string &root);

} // namespace umc::fuse
