// Behaviour every backend must show: data integrity under concurrency,
// scatter/gather, discard/write-zeroes, flush/FUA completion, validation.
#include "helpers.hpp"

#include <memory>
#include <random>
#include <thread>

using namespace t;

namespace {

std::string expand(std::string spec, const std::string &dir)
{
	for (size_t p; (p = spec.find("{dir}")) != std::string::npos;)
		spec.replace(p, 5, dir);
	return spec;
}

class AnyBackend : public ::testing::TestWithParam<const char *> {
protected:
	void SetUp() override
	{
		char err[256];
		int rc = bio_open_spec(&dev_, sys(), expand(GetParam(), dir_.path()).c_str(), err, sizeof err);
		ASSERT_EQ(rc, 0) << err;
		ASSERT_EQ(dev_->size, 16u << 20);
	}
	void TearDown() override
	{
		if (dev_)
			bio_close(dev_);
	}
	TempDir dir_;
	bio_device *dev_ = nullptr;
};

// A buffer with a chosen misalignment (0 = page aligned).
struct Buf {
	explicit Buf(size_t len, size_t skew = 0) : skew_(skew)
	{
		mem_ = static_cast<char *>(aligned_alloc(4096, (len + skew + 4095) / 4096 * 4096));
		memset(mem_, 0xEE, len + skew);
	}
	~Buf() { free(mem_); }
	char *data() { return mem_ + skew_; }
	char *mem_;
	size_t skew_;
};

TEST_P(AnyBackend, ConcurrentWritesFromThreadsReadBack)
{
	constexpr int kThreads = 4;
	constexpr uint64_t kChunk = 64 * 1024;
	const uint64_t per_thread = dev_->size / kThreads / kChunk; // chunks per thread
	std::atomic<int> bad{0};
	std::vector<std::thread> th;
	for (int t = 0; t < kThreads; t++) {
		th.emplace_back([&, t] {
			std::mt19937_64 rng(1234 + t);
			struct Io {
				Req q;
				iovec iov;
				std::unique_ptr<Buf> buf;
				uint64_t off, len;
			};
			std::vector<Io> ios(per_thread);
			std::vector<uint64_t> order(per_thread);
			for (uint64_t i = 0; i < per_thread; i++)
				order[i] = i;
			std::shuffle(order.begin(), order.end(), rng);
			Waiter w;
			w.expect(per_thread);
			// Every request gets its own chunk (overlapping writes in flight
			// are undefined), a random sector-aligned sub-range, and a buffer
			// that is page aligned or not (O_DIRECT vs buffered paths).
			for (uint64_t i = 0; i < per_thread; i++) {
				Io &io = ios[i];
				uint64_t chunk = (uint64_t)t * per_thread + order[i];
				io.len = (1 + rng() % (kChunk / 512)) * 512;
				io.off = chunk * kChunk + (rng() % ((kChunk - io.len) / 512 + 1)) * 512;
				io.buf = std::make_unique<Buf>(io.len, (i % 3 == 0) ? 512 : (i % 3 == 1) ? 0 : 8);
				fill_pattern(io.buf->data(), io.len, 7, io.off);
				io.iov = {io.buf->data(), io.len};
				io.q.setup(&w, BIO_OP_WRITE, 0, io.off, io.len, &io.iov, 1);
			}
			for (auto &io : ios)
				bio_submit(dev_, &io.q.r);
			if (!w.wait()) {
				bad++;
				return;
			}
			for (int s : w.statuses())
				if (s != 0)
					bad++;
			Waiter r;
			r.expect(per_thread);
			for (auto &io : ios) {
				memset(io.buf->data(), 0, io.len);
				io.q.setup(&r, BIO_OP_READ, 0, io.off, io.len, &io.iov, 1);
			}
			for (auto &io : ios)
				bio_submit(dev_, &io.q.r);
			if (!r.wait()) {
				bad++;
				return;
			}
			for (auto &io : ios)
				if (io.q.status != 0 || !check_pattern(io.buf->data(), io.len, 7, io.off))
					bad++;
		});
	}
	for (auto &t : th)
		t.join();
	EXPECT_EQ(bad.load(), 0);
}

TEST_P(AnyBackend, ScatterGatherRoundTrip)
{
	const uint64_t off = 3 * 4096 + 512;
	Buf a(512), b(1536), c(2048, 8);
	fill_pattern(a.data(), 512, 9, off);
	fill_pattern(b.data(), 1536, 9, off + 512);
	fill_pattern(c.data(), 2048, 9, off + 2048);
	iovec w[3] = {{a.data(), 512}, {b.data(), 1536}, {c.data(), 2048}};
	ASSERT_EQ(sync_iov(dev_, BIO_OP_WRITE, 0, off, w, 3), 0);

	// Read back through a different split.
	std::vector<std::unique_ptr<Buf>> parts;
	std::vector<iovec> r;
	for (int i = 0; i < 4; i++) {
		parts.push_back(std::make_unique<Buf>(1024, i * 512 % 4096));
		r.push_back({parts.back()->data(), 1024});
	}
	ASSERT_EQ(sync_iov(dev_, BIO_OP_READ, 0, off, r.data(), 4), 0);
	for (int i = 0; i < 4; i++)
		EXPECT_TRUE(check_pattern(parts[i]->data(), 1024, 9, off + i * 1024)) << "part " << i;
}

TEST_P(AnyBackend, DiscardAndWriteZeroesReadBackZeros)
{
	const uint64_t len = 256 * 1024;
	Buf buf(len);
	fill_pattern(buf.data(), len, 11, 0);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, 0, buf.data(), len), 0);
	ASSERT_TRUE(dev_->caps.features & BIO_CAP_DISCARD);
	ASSERT_TRUE(dev_->caps.features & BIO_CAP_WRITE_ZEROES);
	// Ranges that start and end inside pages, spanning whole pages too.
	ASSERT_EQ(sync_io(dev_, BIO_OP_DISCARD, 0, 1536, nullptr, 3 * 4096 + 1024), 0);
	ASSERT_EQ(sync_io(dev_, BIO_OP_WRITE_ZEROES, BIO_REQ_FUA, 64 * 1024 + 512, nullptr, 70 * 1024), 0);

	Buf back(len);
	ASSERT_EQ(sync_io(dev_, BIO_OP_READ, 0, 0, back.data(), len), 0);
	auto zero = [](uint64_t o) {
		return (o >= 1536 && o < 1536 + 3 * 4096 + 1024) ||
		       (o >= 64 * 1024 + 512 && o < 64 * 1024 + 512 + 70 * 1024);
	};
	for (uint64_t o = 0; o < len; o += 512) {
		if (zero(o))
			ASSERT_TRUE(all_zero(back.data() + o, 512)) << "sector at " << o << " not zeroed";
		else
			ASSERT_TRUE(check_pattern(back.data() + o, 512, 11, o)) << "sector at " << o << " damaged";
	}
}

