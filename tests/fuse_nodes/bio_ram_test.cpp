// Integration: a bio_backends `ram` device served as dev/ram through
// BioBackendDevice (bio_requests pass straight through bio_submit), with
// many threads of O_DIRECT I/O and an ext4 on top.
#include "fuse_nodes/bio_backend_device.hpp"
#include "fuse_nodes/fuse_tree.hpp"
#include "helpers.hpp"

#include <mte/sys_service.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstring>
#include <fcntl.h>
#include <linux/falloc.h>
#include <thread>
#include <vector>

using namespace umc::fuse;
using namespace t;

namespace {

constexpr uint64_t MiB = 1u << 20;

const sys_service *service()
{
	static const sys_service *sys = [] {
		sys_service_params params;
		std::memset(&params, 0, sizeof params);
		params.log_level = -1;
		params.leak_report = -1;
		int err = 0;
		return sys_service_open(SYS_SERVICE_VERSION, &params, &err);
	}();
	return sys;
}

class BioRamTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (std::string why = fuse_unavailable(); !why.empty())
			GTEST_SKIP() << why;
		ASSERT_NE(service(), nullptr);
		char err[256] = {};
		ASSERT_EQ(bio_open(&ram_, service(), "ram", "size=256M", err, sizeof err), 0) << err;
		dir_ = std::make_unique<MountDir>("umc-fuse-ram");
		FuseTreeOptions options;
		options.root = dir_->path();
		tree_ = std::make_unique<FuseTree>(options);
		ASSERT_EQ(tree_->add_block_device("ram", std::make_shared<BioBackendDevice>(ram_)), 0);
		std::string why;
		ASSERT_EQ(tree_->start(&why), 0) << why;
	}
	void TearDown() override
	{
		if (tree_) {
			EXPECT_EQ(tree_->stop(), 0);
		}
		tree_.reset();
		if (ram_)
			bio_close(ram_);
		dir_.reset();
	}
	std::string dev() const { return dir_->file("dev/ram"); }

	bio_device *ram_ = nullptr;
	std::unique_ptr<MountDir> dir_;
	std::unique_ptr<FuseTree> tree_;
};

TEST_F(BioRamTest, PatternIoManyThreadsAndZeroing)
{
	constexpr int kThreads = 8;
	std::atomic<int> failures{0};
	auto pass = [&](int id, bool verify) {
		int fd = open(dev().c_str(), O_RDWR | O_DIRECT);
		void *mem = nullptr;
		if (fd < 0 || posix_memalign(&mem, 4096, MiB) != 0) {
			++failures;
			return;
		}
		char *buf = static_cast<char *>(mem);
		for (uint64_t off = id * 16 * MiB, i = 0; i < 16; ++i, off += MiB) {
			size_t len = (i % 2) ? MiB : 8192;
			if (verify) {
				if (pread(fd, buf, len, off) != static_cast<ssize_t>(len))
					++failures;
				for (size_t k = 0; k < len; ++k)
					if (buf[k] != static_cast<char>(id + k + i)) {
						++failures;
						break;
					}
			} else {
				for (size_t k = 0; k < len; ++k)
					buf[k] = static_cast<char>(id + k + i);
				if (pwrite(fd, buf, len, off) != static_cast<ssize_t>(len))
					++failures;
			}
		}
		std::free(mem);
		close(fd);
	};
	for (bool verify : {false, true}) {
		std::vector<std::thread> threads;
		for (int i = 0; i < kThreads; ++i)
			threads.emplace_back(pass, i, verify);
		for (auto &t : threads)
			t.join();
		ASSERT_EQ(failures.load(), 0);
	}
	int fd = open(dev().c_str(), O_RDWR);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(fsync(fd), 0);
	ASSERT_EQ(fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, MiB, MiB), 0);
	ASSERT_EQ(fallocate(fd, FALLOC_FL_ZERO_RANGE, 3 * MiB, MiB), 0);
	std::vector<char> buf(MiB);
	for (uint64_t off : {MiB, 3 * MiB}) {
		ASSERT_EQ(pread(fd, buf.data(), MiB, off), static_cast<ssize_t>(MiB));
		EXPECT_EQ(std::count(buf.begin(), buf.end(), 0), static_cast<long>(MiB)) << off;
	}
	close(fd);
	FuseTreeStats s = tree_->stats();
	EXPECT_EQ(s.flushes, 1u);
	EXPECT_EQ(s.discards, 1u);
	EXPECT_EQ(s.write_zeroes, 1u);
}

TEST_F(BioRamTest, Ext4OnLoopSurvivesFsck)
{
	ASSERT_EQ(run("mkfs.ext4 -q -F " + dev()), 0);
	MountDir mnt("umc-fuse-ram-ext4");
	ASSERT_EQ(run("mount -o loop " + dev() + " " + mnt.path()), 0);
	EXPECT_EQ(run("cp -a /usr/include/linux " + mnt.path() + "/ && sync", 300), 0);
	EXPECT_EQ(run("diff -r /usr/include/linux " + mnt.path() + "/linux >/dev/null"), 0);
	EXPECT_EQ(run("umount " + mnt.path()), 0);
	EXPECT_EQ(run("e2fsck -fn " + dev() + " >/dev/null 2>&1"), 0);
}

} // namespace
