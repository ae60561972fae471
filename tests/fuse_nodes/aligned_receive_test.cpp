// Integration tests of how requests are received (fuse_nodes/src/receive.cpp):
// WRITE payloads land page aligned in pooled buffers, large ones go to the
// device in that buffer, and every other request still reaches libfuse whole.
// A device that needs aligned memory (like a DRBD minor, whose bios the
// kernel side builds only from 512-byte aligned memory) counts every iovec
// that breaks its alignment: these tests fail if the contract breaks.
#include "fuse_nodes/fuse_tree.hpp"
#include "memory_device.hpp"
#include "helpers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <iterator>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <sys/syscall.h>
#include <memory>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace umc::fuse;
using namespace t;
using namespace std::chrono_literals;

namespace {

constexpr uint64_t MiB = 1u << 20;
constexpr uint64_t kDeviceSize = 64 * MiB;

struct Fd {
	explicit Fd(int f) : fd(f) {}
	~Fd()
	{
		if (fd >= 0)
			close(fd);
	}
	int fd;
};

// Page-aligned memory; `at(1)` is deliberately misaligned user memory.
struct Memory {
	explicit Memory(size_t n)
	{
		if (posix_memalign(&base, 4096, n + 4096) != 0)
			base = nullptr;
	}
	~Memory() { std::free(base); }
	char *at(size_t skew) const { return static_cast<char *>(base) + skew; }
	void *base = nullptr;
};

// Deterministic bytes: a write's content depends on where and which write.
void fill(char *buf, size_t len, uint64_t offset, unsigned seed)
{
	for (size_t i = 0; i < len; ++i)
		buf[i] = static_cast<char>(((offset + i) * 131 + seed * 7 + ((offset + i) >> 12)) & 0xff);
}

// Submit `cbs` through Linux AIO and wait (bounded) for all: each result,
// or fewer results when they did not all complete.
std::vector<long> run_aio(std::vector<iocb> &cbs)
{
	long count = static_cast<long>(cbs.size());
	aio_context_t ctx = 0;
	if (syscall(SYS_io_setup, count, &ctx) != 0)
		return {};
	std::vector<iocb *> ptrs;
	for (auto &cb : cbs)
		ptrs.push_back(&cb);
	std::vector<long> results;
	if (syscall(SYS_io_submit, ctx, count, ptrs.data()) == count) {
		std::vector<io_event> events(cbs.size());
		long done = 0;
		auto deadline = std::chrono::steady_clock::now() + 60s;
		while (done < count && std::chrono::steady_clock::now() < deadline) {
			timespec wait{1, 0};
			long n = syscall(SYS_io_getevents, ctx, 1, count - done, events.data() + done, &wait);
			if (n < 0 && errno != EINTR)
				break;
			done += n > 0 ? n : 0;
		}
		results.resize(static_cast<size_t>(done));
		for (long i = 0; i < done; ++i) // in submission order
			results[static_cast<iocb *>(reinterpret_cast<void *>(events[i].obj)) - cbs.data()] =
				events[i].res;
	}
	syscall(SYS_io_destroy, ctx);
	return results;
}

class AlignedReceiveTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (std::string why = fuse_unavailable(); !why.empty())
			GTEST_SKIP() << why;
		dir_ = std::make_unique<MountDir>("umc-fuse-recv");
		ASSERT_FALSE(dir_->path().empty());
		device_ = std::make_shared<MemoryDevice>(kDeviceSize, 512);
		device_->memory_alignment = 4096; // strictest the pool serves
		FuseTreeOptions options;
		options.root = dir_->path();
		tree_ = std::make_unique<FuseTree>(options);
		ASSERT_EQ(tree_->add_block_device("mem", device_), 0);
		ASSERT_EQ(tree_->add_text_file("proc/store", TextFile{[] { return std::string(); },
								      [this](std::string_view b) {
									      std::lock_guard g(stored_lock_);
									      stored_ += b;
									      return 0;
								      },
								      0644}),
			  0);
		std::string why;
		ASSERT_EQ(tree_->start(&why), 0) << why;
	}
	void TearDown() override
	{
		if (tree_) {
			EXPECT_EQ(tree_->stop(), 0);
		}
		tree_.reset();
		device_.reset();
		dir_.reset();
	}
	std::string path(const std::string &rel) const { return dir_->file(rel); }

	std::unique_ptr<MountDir> dir_;
	std::shared_ptr<MemoryDevice> device_;
	std::unique_ptr<FuseTree> tree_;
	std::mutex stored_lock_;
	std::string stored_;
};