TEST_P(AnyBackend, FlushAndFuaAmongManyInFlight)
{
	constexpr int kN = 96;
	Waiter w;
	std::vector<Req> q(kN);
	std::vector<std::unique_ptr<Buf>> bufs;
	std::vector<iovec> iov(kN);
	w.expect(kN);
	for (int i = 0; i < kN; i++) {
		bufs.push_back(std::make_unique<Buf>(4096));
		fill_pattern(bufs[i]->data(), 4096, 13, (uint64_t)i * 8192);
		iov[i] = {bufs[i]->data(), 4096};
		if (i % 8 == 7)
			q[i].setup(&w, BIO_OP_FLUSH, 0, 0, 0, nullptr, 0);
		else
			q[i].setup(&w, BIO_OP_WRITE,
				   i % 5 == 0   ? BIO_REQ_FUA
				   : i % 7 == 0 ? BIO_REQ_PREFLUSH
						: 0,
				   (uint64_t)i * 8192, 4096, &iov[i], 1);
	}
	for (auto &r : q)
		bio_submit(dev_, &r.r);
	ASSERT_TRUE(w.wait());
	for (int i = 0; i < kN; i++)
		EXPECT_EQ(q[i].status.load(), 0) << "request " << i;
	Buf back(4096);
	for (int i = 0; i < kN; i++) {
		if (i % 8 == 7)
			continue;
		ASSERT_EQ(sync_io(dev_, BIO_OP_READ, 0, (uint64_t)i * 8192, back.data(), 4096), 0);
		EXPECT_TRUE(check_pattern(back.data(), 4096, 13, (uint64_t)i * 8192)) << "request " << i;
	}
}

