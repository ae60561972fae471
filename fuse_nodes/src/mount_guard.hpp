// mount_guard.hpp - claims a mount point for one instance, refusing clearly
// when it is busy.  Never looks *inside* the mount point (that could be our
// own or a dead FUSE mount): it reads /proc/self/mountinfo and flock()s the
// directory itself.
#pragma once

#include <string>

namespace umc::fuse {

// What is mounted exactly at `path` (an absolute, resolved path), from
// /proc/self/mountinfo; empty when nothing is.  The returned text is the
// filesystem type and source, e.g. "fuse.umc umc".
std::string mounted_at(const std::string &path);

class MountGuard {
public:
	MountGuard() = default;
	~MountGuard();
	MountGuard(const MountGuard &) = delete;
	MountGuard &operator=(const MountGuard &) = delete;

	// Create `root` if missing, resolve it, refuse with -EBUSY if something
	// is mounted there or another instance holds the claim, else take the
	// claim (an exclusive flock on the directory, held until release()).
	int claim(const std::string &root, std::string *why);
	void release();
	const std::string &path() const { return path_; }

private:
	int dir_fd_ = -1;
	std::string path_;
};

} // namespace umc::fuse