TEST_F(AlignedReceiveTest, WritesOfEverySizeReachTheDeviceAlignedAndExact)
{
	const size_t sizes[] = {512, 4096, 4608, 65536, 128 * 1024, 132 * 1024, 512 * 1024, MiB};
	Memory mem(MiB);
	uint64_t off = 0;
	unsigned seed = 1;
	// O_DIRECT from aligned memory, then plain writes from misaligned memory:
	// where the payload lands must not depend on the application's buffer.
	// (The kernel splits a misaligned 1 MiB write at its page limit, so the
	// second pass has unaligned pieces too.)
	for (int direct : {1, 0}) {
		Fd fd(open(path("dev/mem").c_str(), O_RDWR | (direct ? O_DIRECT : 0)));
		ASSERT_GE(fd.fd, 0);
		char *buf = mem.at(direct ? 0 : 1);
		for (size_t len : sizes) {
			fill(buf, len, off, seed);
			ASSERT_EQ(pwrite(fd.fd, buf, len, static_cast<off_t>(off)), static_cast<ssize_t>(len))
				<< "write of " << len << " bytes";
			std::vector<char> stored = device_->read_back(off, len);
			ASSERT_EQ(std::memcmp(stored.data(), buf, len), 0)
				<< "device content after " << len << " bytes";
			std::vector<char> back(len);
			ASSERT_EQ(pread(fd.fd, back.data(), len, static_cast<off_t>(off)), static_cast<ssize_t>(len));
			ASSERT_EQ(std::memcmp(back.data(), buf, len), 0) << "read back of " << len << " bytes";
			off += len;
			++seed;
		}
		if (direct) {
			// Every payload was received aligned; those above the copy
			// threshold (128 KiB) went to the device in their buffer.
			FuseTreeStats s = tree_->stats();
			EXPECT_EQ(s.payloads_aligned, std::size(sizes));
			EXPECT_EQ(s.writes_in_place, 3u);
			EXPECT_EQ(s.writes_copied, 5u);
			EXPECT_EQ(s.read_modify_writes, 0u);
		}
	}
	EXPECT_EQ(device_->misaligned_buffers.load(), 0u) << "the device got memory it cannot take";
}

TEST_F(AlignedReceiveTest, UnalignedOffsetsAndSizesReadBackByteExact)
{
	// 300 writes of 1 byte .. 300 KiB at any offset in 4 MiB, from misaligned
	// memory, buffered and O_DIRECT; a shadow copy says what must be there.
	constexpr uint64_t kRegion = 4 * MiB;
	device_->memory_alignment = 512; // what a DRBD minor asks for
	std::vector<char> shadow(kRegion, 0);
	Memory mem(300 * 1024);
	Fd buffered(open(path("dev/mem").c_str(), O_RDWR));
	Fd direct(open(path("dev/mem").c_str(), O_RDWR | O_DIRECT));
	ASSERT_GE(buffered.fd, 0);
	ASSERT_GE(direct.fd, 0);
	uint64_t rng = 88172645463325252ull;
	auto next = [&] {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		return rng;
	};
	for (unsigned i = 0; i < 300; ++i) {
		size_t len = 1 + next() % (300 * 1024);
		uint64_t off = next() % (kRegion - len);
		if (i % 5 == 0) { // now and then a large aligned one
			len = 132 * 1024 + (len / 512 % 64) * 512;
			off = off / 512 * 512 % (kRegion - len);
		}
		char *buf = mem.at(1 + i % 7);
		fill(buf, len, off, i);
		int fd = i % 3 == 0 ? direct.fd : buffered.fd;
		ASSERT_EQ(pwrite(fd, buf, len, static_cast<off_t>(off)), static_cast<ssize_t>(len))
			<< "write " << i << ": " << len << " bytes at " << off;
		std::memcpy(shadow.data() + off, buf, len);
	}
	std::vector<char> back(kRegion);
	ASSERT_EQ(pread(buffered.fd, back.data(), kRegion, 0), static_cast<ssize_t>(kRegion));
	EXPECT_TRUE(back == shadow) << "read back through FUSE";
	EXPECT_TRUE(device_->read_back(0, kRegion) == shadow) << "device content";
	EXPECT_EQ(device_->misaligned_buffers.load(), 0u);
	EXPECT_GT(tree_->stats().read_modify_writes, 0u);
	EXPECT_GT(tree_->stats().writes_in_place, 0u);
}

