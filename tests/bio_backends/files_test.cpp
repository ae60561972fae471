// Durability of the file backends, observed from outside the backend: the
// page cache's dirty bit (/proc/kpageflags), a second fd, close and reopen.
#include "helpers.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

using namespace t;

namespace {

class FileBackend : public ::testing::TestWithParam<const char *> {
protected:
	std::string spec() const { return std::string(GetParam()) + ":path=" + img_ + ",create=1,size=8M"; }
	void SetUp() override
	{
		img_ = dir_.file("d.img");
		char err[256];
		ASSERT_EQ(bio_open_spec(&dev_, sys(), spec().c_str(), err, sizeof err), 0) << err;
	}
	void TearDown() override
	{
		if (dev_)
			bio_close(dev_);
	}
	// Buffers 8 bytes off alignment take the buffered path in uring/aio,
	// which is where the page cache (and so the dirty bit) is involved.
	struct Skewed {
		std::vector<char> mem = std::vector<char>(4096 + 8);
		char *data() { return mem.data() + 8; }
	};
	// Skip when the kernel does not expose page flags to us.
	void require_page_flags()
	{
		if (page_dirty(img_, 0) < 0)
			GTEST_SKIP() << "/proc/kpageflags not readable";
	}
	std::string pread_file(uint64_t off, size_t len)
	{
		int fd = open(img_.c_str(), O_RDONLY | O_CLOEXEC);
		std::string s(len, '\0');
		EXPECT_EQ(pread(fd, s.data(), len, (off_t)off), (ssize_t)len);
		close(fd);
		return s;
	}
	TempDir dir_;
	std::string img_;
	bio_device *dev_ = nullptr;
};

TEST_P(FileBackend, FuaWriteIsWrittenBackWhenItCompletes)
{
	require_page_flags();
	Skewed a, b;
	fill_pattern(a.data(), 4096, 21, 0);
	fill_pattern(b.data(), 4096, 21, 1 << 20);
	// Control: without FUA the page stays dirty, so the probe can see it.
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, 1 << 20, b.data(), 4096), 0);
	ASSERT_EQ(page_dirty(img_, 1 << 20), 1) << "a plain write should leave a dirty page";
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, BIO_REQ_FUA, 0, a.data(), 4096), 0);
	EXPECT_EQ(page_dirty(img_, 0), 0) << "FUA completed but the page is still dirty";
	std::string seen = pread_file(0, 4096);
	EXPECT_TRUE(check_pattern(seen.data(), 4096, 21, 0)) << "second fd does not see the FUA write";
}

TEST_P(FileBackend, FlushWritesBackEveryCompletedWrite)
{
	require_page_flags();
	constexpr int kPages = 16;
	Skewed buf;
	for (int i = 0; i < kPages; i++) {
		fill_pattern(buf.data(), 4096, 22, (uint64_t)i * 65536);
		ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, (uint64_t)i * 65536, buf.data(), 4096), 0);
	}
	for (int i = 0; i < kPages; i++)
		ASSERT_EQ(page_dirty(img_, (uint64_t)i * 65536), 1) << "page " << i << " before the flush";
	ASSERT_EQ(sync_io(dev_, BIO_OP_FLUSH, 0, 0, nullptr, 0), 0);
	for (int i = 0; i < kPages; i++)
		EXPECT_EQ(page_dirty(img_, (uint64_t)i * 65536), 0) << "page " << i << " after the flush";
}

TEST_P(FileBackend, PreflushWriteFlushesEarlierWrites)
{
	require_page_flags();
	Skewed a, b;
	fill_pattern(a.data(), 4096, 23, 0);
	fill_pattern(b.data(), 4096, 23, 4 << 20);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, 0, a.data(), 4096), 0);
	ASSERT_EQ(page_dirty(img_, 0), 1);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, BIO_REQ_PREFLUSH | BIO_REQ_FUA, 4 << 20, b.data(), 4096), 0);
	EXPECT_EQ(page_dirty(img_, 0), 0) << "the earlier write was not flushed";
	EXPECT_EQ(page_dirty(img_, 4 << 20), 0) << "the FUA part was not written back";
}

