// Integration: tools/fuse_passthrough (umc-fuse-passthrough) serves a backing
// file, buffered and with --direct (O_DIRECT through its aligned buffers);
// data written through FUSE lands in the file and reads back; SIGTERM
// unmounts.
#include "helpers.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <sys/wait.h>
#include <thread>
#include <vector>

using namespace t;
using namespace std::chrono_literals;

namespace {

// Poll mountinfo with a deadline (the tool is another process: nothing to
// wait on but the mount itself).
bool wait_mounted(const std::string &path, bool want, std::chrono::milliseconds timeout)
{
	return wait_until([&] { return is_mounted(path) == want; }, timeout);
}

class Child {
public:
	explicit Child(std::vector<std::string> argv)
	{
		pid_ = fork();
		if (pid_ == 0) {
			std::vector<char *> args;
			for (auto &a : argv)
				args.push_back(a.data());
			args.push_back(nullptr);
			execv(args[0], args.data());
			_exit(127);
		}
	}
	~Child()
	{
		if (pid_ > 0) {
			kill(pid_, SIGKILL);
			waitpid(pid_, nullptr, 0);
		}
	}
	// SIGTERM and wait (bounded); returns the exit status or -1.
	int terminate(std::chrono::milliseconds timeout)
	{
		kill(pid_, SIGTERM);
		int status = 0;
		if (!wait_until([&] { return waitpid(pid_, &status, WNOHANG) == pid_; }, timeout))
			return -1;
		pid_ = -1;
		return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	}

private:
	pid_t pid_ = -1;
};

class FusePassthrough : public ::testing::TestWithParam<const char *> {};

TEST_P(FusePassthrough, ServesTheBackingFileAndUnmountsOnSigterm)
{
	if (std::string why = fuse_unavailable(); !why.empty())
		GTEST_SKIP() << why;
	MountDir work("umc-fuse-pt");
	std::string backing = work.file("disk.img"), mnt = work.file("mnt");
	ASSERT_EQ(mkdir(mnt.c_str(), 0755), 0);
	{
		int fd = open(backing.c_str(), O_CREAT | O_RDWR, 0600);
		ASSERT_GE(fd, 0);
		ASSERT_EQ(ftruncate(fd, 8 << 20), 0);
		close(fd);
	}
	std::vector<std::string> argv = {UMC_FUSE_PASSTHROUGH};
	if (*GetParam())
		argv.push_back(GetParam());
	for (const std::string &a : {backing, mnt, std::string("-f")})
		argv.push_back(a);
	Child server(argv);
	ASSERT_TRUE(wait_mounted(mnt, true, 10s));
	std::string file = mnt + "/disk.img";
	struct stat st;
	ASSERT_EQ(stat(file.c_str(), &st), 0);
	EXPECT_EQ(st.st_size, 8 << 20);

	void *mem = nullptr;
	ASSERT_EQ(posix_memalign(&mem, 4096, 1 << 20), 0);
	std::unique_ptr<void, decltype(&std::free)> guard(mem, &std::free);
	char *buf = static_cast<char *>(mem);
	for (int i = 0; i < (1 << 20); ++i)
		buf[i] = static_cast<char>(i * 13 + 5);
	int fd = open(file.c_str(), O_RDWR | O_DIRECT);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(pwrite(fd, buf, 1 << 20, 1 << 20), 1 << 20);
	EXPECT_EQ(fsync(fd), 0);
	EXPECT_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 1 << 20, 4096), 0);
	// Read back through FUSE, at an offset inside the written range.
	std::vector<char> back_mem(65536 + 4096);
	char *back = reinterpret_cast<char *>((reinterpret_cast<uintptr_t>(back_mem.data()) + 4095) & ~uintptr_t{4095});
	EXPECT_EQ(pread(fd, back, 65536, (1 << 20) + 65536), 65536);
	EXPECT_EQ(std::memcmp(back, buf + 65536, 65536), 0);
	close(fd);

	std::vector<char> stored(1 << 20);
	int bfd = open(backing.c_str(), O_RDONLY);
	ASSERT_GE(bfd, 0);
	ASSERT_EQ(pread(bfd, stored.data(), stored.size(), 1 << 20), 1 << 20);
	close(bfd);
	for (int i = 0; i < (1 << 20); ++i)
		ASSERT_EQ(stored[i], i < 4096 ? 0 : buf[i]) << i;

	EXPECT_EQ(server.terminate(10s), 0);
	EXPECT_TRUE(wait_mounted(mnt, false, 5s));
}

INSTANTIATE_TEST_SUITE_P(Modes, FusePassthrough, ::testing::Values("", "--direct"), [](const auto &info) {
	return *info.param ? std::string("Direct") : std::string("Buffered");
});

} // namespace
