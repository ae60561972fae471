// The tcmu backend hosting Debian's real handler_qcow.so on a qcow2 image
// made by qemu-img; the result is checked with qemu-img itself.
#include "helpers.hpp"

#include <sys/stat.h>
#include <sys/wait.h>
#include <fcntl.h>
#include <unistd.h>
#include <thread>

using namespace t;

namespace {

const char kHandler[] = "/usr/lib/x86_64-linux-gnu/tcmu-runner/handler_qcow.so";

bool have(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0;
}

// Run a command (argv, no shell); returns its exit status.
int run(std::vector<std::string> argv)
{
	pid_t pid = fork();
	if (pid == 0) {
		std::vector<char *> a;
		for (auto &s : argv)
			a.push_back(s.data());
		a.push_back(nullptr);
		int null = open("/dev/null", O_WRONLY);
		dup2(null, 1);
		execvp(a[0], a.data());
		_exit(127);
	}
	int st = 0;
	waitpid(pid, &st, 0);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

class Tcmu : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (!have(kHandler) || !have("/usr/bin/qemu-img"))
			GTEST_SKIP() << "needs tcmu-runner's handler_qcow.so and qemu-img";
		img_ = dir_.file("disk.qcow2");
		ASSERT_EQ(run({"qemu-img", "create", "-q", "-f", "qcow2", img_, "16M"}), 0);
	}
	TempDir dir_;
	std::string img_;
};

TEST_F(Tcmu, QcowImageRoundTripCheckedByQemuImg)
{
	bio_device *dev = nullptr;
	char err[256];
	ASSERT_EQ(bio_open_spec(&dev, sys(), ("tcmu:handler=qcow,path=" + img_).c_str(), err, sizeof err), 0) << err;
	EXPECT_EQ(dev->size, 16u << 20) << "size read from the qcow2 header";
	EXPECT_TRUE(dev->caps.features & BIO_CAP_FLUSH);

	// Several threads, many requests in flight each (the backend serialises
	// them for the synchronous handler).
	constexpr int kThreads = 3, kPer = 16;
	std::atomic<int> bad{0};
	std::vector<std::thread> th;
	for (int t = 0; t < kThreads; t++)
		th.emplace_back([&, t] {
			std::vector<Req> q(kPer);
			std::vector<std::vector<char>> bufs(kPer, std::vector<char>(8192));
			std::vector<iovec> iov(kPer * 2);
			Waiter w;
			w.expect(kPer);
			for (int i = 0; i < kPer; i++) {
				uint64_t off = ((uint64_t)t * kPer + i) * 98304 + 4096; // crosses 64K clusters
				fill_pattern(bufs[i].data(), 8192, 31, off);
				iov[2 * i] = {bufs[i].data(), 1536};
				iov[2 * i + 1] = {bufs[i].data() + 1536, 8192 - 1536};
				q[i].setup(&w, BIO_OP_WRITE, i % 4 == 0 ? BIO_REQ_FUA : 0, off, 8192, &iov[2 * i], 2);
			}
			for (auto &r : q)
				bio_submit(dev, &r.r);
			if (!w.wait())
				bad++;
			for (auto &r : q)
				bad += r.status != 0;
		});
	for (auto &t : th)
		t.join();
	ASSERT_EQ(bad.load(), 0);
	ASSERT_EQ(sync_io(dev, BIO_OP_FLUSH, 0, 0, nullptr, 0), 0);
	std::vector<char> back(8192);
	for (int n = 0; n < kThreads * kPer; n++) {
		uint64_t off = (uint64_t)n * 98304 + 4096;
		ASSERT_EQ(sync_io(dev, BIO_OP_READ, 0, off, back.data(), 8192), 0);
		EXPECT_TRUE(check_pattern(back.data(), 8192, 31, off)) << "at " << off;
	}
	ASSERT_EQ(sync_io(dev, BIO_OP_READ, 0, 15u << 20, back.data(), 8192), 0);
	EXPECT_TRUE(all_zero(back.data(), 8192)) << "unallocated clusters read as zeros";
	EXPECT_EQ(sync_io(dev, BIO_OP_DISCARD, 0, 0, nullptr, 4096), -EOPNOTSUPP);
	bio_close(dev);

	// qemu-img agrees: the image is consistent and holds our data.
	EXPECT_EQ(run({"qemu-img", "check", "-q", img_}), 0);
	std::string raw = dir_.file("disk.raw");
	ASSERT_EQ(run({"qemu-img", "convert", "-O", "raw", img_, raw}), 0);
	std::string data = read_file(raw);
	ASSERT_EQ(data.size(), 16u << 20);
	for (int n = 0; n < kThreads * kPer; n++) {
		uint64_t off = (uint64_t)n * 98304 + 4096;
		EXPECT_TRUE(check_pattern(data.data() + off, 8192, 31, off)) << "qemu-img sees other data at " << off;
	}
}

TEST_F(Tcmu, ClearErrors)
{
	bio_device *dev = nullptr;
	char err[256];
	EXPECT_EQ(bio_open_spec(&dev, sys(), ("tcmu:handler=nosuch,path=" + img_).c_str(), err, sizeof err), -ENOENT);
	EXPECT_NE(std::string(err).find("handler_nosuch.so not found"), std::string::npos) << err;
	EXPECT_EQ(bio_open_spec(&dev, sys(), ("tcmu:handler=qcow,path=" + dir_.file("none.qcow2")).c_str(), err,
				sizeof err),
		  -ENOENT);
	EXPECT_NE(std::string(err).find("no such file"), std::string::npos) << err;
	EXPECT_FALSE(have(dir_.file("none.qcow2").c_str()));
	std::string raw = dir_.file("plain.img");
	write_file(raw, std::string(4096, 'r'));
	EXPECT_EQ(bio_open_spec(&dev, sys(), ("tcmu:handler=qcow,path=" + raw).c_str(), err, sizeof err), -EINVAL);
	EXPECT_NE(std::string(err).find("size="), std::string::npos) << err;
	EXPECT_EQ(bio_open_spec(&dev, sys(), "tcmu:path=/x", err, sizeof err), -EINVAL);
	EXPECT_NE(std::string(err).find("handler="), std::string::npos) << err;
}

} // namespace
