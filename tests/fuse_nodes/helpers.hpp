// helpers.hpp - the fuse_nodes tests' fixture: mount points that are
// unmounted and removed even when a test fails, a mountinfo check, and a
// bounded command runner (tests/helpers has what every test uses; the
// in-memory device is memory_device.hpp).
#pragma once

#include "helpers/helpers.hpp"

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

namespace t {

// True when something is mounted exactly at `path` (per /proc/self/mountinfo).
inline bool is_mounted(const std::string &path)
{
	std::ifstream in("/proc/self/mountinfo");
	std::string line;
	while (std::getline(in, line)) {
		std::istringstream fields(line);
		std::string id, parent, devno, root, mount_point;
		fields >> id >> parent >> devno >> root >> mount_point;
		if (mount_point == path)
			return true;
	}
	return false;
}

// Why FUSE integration tests cannot run here, or empty.
inline std::string fuse_unavailable()
{
	if (geteuid() != 0)
		return "needs root (mount -o loop, allow_other)";
	if (access("/dev/fuse", R_OK | W_OK) != 0)
		return "no /dev/fuse";
	return {};
}

// A TempDir that is also a mount point (or holds some): lazily unmounted
// (repeatedly, for stacked mounts) before it is removed.
class MountDir : public TempDir {
public:
	explicit MountDir(const std::string &tag = "umc-fuse") : TempDir(tag) {}
	~MountDir() override
	{
		for (int i = 0; i < 8 && is_mounted(path_); ++i)
			umount2(path_.c_str(), MNT_DETACH);
	}
};

// Run a shell command with a time limit; returns its exit status (124 on
// timeout, as timeout(1) reports).
inline int run(const std::string &command, int timeout_seconds = 120)
{
	std::string line = "timeout -k 5 " + std::to_string(timeout_seconds) + " sh -c '" + command + "'";
	int rc = std::system(line.c_str());
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

} // namespace t
