// node_table.hpp - the tree's nodes, their inode numbers and names.
//
// Inode numbers are never reused (a removed node's number just stops
// resolving), so the kernel's cached dentries can never reach a different
// node than the one they were looked up as.  Entries and attributes are
// replied with timeout 0: the tree is tiny, lookups happen only at open(2),
// and capacity changes must show in every stat(2).
#pragma once

#include "fuse_nodes/block_device.hpp"
#include "fuse_nodes/text_file.hpp"

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <shared_mutex>
#include <string>
#include <string_view>
#include <sys/stat.h>
#include <unordered_map>
#include <vector>

namespace umc::fuse {

enum class NodeKind { Directory, Block, Text };

// Orders unaligned writes (read-modify-write of whole blocks) against every
// other write of the device: an RMW rewrites bytes next to the caller's, so
// no other write may be in flight meanwhile.  Aligned writes only bump a
// counter (one uncontended lock each way).
class WriteGate {
public:
	void enter_shared();
	void leave_shared();
	void enter_exclusive();
	void leave_exclusive();

private:
	std::mutex lock_;
	std::condition_variable changed_;
	int shared_ = 0;
	bool exclusive_ = false;
};

struct Node {
	uint64_t ino = 0;
	uint64_t parent = 0;
	std::string name;
	NodeKind kind = NodeKind::Directory;
	mode_t perm = 0; // permission bits only

	// Block: the device.  Text: the callbacks.
	std::shared_ptr<BlockDevice> device;
	TextFile text;

	// Directory children by name (guarded by the table's lock).
	std::map<std::string, uint64_t, std::less<>> children;

	WriteGate write_gate; // Block only

	// Opens in progress (block nodes refuse removal while > 0).
	std::atomic<int> open_count{0};

	// Text callbacks and block opens run under a shared lock; removal takes
	// it exclusively and sets `removed`, so no callback (or new open) runs
	// once the removal returned.
	std::shared_mutex callback_gate;
	bool removed = false;
};

using NodeRef = std::shared_ptr<Node>;

class NodeTable {
public:
	static constexpr uint64_t kRootIno = 1; // FUSE_ROOT_ID

	NodeTable();

	NodeRef get(uint64_t ino) const;
	NodeRef lookup(uint64_t parent, std::string_view name) const;
	// Children of a directory, sorted by name.
	std::vector<NodeRef> children(uint64_t dir) const;

	// Walk `path` ("a/b/c") from the root; nullptr when any part is missing.
	NodeRef resolve(std::string_view path) const;
	// Create missing directories along `path`; returns the last one, or
	// nullptr (with *err) when a part exists and is not a directory.
	NodeRef make_dirs(std::string_view path, int *err);

	// Add a file node under `parent_path`; -EEXIST, -ENOTDIR, -EINVAL.
	int add_file(std::string_view parent_path, std::string_view name, NodeRef node);
	// Unlink `node` from its parent and from the inode map.
	void unlink(const NodeRef &node);

	static bool valid_name(std::string_view name);

private:
	mutable std::shared_mutex lock_;
	std::unordered_map<uint64_t, NodeRef> by_ino_;
	uint64_t next_ino_ = kRootIno + 1;

	NodeRef add_dir_locked(const NodeRef &parent, std::string_view name);
	NodeRef walk_locked(std::string_view path) const;
};

} // namespace umc::fuse