TEST_P(AnyBackend, MalformedAndOutOfRangeRequestsFailWithEinval)
{
	Buf buf(8192);
	const uint64_t size = dev_->size;
	EXPECT_EQ(sync_io(dev_, BIO_OP_READ, 0, size, buf.data(), 512), -EINVAL) << "starts at the end";
	EXPECT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, size - 512, buf.data(), 1024), -EINVAL) << "crosses the end";
	EXPECT_EQ(sync_io(dev_, BIO_OP_READ, 0, UINT64_MAX - 511, buf.data(), 1024), -EINVAL) << "wraps";
	EXPECT_EQ(sync_io(dev_, BIO_OP_READ, 0, 100, buf.data(), 512), -EINVAL) << "misaligned offset";
	EXPECT_EQ(sync_io(dev_, BIO_OP_READ, 0, 0, buf.data(), 100), -EINVAL) << "misaligned length";
	EXPECT_EQ(sync_io(dev_, BIO_OP_DISCARD, 0, size - 512, nullptr, 4096), -EINVAL) << "discard past end";
	EXPECT_EQ(sync_io(dev_, BIO_OP_FLUSH, 0, 0, nullptr, 512), -EINVAL) << "flush with a length";
	EXPECT_EQ(sync_io(dev_, 99, 0, 0, buf.data(), 512), -EINVAL) << "unknown op";
	EXPECT_EQ(sync_io(dev_, BIO_OP_READ, 0x80, 0, buf.data(), 512), -EINVAL) << "unknown flag";
	iovec iov{buf.data(), 512};
	Waiter w;
	Req q;
	q.setup(&w, BIO_OP_WRITE, 0, 0, 1024, &iov, 1); // length != sum of iov
	w.expect();
	bio_submit(dev_, &q.r);
	ASSERT_TRUE(w.wait());
	EXPECT_EQ(q.status.load(), -EINVAL) << "length disagrees with iov";
	// The device still serves good requests.
	fill_pattern(buf.data(), 4096, 5, 0);
	EXPECT_EQ(sync_io(dev_, BIO_OP_WRITE, 0, size - 4096, buf.data(), 4096), 0);
}

const char *const kSpecs[] = {
	"ram:size=16M",
	"mmap:path={dir}/d.img,create=1,size=16M",
	"uring:path={dir}/d.img,create=1,size=16M,queue_depth=16",
	"uring:path={dir}/d.img,create=1,size=16M,direct=0",
	"aio:path={dir}/d.img,create=1,size=16M,queue_depth=16",
	"aio:path={dir}/d.img,create=1,size=16M,direct=0",
	"fault:inner=ram,size=16M,control={dir}/ctl",
	"fault:inner=uring,control={dir}/ctl,path={dir}/d.img,create=1,size=16M",
};
const char *const kNames[] = {"ram", "mmap",         "uring",     "uring_buffered",
			      "aio", "aio_buffered", "fault_ram", "fault_uring"};

std::string spec_name(const ::testing::TestParamInfo<const char *> &i)
{
	return kNames[i.index];
}

INSTANTIATE_TEST_SUITE_P(All, AnyBackend, ::testing::ValuesIn(kSpecs), spec_name);

} // namespace
