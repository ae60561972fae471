// The fault backend, driven through its control file as an operator would.
#include "helpers.hpp"

#include <chrono>
#include <poll.h>
#include <sys/inotify.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace t;
using namespace std::chrono;

namespace {

class Fault : public ::testing::Test {
protected:
	void SetUp() override { ctl_ = dir_.file("fault.ctl"); }
	void open(const std::string &inner = "inner=ram,size=4M")
	{
		char err[256];
		std::string spec = "fault:" + inner + ",control=" + ctl_;
		ASSERT_EQ(bio_open_spec(&dev_, sys(), spec.c_str(), err, sizeof err), 0) << err;
	}
	void TearDown() override
	{
		if (dev_)
			bio_close(dev_);
	}
	int rd(uint64_t sector, uint64_t sectors = 8)
	{
		buf_.resize(sectors * 512);
		return sync_io(dev_, BIO_OP_READ, 0, sector * 512, buf_.data(), buf_.size());
	}
	int wr(uint64_t sector, uint64_t sectors = 8)
	{
		buf_.assign(sectors * 512, 'x');
		return sync_io(dev_, BIO_OP_WRITE, 0, sector * 512, buf_.data(), buf_.size());
	}
	TempDir dir_;
	std::string ctl_;
	bio_device *dev_ = nullptr;
	std::vector<char> buf_;
};

TEST_F(Fault, ReadErrorsHitOnlyTheConfiguredRange)
{
	open();
	ASSERT_EQ(rd(100), 0) << "no faults before the control file exists";
	std::string st = apply_control(ctl_, "error=read\nerror_sectors=100-200\ngeneration=1\n", 1);
	ASSERT_EQ(st, "generation=1\nstatus=ok\n");
	EXPECT_EQ(rd(100), -EIO);
	EXPECT_EQ(rd(96), -EIO) << "sectors 96..103 overlap the range";
	EXPECT_EQ(rd(199, 1), -EIO);
	EXPECT_EQ(rd(88), 0) << "sectors 88..95 are outside";
	EXPECT_EQ(rd(200), 0) << "the range end is exclusive";
	EXPECT_EQ(wr(150), 0) << "writes are not affected by error=read";
	EXPECT_EQ(sync_io(dev_, BIO_OP_FLUSH, 0, 0, nullptr, 0), 0);
	// Clearing the file heals the device.
	apply_control(ctl_, "generation=2\n", 2);
	EXPECT_EQ(rd(150), 0);
	EXPECT_EQ(buf_[0], 'x') << "the write made while faults were on landed";
}

TEST_F(Fault, ErrorAfterNRequestsAndChosenErrno)
{
	open();
	apply_control(ctl_, "error=write,flush\nerror_after=3\nerrno=ENOSPC\ngeneration=7\n", 7);
	EXPECT_EQ(wr(0), 0);
	EXPECT_EQ(wr(8), 0);
	EXPECT_EQ(rd(0), 0) << "reads do not count";
	EXPECT_EQ(wr(16), 0);
	EXPECT_EQ(wr(24), -ENOSPC);
	EXPECT_EQ(sync_io(dev_, BIO_OP_FLUSH, 0, 0, nullptr, 0), -ENOSPC);
	EXPECT_EQ(sync_io(dev_, BIO_OP_WRITE_ZEROES, 0, 0, nullptr, 4096), -ENOSPC);
	EXPECT_EQ(rd(0), 0) << "the device keeps serving reads";
}

TEST_F(Fault, LatencyDelaysEveryCompletionButNotInSeries)
{
	open();
	apply_control(ctl_, "latency_us=100000\ngeneration=1\n", 1);
	constexpr int kN = 8;
	Waiter w;
	std::vector<Req> q(kN);
	std::vector<char> data(kN * 4096);
	std::vector<iovec> iov(kN);
	w.expect(kN);
	auto t0 = steady_clock::now();
	for (int i = 0; i < kN; i++) {
		iov[i] = {data.data() + i * 4096, 4096};
		q[i].setup(&w, BIO_OP_READ, 0, (uint64_t)i * 4096, 4096, &iov[i], 1);
		bio_submit(dev_, &q[i].r);
	}
	EXPECT_EQ(w.completed(), 0u) << "ram completes inline, so anything done here skipped the delay";
	ASSERT_TRUE(w.wait());
	auto elapsed = steady_clock::now() - t0;
	for (auto &r : q) {
		EXPECT_EQ(r.status.load(), 0);
		EXPECT_GE((int64_t)r.done_ns.load() - duration_cast<nanoseconds>(t0.time_since_epoch()).count(),
			  100'000'000);
	}
	// Eight requests in flight together take one latency, not eight.
	EXPECT_LT(elapsed, milliseconds(700));
}

TEST_F(Fault, HangHoldsRequestsUntilReleased)
{
	open();
	apply_control(ctl_, "hang=1\ngeneration=1\n", 1);
	constexpr int kN = 4;
	Waiter w;
	std::vector<Req> q(kN);
	std::vector<char> data(kN * 4096, 'h');
	std::vector<iovec> iov(kN);
	w.expect(kN);
	for (int i = 0; i < kN; i++) {
		iov[i] = {data.data() + i * 4096, 4096};
		q[i].setup(&w, BIO_OP_WRITE, 0, (uint64_t)i * 4096, 4096, &iov[i], 1);
		bio_submit(dev_, &q[i].r);
	}
	// The inner ram device completes inline: nothing done yet means held.
	EXPECT_EQ(w.completed(), 0u);
	// A new generation that still hangs keeps them held.
	apply_control(ctl_, "hang=1\ngeneration=2\n", 2);
	EXPECT_EQ(w.completed(), 0u);
	apply_control(ctl_, "hang=0\ngeneration=3\n", 3);
	ASSERT_TRUE(w.wait());
	for (auto &r : q)
		EXPECT_EQ(r.status.load(), 0);
	ASSERT_EQ(rd(0, 8 * kN), 0);
	EXPECT_EQ(std::string(buf_.begin(), buf_.end()), std::string(kN * 4096, 'h'));
}

TEST_F(Fault, CloseReleasesHeldRequests)
{
	open();
	apply_control(ctl_, "hang=1\ngeneration=1\n", 1);
	Waiter w;
	Req q;
	std::vector<char> data(4096);
	iovec iov{data.data(), 4096};
	q.setup(&w, BIO_OP_READ, 0, 0, 4096, &iov, 1);
	w.expect();
	bio_submit(dev_, &q.r);
	EXPECT_EQ(w.completed(), 0u);
	bio_close(dev_);
	dev_ = nullptr;
	EXPECT_EQ(w.completed(), 1u) << "close must not return with a request held";
	EXPECT_EQ(q.status.load(), 0);
}

TEST_F(Fault, MalformedControlFileKeepsThePreviousState)
{
	open();
	apply_control(ctl_, "error=read\ngeneration=1\n", 1);
	std::string st = apply_control_expect(ctl_, "error=sometimes\ngeneration=2\n", "generation=1\nstatus=error");
	EXPECT_EQ(st.rfind("generation=1\nstatus=error: line 1: error= takes", 0), 0u) << st;
	EXPECT_EQ(rd(0), -EIO) << "the old rules stay in force";
}

TEST_F(Fault, DeletingTheControlFileClearsFaults)
{
	open();
	apply_control(ctl_, "error=all\ngeneration=4\n", 4);
	EXPECT_EQ(rd(0), -EIO);
	std::string state = ctl_ + ".state";
	// Wait for the state rewrite that follows the deletion.
	unlink(ctl_.c_str());
	int ino = inotify_init1(IN_CLOEXEC);
	inotify_add_watch(ino, dir_.path().c_str(), IN_MOVED_TO);
	for (int i = 0; i < 100 && read_file(state) != "generation=0\nstatus=ok\n"; i++) {
		pollfd p{ino, POLLIN, 0};
		if (poll(&p, 1, 10000) <= 0)
			break;
		char b[4096];
		(void)!read(ino, b, sizeof b);
	}
	close(ino);
	EXPECT_EQ(read_file(state), "generation=0\nstatus=ok\n");
	EXPECT_EQ(rd(0), 0);
}

TEST_F(Fault, BadControlFileAtOpenFailsTheOpenAndCreatesNothing)
{
	write_file(ctl_, "latency_us=soon\n");
	bio_device *d = nullptr;
	char err[256];
	std::string img = dir_.file("never.img");
	std::string spec = "fault:inner=uring,control=" + ctl_ + ",path=" + img + ",create=1,size=1M";
	EXPECT_EQ(bio_open_spec(&d, sys(), spec.c_str(), err, sizeof err), -EINVAL);
	EXPECT_NE(std::string(err).find("latency_us"), std::string::npos) << err;
	struct stat st;
	EXPECT_NE(stat(img.c_str(), &st), 0) << "the inner file must not be created";
}

TEST_F(Fault, InnerErrorsComeThrough)
{
	bio_device *d = nullptr;
	char err[256];
	EXPECT_EQ(bio_open_spec(&d, sys(), "fault:inner=ram", err, sizeof err), -EINVAL);
	EXPECT_NE(std::string(err).find("size="), std::string::npos) << err;
	EXPECT_EQ(bio_open_spec(&d, sys(), "fault:inner=nope,size=1M", err, sizeof err), -ENOENT);
	EXPECT_NE(std::string(err).find("unknown backend 'nope'"), std::string::npos) << err;
	EXPECT_EQ(bio_open_spec(&d, sys(), "fault:size=1M", err, sizeof err), -EINVAL);
	EXPECT_NE(std::string(err).find("inner="), std::string::npos) << err;
}

} // namespace