TEST_F(AlignedReceiveTest, ReceiveBuffersHeldByTheDeviceAreNeverReused)
{
	// 12 writes of 1 MiB in flight at once (Linux AIO); the device holds its
	// completions until 8 wait and copies the data only when it completes
	// them: had a worker received its next request into a buffer the device
	// still holds, a region would carry another write's bytes.
	constexpr int kWrites = 12;
	device_->hold_until_overlap(8, 10s);
	Fd fd(open(path("dev/mem").c_str(), O_WRONLY | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	Memory mem(kWrites * MiB);
	std::vector<iocb> cbs(kWrites);
	for (int id = 0; id < kWrites; ++id) {
		fill(mem.at(id * MiB), MiB, id * MiB, 100 + id);
		std::memset(&cbs[id], 0, sizeof cbs[id]);
		cbs[id].aio_lio_opcode = IOCB_CMD_PWRITE;
		cbs[id].aio_fildes = static_cast<uint32_t>(fd.fd);
		cbs[id].aio_buf = reinterpret_cast<uint64_t>(mem.at(id * MiB));
		cbs[id].aio_nbytes = MiB;
		cbs[id].aio_offset = static_cast<int64_t>(id * MiB);
	}
	std::vector<long> results = run_aio(cbs);
	ASSERT_EQ(results.size(), static_cast<size_t>(kWrites));
	for (int id = 0; id < kWrites; ++id)
		EXPECT_EQ(results[id], static_cast<long>(MiB)) << "write " << id;
	EXPECT_GE(device_->max_in_flight.load(), 8) << "the writes never waited together";
	for (int id = 0; id < kWrites; ++id) {
		std::vector<char> stored = device_->read_back(id * MiB, MiB);
		EXPECT_EQ(std::memcmp(stored.data(), mem.at(id * MiB), MiB), 0) << "region " << id;
	}
	EXPECT_EQ(tree_->stats().writes_in_place, static_cast<uint64_t>(kWrites));
	EXPECT_EQ(device_->misaligned_buffers.load(), 0u);
}

TEST_F(AlignedReceiveTest, SynchronousWritersToOneDeviceRunInParallel)
{
	// FOPEN_PARALLEL_DIRECT_WRITES: 8 threads' pwrite(2)s reach the device
	// together.  Without it the kernel lets one through at a time, the hold
	// expires and max_in_flight stays 1.
	constexpr int kWriters = 8;
	device_->hold_until_overlap(kWriters, 10s);
	std::atomic<int> failures{0};
	std::vector<std::thread> threads;
	for (int id = 0; id < kWriters; ++id)
		threads.emplace_back([&, id] {
			Fd fd(open(path("dev/mem").c_str(), O_WRONLY | O_DIRECT));
			Memory mem(256 * 1024);
			fill(mem.at(0), 256 * 1024, id * MiB, 50 + id);
			if (fd.fd < 0 ||
			    pwrite(fd.fd, mem.at(0), 256 * 1024, static_cast<off_t>(id * MiB)) != 256 * 1024)
				++failures;
		});
	for (auto &t : threads)
		t.join();
	ASSERT_EQ(failures.load(), 0);
	EXPECT_GE(device_->max_in_flight.load(), kWriters);
	Memory expect(256 * 1024);
	for (int id = 0; id < kWriters; ++id) {
		fill(expect.at(0), 256 * 1024, id * MiB, 50 + id);
		std::vector<char> stored = device_->read_back(id * MiB, 256 * 1024);
		EXPECT_EQ(std::memcmp(stored.data(), expect.at(0), 256 * 1024), 0) << "region " << id;
	}
}

TEST_F(AlignedReceiveTest, ParallelUnalignedWritersToSharedSectorsLoseNothing)
{
	// Now that synchronous writers overlap, read-modify-writes from threads
	// meet as well: 8 threads each write one byte into each of 64 shared
	// sectors; the write gate must keep every byte.
	device_->fill(0, 64 * 512, '.');
	constexpr int kThreads = 8, kSectors = 64;
	std::atomic<int> failures{0};
	std::vector<std::thread> threads;
	for (int slot = 0; slot < kThreads; ++slot)
		threads.emplace_back([&, slot] {
			Fd fd(open(path("dev/mem").c_str(), O_WRONLY));
			char byte = static_cast<char>('A' + slot);
			for (int sector = 0; sector < kSectors; ++sector)
				if (fd.fd < 0 || pwrite(fd.fd, &byte, 1, sector * 512 + slot * 7) != 1)
					++failures;
		});
	for (auto &t : threads)
		t.join();
	ASSERT_EQ(failures.load(), 0);
	std::vector<char> stored = device_->read_back(0, kSectors * 512);
	for (int sector = 0; sector < kSectors; ++sector)
		for (int slot = 0; slot < kThreads; ++slot)
			ASSERT_EQ(stored[sector * 512 + slot * 7], 'A' + slot)
				<< "sector " << sector << " slot " << slot;
	EXPECT_EQ(tree_->stats().read_modify_writes, static_cast<uint64_t>(kThreads * kSectors));
}

TEST_F(AlignedReceiveTest, OtherRequestsArriveWhole)
{
	// A text file's write is a WRITE too (its payload is redirected), and a
	// lookup carries its name behind the header: both must arrive intact.
	std::string text(5000, '\0');
	for (size_t i = 0; i < text.size(); ++i)
		text[i] = static_cast<char>('a' + i % 26);
	{
		Fd fd(open(path("proc/store").c_str(), O_WRONLY));
		ASSERT_GE(fd.fd, 0);
		ASSERT_EQ(write(fd.fd, text.data(), text.size()), static_cast<ssize_t>(text.size()));
	}
	{
		std::lock_guard g(stored_lock_);
		EXPECT_EQ(stored_, text);
	}
	std::string name(255, 'n');
	ASSERT_EQ(tree_->add_text_file("proc/" + name, TextFile{[] { return std::string("x\n"); }, nullptr, 0}), 0);
	struct stat st;
	EXPECT_EQ(stat(path("proc/" + name).c_str(), &st), 0);
	EXPECT_NE(stat(path("proc/" + std::string(254, 'n')).c_str(), &st), 0);
}

} // namespace