TEST_P(FileBackend, DataSurvivesCloseAndReopen)
{
	std::vector<char> buf(64 * 1024);
	fill_pattern(buf.data(), buf.size(), 24, 3 << 20);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, BIO_REQ_FUA, 3 << 20, buf.data(), buf.size()), 0);
	bio_close(dev_);
	dev_ = nullptr;
	std::string seen = pread_file(3 << 20, buf.size());
	EXPECT_TRUE(check_pattern(seen.data(), buf.size(), 24, 3 << 20)) << "file lacks the data after close";

	char err[256];
	std::string again = std::string(GetParam()) + ":path=" + img_; // size from the file, no create
	ASSERT_EQ(bio_open_spec(&dev_, sys(), again.c_str(), err, sizeof err), 0) << err;
	EXPECT_EQ(dev_->size, 8u << 20);
	std::vector<char> back(buf.size());
	ASSERT_EQ(sync_io(dev_, BIO_OP_READ, 0, 3 << 20, back.data(), back.size()), 0);
	EXPECT_TRUE(check_pattern(back.data(), back.size(), 24, 3 << 20));
}

TEST_P(FileBackend, DiscardPunchesAHole)
{
	std::vector<char> buf(1 << 20);
	fill_pattern(buf.data(), buf.size(), 25, 0);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, BIO_REQ_FUA, 0, buf.data(), buf.size()), 0);
	struct stat before, after;
	ASSERT_EQ(stat(img_.c_str(), &before), 0);
	ASSERT_EQ(sync_io(dev_, BIO_OP_DISCARD, BIO_REQ_FUA, 0, nullptr, buf.size()), 0);
	ASSERT_EQ(stat(img_.c_str(), &after), 0);
	EXPECT_EQ(after.st_size, before.st_size) << "discard must keep the size";
	EXPECT_LT(after.st_blocks, before.st_blocks) << "discard should release blocks";
	std::string seen = pread_file(0, buf.size());
	EXPECT_TRUE(all_zero(seen.data(), seen.size()));
}

// uring and aio: aligned requests bypass the page cache (O_DIRECT), others
// go through it.  mincore() on a mapping of the file shows which pages the
// page cache holds.
class AsyncFileBackend : public FileBackend {
protected:
	bool cached(uint64_t off)
	{
		int fd = open(img_.c_str(), O_RDONLY | O_CLOEXEC);
		void *p = mmap(nullptr, 4096, PROT_READ, MAP_SHARED, fd, (off_t)off);
		close(fd);
		unsigned char vec = 0;
		EXPECT_EQ(mincore(p, 4096, &vec), 0);
		munmap(p, 4096);
		return vec & 1;
	}
};

TEST_P(AsyncFileBackend, AlignedRequestsBypassThePageCache)
{
	if (dev_->caps.logical_block_size != 512)
		GTEST_SKIP();
	ASSERT_GE(dev_->caps.mem_alignment, 512u) << "O_DIRECT is available on /tmp, so the cap must say so";
	ASSERT_LE(dev_->caps.mem_alignment, 4096u);
	void *aligned = aligned_alloc(4096, 65536);
	fill_pattern(aligned, 65536, 26, 1 << 20);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, 1 << 20, aligned, 65536), 0);
	EXPECT_FALSE(cached(1 << 20)) << "an aligned write should have used O_DIRECT";
	Skewed b;
	fill_pattern(b.data(), 4096, 26, 2 << 20);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, 2 << 20, b.data(), 4096), 0);
	EXPECT_TRUE(cached(2 << 20)) << "a misaligned buffer must take the buffered fd";
	// Both read back through either path.
	memset(aligned, 0, 65536);
	ASSERT_EQ(sync_io(dev_, BIO_OP_READ, 0, 1 << 20, aligned, 65536), 0);
	EXPECT_TRUE(check_pattern(aligned, 65536, 26, 1 << 20));
	ASSERT_EQ(sync_io(dev_, BIO_OP_READ, 0, 2 << 20, aligned, 4096), 0);
	EXPECT_TRUE(check_pattern(aligned, 4096, 26, 2 << 20));
	free(aligned);
}

