// test_support.hpp - RAII helpers for tests that mount FUSE: temporary
// directories that are unmounted and removed even when a test fails, a
// mountinfo check, and a bounded command runner.
#pragma once

#include <gtest/gtest.h>

#include <cerrno>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/mount.h>
#include <unistd.h>

namespace umc::fuse::test {

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

// A directory under /tmp that is lazily unmounted (repeatedly, for stacked
// mounts) and removed on destruction.
class TempDir {
public:
	explicit TempDir(const char *tag = "umc-fuse")
	{
		std::string pattern = std::string("/tmp/") + tag + "-XXXXXX";
		std::vector<char> buf(pattern.begin(), pattern.end());
		buf.push_back('\0');
		if (mkdtemp(buf.data()))
			path_ = buf.data();
	}
	~TempDir()
	{
		if (path_.empty())
			return;
		for (int i = 0; i < 8 && is_mounted(path_); ++i)
			umount2(path_.c_str(), MNT_DETACH);
		std::error_code ec;
		std::filesystem::remove_all(path_, ec);
	}
	TempDir(const TempDir &) = delete;
	TempDir &operator=(const TempDir &) = delete;
	const std::string &path() const { return path_; }
	std::string operator/(const std::string &rel) const { return path_ + "/" + rel; }

private:
	std::string path_;
};

// Run a shell command with a time limit; returns its exit status (124 on
// timeout, as timeout(1) reports).
inline int run(const std::string &command, int timeout_seconds = 120)
{
	std::string line = "timeout -k 5 " + std::to_string(timeout_seconds) + " sh -c '" + command + "'";
	int rc = std::system(line.c_str());
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : 128;
}

} // namespace umc::fuse::test