TEST_P(AsyncFileBackend, ResizeGrowsTheFileAndTheDevice)
{
	Skewed a;
	fill_pattern(a.data(), 4096, 31, 0);
	const uint64_t old_size = 8u << 20, new_size = 12u << 20;
	// Beyond the end: refused before the grow, accepted after.
	EXPECT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, old_size, a.data(), 4096), -EINVAL);
	EXPECT_EQ(bio_resize(dev_, old_size), -EINVAL);       // not larger
	EXPECT_EQ(bio_resize(dev_, new_size + 100), -EINVAL); // not block-aligned
	ASSERT_EQ(bio_resize(dev_, new_size), 0);
	EXPECT_EQ(bio_device_size(dev_), new_size);
	struct stat st;
	ASSERT_EQ(stat(img_.c_str(), &st), 0);
	EXPECT_EQ((uint64_t)st.st_size, new_size);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, new_size - 4096, a.data(), 4096), 0);
	EXPECT_TRUE(check_pattern(pread_file(new_size - 4096, 4096).data(), 4096, 31, 0));
}

INSTANTIATE_TEST_SUITE_P(Files, AsyncFileBackend, ::testing::Values("uring", "aio"),
			 [](const ::testing::TestParamInfo<const char *> &i) { return std::string(i.param); });

INSTANTIATE_TEST_SUITE_P(Files, FileBackend, ::testing::Values("mmap", "uring", "aio"),
			 [](const ::testing::TestParamInfo<const char *> &i) { return std::string(i.param); });

} // namespace

namespace {

// Submit kThreads * kPerThread 4 KiB writes from threads that exit right
// after submitting, then check every status and a sample of the data.
void write_from_exiting_threads(const std::string &spec)
{
	bio_device *dev = nullptr;
	char err[256];
	ASSERT_EQ(bio_open_spec(&dev, sys(), spec.c_str(), err, sizeof err), 0) << err;
	constexpr int kThreads = 32, kPerThread = 16, kBlock = 4096;
	std::vector<Req> reqs(kThreads * kPerThread);
	std::vector<iovec> iovs(reqs.size());
	char *mem = static_cast<char *>(aligned_alloc(kBlock, reqs.size() * kBlock));
	Waiter w;
	w.expect(reqs.size());
	for (size_t n = 0; n < reqs.size(); ++n) {
		fill_pattern(mem + n * kBlock, kBlock, 7, n * kBlock);
		iovs[n] = {mem + n * kBlock, kBlock};
		reqs[n].setup(&w, BIO_OP_WRITE, 0, n * kBlock, kBlock, &iovs[n], 1);
	}
	std::vector<std::thread> submitters;
	for (int t = 0; t < kThreads; ++t)
		submitters.emplace_back([&, t] {
			for (int i = 0; i < kPerThread; ++i)
				bio_submit(dev, &reqs[t * kPerThread + i].r);
		});
	for (auto &s : submitters)
		s.join();
	EXPECT_TRUE(w.wait());
	for (int st : w.statuses())
		EXPECT_EQ(st, 0) << strerror(-st);
	std::vector<char> back(kBlock);
	for (size_t n = 0; n < reqs.size(); n += 37) {
		ASSERT_EQ(sync_io(dev, BIO_OP_READ, 0, n * kBlock, back.data(), kBlock), 0);
		EXPECT_TRUE(check_pattern(back.data(), kBlock, 7, n * kBlock)) << "block " << n;
	}
	bio_close(dev);
	free(mem);
}

// io_uring ties a request to the thread that entered the kernel with it:
// work it punts to its io-wq (buffered writes) was cancelled with
// -ECANCELED when that thread exited -- and FUSE retires idle worker
// threads.  Buffered writes to a disk file (direct=0) are punted; every
// request must still succeed.
TEST(UringSubmitter, RequestsOutliveTheThreadsThatSubmittedThem)
{
	TempDir dir("umc-uring");
	// Whether a write is punted depends on timing: a few rounds make a
	// cancellation all but certain.
	for (int round = 0; round < 4; round++) {
		std::string img = dir.file("d" + std::to_string(round) + ".img");
		write_from_exiting_threads("uring:path=" + img + ",create=1,size=16M,direct=0");
		unlink(img.c_str());
	}
}

// A /dev/shm scratch directory (tmpfs), removed with what is in it.
class ShmDir {
public:
	ShmDir()
	{
		char tmpl[] = "/dev/shm/umc-uring-XXXXXX";
		if (mkdtemp(tmpl))
			path_ = tmpl;
	}
	~ShmDir()
	{
		if (!path_.empty())
			(void)!system(("rm -rf '" + path_ + "'").c_str());
	}
	bool ok() const { return !path_.empty(); }
	std::string file(const std::string &n) const { return path_ + "/" + n; }

private:
	std::string path_;
};

// On tmpfs io_uring would punt every request to io-wq (tmpfs takes no
// IOCB_NOWAIT); the backend copies in the submitting thread instead.  Each
// kind of request has ended when bio_submit returns, with the results it
// has through the ring.
TEST(UringOnTmpfs, EveryRequestHasEndedWhenSubmitReturns)
{
	ShmDir dir;
	if (!dir.ok())
		GTEST_SKIP() << "no writable /dev/shm";
	bio_device *dev = nullptr;
	char err[256];
	std::string spec = "uring:path=" + dir.file("d.img") + ",create=1,size=1M";
	ASSERT_EQ(bio_open_spec(&dev, sys(), spec.c_str(), err, sizeof err), 0) << err;
	constexpr size_t kLen = 64 * 1024;
	char *buf = static_cast<char *>(aligned_alloc(4096, kLen)),
	     *back = static_cast<char *>(aligned_alloc(4096, kLen));
	fill_pattern(buf, kLen, 3, 4096);
	iovec wiov[2] = {{buf, kLen / 2}, {buf + kLen / 2, kLen / 2}}, riov = {back, kLen};
	struct Step {
		uint32_t op, flags;
		const iovec *iov;
		uint32_t cnt;
		uint64_t off, len;
	} steps[] = {
		{BIO_OP_WRITE, 0, wiov, 2, 4096, kLen},
		{BIO_OP_WRITE, BIO_REQ_FUA, wiov, 2, 4096, kLen},
		{BIO_OP_FLUSH, 0, nullptr, 0, 0, 0},
		{BIO_OP_READ, BIO_REQ_PREFLUSH, &riov, 1, 4096, kLen},
		{BIO_OP_DISCARD, BIO_REQ_FUA, nullptr, 0, 4096, 16384},
	};
	for (const Step &st : steps) {
		Waiter w;
		Req r;
		w.expect();
		r.setup(&w, st.op, st.flags, st.off, st.len, st.iov, st.cnt);
		bio_submit(dev, &r.r);
		EXPECT_EQ(r.status.load(), 0) << "op " << st.op << " had not ended when bio_submit returned";
		EXPECT_TRUE(w.wait());
		if (st.op == BIO_OP_READ) {
			EXPECT_TRUE(check_pattern(back, kLen, 3, 4096));
		}
	}
	// The discard is what a read sees.  (tmpfs has no FALLOC_FL_ZERO_RANGE:
	// WRITE_ZEROES is -EOPNOTSUPP there, through the ring as well.)
	ASSERT_EQ(sync_io(dev, BIO_OP_READ, 0, 4096, back, kLen), 0);
	EXPECT_TRUE(all_zero(back, 16384));
	EXPECT_TRUE(check_pattern(back + 16384, kLen - 16384, 3, 4096 + 16384));
	bio_close(dev);
	free(buf);
	free(back);
	// Many submitters, each gone right after submitting: as on the ring.
	write_from_exiting_threads("uring:path=" + dir.file("e.img") + ",create=1,size=16M");
}

} // namespace
