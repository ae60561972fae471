// Integration tests: a real FUSE mount of the tree under /tmp, driven through
// ordinary system calls, with an in-memory test device behind dev/mem.
#include "fuse_nodes/fuse_tree.hpp"
#include "memory_device.hpp"
#include "helpers.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/falloc.h>
#include <sys/syscall.h>
#include <memory>
#include <mutex>
#include <string>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <thread>
#include <unistd.h>
#include <vector>

using namespace umc::fuse;
using namespace t;
using namespace std::chrono_literals;

namespace {

constexpr uint64_t MiB = 1u << 20;

// An aligned buffer for O_DIRECT.
struct AlignedBuffer {
	explicit AlignedBuffer(size_t n) : size(n)
	{
		if (posix_memalign(&data, 4096, n) != 0)
			data = nullptr;
	}
	~AlignedBuffer() { std::free(data); }
	char *get() const { return static_cast<char *>(data); }
	void *data = nullptr;
	size_t size;
};

// A byte that depends on the absolute offset and a seed.
char pattern_byte(uint64_t offset, unsigned seed)
{
	return static_cast<char>((offset * 131 + seed * 7 + (offset >> 12)) & 0xff);
}

void fill_pattern(char *buf, size_t len, uint64_t offset, unsigned seed)
{
	for (size_t i = 0; i < len; ++i)
		buf[i] = pattern_byte(offset + i, seed);
}

bool check_pattern(const char *buf, size_t len, uint64_t offset, unsigned seed)
{
	for (size_t i = 0; i < len; ++i)
		if (buf[i] != pattern_byte(offset + i, seed))
			return false;
	return true;
}

// An fd closed on scope exit.
struct Fd {
	explicit Fd(int f) : fd(f) {}
	~Fd()
	{
		if (fd >= 0)
			close(fd);
	}
	int fd;
};

class FuseTreeTest : public ::testing::Test {
protected:
	void SetUp() override
	{
		if (std::string why = fuse_unavailable(); !why.empty())
			GTEST_SKIP() << why;
		dir_ = std::make_unique<MountDir>("umc-fuse-root");
		ASSERT_FALSE(dir_->path().empty());
		device_ = std::make_shared<MemoryDevice>(device_size(), 512);
		FuseTreeOptions options;
		options.root = dir_->path();
		tree_ = std::make_unique<FuseTree>(options);
		ASSERT_EQ(tree_->add_block_device("mem", device_), 0);
		std::string why;
		ASSERT_EQ(tree_->start(&why), 0) << why;
	}
	void TearDown() override
	{
		if (tree_) {
			EXPECT_EQ(tree_->stop(), 0);
		}
		if (dir_) {
			EXPECT_FALSE(is_mounted(dir_->path()));
		}
		tree_.reset();
		device_.reset();
		dir_.reset();
	}
	virtual uint64_t device_size() const { return 64 * MiB; }
	std::string path(const std::string &rel) const { return dir_->file(rel); }

	std::unique_ptr<MountDir> dir_;
	std::shared_ptr<MemoryDevice> device_;
	std::unique_ptr<FuseTree> tree_;
};

TEST_F(FuseTreeTest, MountsTheTreeAndUnmountsOnStop)
{
	EXPECT_TRUE(is_mounted(dir_->path()));
	struct statfs sfs;
	ASSERT_EQ(statfs(dir_->path().c_str(), &sfs), 0);
	EXPECT_EQ(sfs.f_type, 0x65735546); // FUSE_SUPER_MAGIC
	struct stat st;
	for (const char *d : {"dev", "proc", "sys", "sys/module"}) {
		ASSERT_EQ(stat(path(d).c_str(), &st), 0) << d;
		EXPECT_TRUE(S_ISDIR(st.st_mode)) << d;
	}
	EXPECT_EQ(tree_->stop(), 0);
	EXPECT_FALSE(is_mounted(dir_->path()));
	EXPECT_FALSE(tree_->running());
	EXPECT_EQ(tree_->stop(), 0); // idempotent
}

TEST_F(FuseTreeTest, DeviceNodeIsARootOnlyFileOfTheDeviceSize)
{
	struct stat st;
	ASSERT_EQ(stat(path("dev/mem").c_str(), &st), 0);
	EXPECT_TRUE(S_ISREG(st.st_mode));
	EXPECT_EQ(st.st_mode & 07777, 0600u);
	EXPECT_EQ(st.st_uid, 0u);
	EXPECT_EQ(static_cast<uint64_t>(st.st_size), 64 * MiB);

	device_->resize(96 * MiB); // a resize shows in the next stat
	ASSERT_EQ(stat(path("dev/mem").c_str(), &st), 0);
	EXPECT_EQ(static_cast<uint64_t>(st.st_size), 96 * MiB);
}

TEST_F(FuseTreeTest, PatternWriteReadManyThreadsODirect)
{
	// 8 threads, each its own 8 MiB stripe, request sizes from 4 KiB to 1 MiB
	// (both the copied and the in-place write path).
	constexpr int kThreads = 8;
	constexpr uint64_t kStripe = 8 * MiB;
	const size_t sizes[] = {4096, 65536, 131072, 262144, MiB};
	std::atomic<int> failures{0};
	auto worker = [&](int id, bool verify) {
		Fd fd(open(path("dev/mem").c_str(), (verify ? O_RDONLY : O_RDWR) | O_DIRECT));
		if (fd.fd < 0) {
			++failures;
			return;
		}
		AlignedBuffer buf(MiB);
		uint64_t base = id * kStripe, pos = 0;
		for (int i = 0; pos < kStripe; ++i) {
			size_t len = std::min<uint64_t>(sizes[(i + id) % 5], kStripe - pos);
			uint64_t off = base + pos;
			if (verify) {
				if (pread(fd.fd, buf.get(), len, off) != static_cast<ssize_t>(len) ||
				    !check_pattern(buf.get(), len, off, id))
					++failures;
			} else {
				fill_pattern(buf.get(), len, off, id);
				if (pwrite(fd.fd, buf.get(), len, off) != static_cast<ssize_t>(len))
					++failures;
			}
			pos += len;
		}
	};
	for (bool verify : {false, true}) {
		std::vector<std::thread> threads;
		for (int i = 0; i < kThreads; ++i)
			threads.emplace_back(worker, i, verify);
		for (auto &t : threads)
			t.join();
		ASSERT_EQ(failures.load(), 0) << (verify ? "read back" : "write");
	}
	// What arrived at the device is exactly what was written.
	for (int id = 0; id < kThreads; ++id) {
		std::vector<char> stored = device_->read_back(id * kStripe, kStripe);
		EXPECT_TRUE(check_pattern(stored.data(), stored.size(), id * kStripe, id)) << "stripe " << id;
	}
	FuseTreeStats s = tree_->stats();
	EXPECT_GT(s.writes_copied, 0u);
	EXPECT_GT(s.writes_in_place, 0u);
	EXPECT_EQ(s.read_modify_writes, 0u);
	EXPECT_GE(s.max_in_flight, 2u) << "requests were never in flight together";
}

TEST_F(FuseTreeTest, ManyRequestsInFlightAtOnce)
{
	// The device holds completions until 8 requests wait at once: with one
	// I/O at a time this would time out and max_in_flight would stay 1.
	device_->hold_until_overlap(8, 10s);
	constexpr int kThreads = 12;
	std::atomic<int> failures{0};
	std::vector<std::thread> threads;
	for (int i = 0; i < kThreads; ++i)
		threads.emplace_back([&, i] {
			Fd fd(open(path("dev/mem").c_str(), O_RDONLY | O_DIRECT));
			AlignedBuffer buf(65536);
			if (fd.fd < 0 || pread(fd.fd, buf.get(), 65536, i * 65536) != 65536)
				++failures;
		});
	for (auto &t : threads)
		t.join();
	EXPECT_EQ(failures.load(), 0);
	EXPECT_GE(device_->max_in_flight.load(), 8);
}

TEST_F(FuseTreeTest, OneMebibyteRequestsReachTheDeviceWhole)
{
	Fd fd(open(path("dev/mem").c_str(), O_RDWR | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	AlignedBuffer buf(4 * MiB);
	fill_pattern(buf.get(), 4 * MiB, 0, 3);
	ASSERT_EQ(pwrite(fd.fd, buf.get(), 4 * MiB, 0), static_cast<ssize_t>(4 * MiB));
	EXPECT_EQ(device_->max_request_bytes.load(), MiB);
	device_->max_request_bytes = 0;
	ASSERT_EQ(pread(fd.fd, buf.get(), 4 * MiB, 0), static_cast<ssize_t>(4 * MiB));
	EXPECT_EQ(device_->max_request_bytes.load(), MiB);
	EXPECT_TRUE(check_pattern(buf.get(), 4 * MiB, 0, 3));
}

TEST_F(FuseTreeTest, RequestsAreSplitAtTheDeviceLimit)
{
	device_->max_io_bytes = 128 * 1024;
	Fd fd(open(path("dev/mem").c_str(), O_RDWR | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	AlignedBuffer buf(MiB);
	fill_pattern(buf.get(), MiB, MiB, 4);
	ASSERT_EQ(pwrite(fd.fd, buf.get(), MiB, MiB), static_cast<ssize_t>(MiB));
	std::memset(buf.get(), 0, MiB);
	ASSERT_EQ(pread(fd.fd, buf.get(), MiB, MiB), static_cast<ssize_t>(MiB));
	EXPECT_TRUE(check_pattern(buf.get(), MiB, MiB, 4));
	EXPECT_EQ(device_->max_request_bytes.load(), 128u * 1024);
}

TEST_F(FuseTreeTest, DevicesNeedingAlignedMemoryGetLargeWritesInPlace)
{
	device_->memory_alignment = 4096; // e.g. an O_DIRECT backing file
	Fd fd(open(path("dev/mem").c_str(), O_RDWR | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	AlignedBuffer buf(MiB);
	fill_pattern(buf.get(), MiB, 0, 9);
	for (int i = 0; i < 4; ++i)
		ASSERT_EQ(pwrite(fd.fd, buf.get(), MiB, i * MiB), static_cast<ssize_t>(MiB));
	// Payloads are received page aligned: no copy needed.
	EXPECT_EQ(tree_->stats().writes_in_place, 4u);
	EXPECT_EQ(tree_->stats().writes_copied, 0u);
	EXPECT_EQ(device_->misaligned_buffers.load(), 0u);
	std::vector<char> stored = device_->read_back(0, MiB);
	EXPECT_TRUE(check_pattern(stored.data(), MiB, 0, 9));
}

TEST_F(FuseTreeTest, UnalignedWritesAreReadModifyWrite)
{
	device_->fill(0, 8192, 'a');
	Fd fd(open(path("dev/mem").c_str(), O_RDWR));
	ASSERT_GE(fd.fd, 0);
	ASSERT_EQ(pwrite(fd.fd, "hello", 5, 510), 5); // straddles two sectors
	ASSERT_EQ(pwrite(fd.fd, "X", 1, 4096), 1);
	std::vector<char> stored = device_->read_back(0, 8192);
	std::vector<char> expect(8192, 'a');
	std::memcpy(expect.data() + 510, "hello", 5);
	expect[4096] = 'X';
	EXPECT_EQ(stored, expect);
	char got[6] = {};
	ASSERT_EQ(pread(fd.fd, got, 5, 510), 5);
	EXPECT_STREQ(got, "hello");
	EXPECT_EQ(tree_->stats().read_modify_writes, 2u);
}

TEST_F(FuseTreeTest, ConcurrentUnalignedWritesToOneSectorLoseNothing)
{
	// 8 single-byte writes into each of 64 shared sectors, all in flight at
	// once through Linux AIO (synchronous writers to one FUSE file would be
	// serialised by the kernel): without serialising the read-modify-writes,
	// updates would be lost.
	device_->fill(0, 64 * 512, '.');
	constexpr int kPerSector = 8, kSectors = 64, kCount = kPerSector * kSectors;
	Fd fd(open(path("dev/mem").c_str(), O_WRONLY | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	aio_context_t ctx = 0;
	ASSERT_EQ(syscall(SYS_io_setup, kCount, &ctx), 0) << strerror(errno);
	std::vector<char> bytes(kCount);
	std::vector<iocb> cbs(kCount);
	std::vector<iocb *> ptrs(kCount);
	for (int i = 0; i < kCount; ++i) {
		int sector = i / kPerSector, slot = i % kPerSector;
		bytes[i] = static_cast<char>('A' + slot);
		std::memset(&cbs[i], 0, sizeof cbs[i]);
		cbs[i].aio_lio_opcode = IOCB_CMD_PWRITE;
		cbs[i].aio_fildes = static_cast<uint32_t>(fd.fd);
		cbs[i].aio_buf = reinterpret_cast<uint64_t>(&bytes[i]);
		cbs[i].aio_nbytes = 1;
		cbs[i].aio_offset = sector * 512 + slot * 7;
		ptrs[i] = &cbs[i];
	}
	ASSERT_EQ(syscall(SYS_io_submit, ctx, kCount, ptrs.data()), kCount) << strerror(errno);
	std::vector<io_event> events(kCount);
	int done = 0;
	auto deadline = std::chrono::steady_clock::now() + 30s;
	while (done < kCount && std::chrono::steady_clock::now() < deadline) {
		timespec wait{1, 0};
		long n = syscall(SYS_io_getevents, ctx, 1, kCount - done, events.data() + done, &wait);
		if (n < 0 && errno != EINTR)
			break;
		done += n > 0 ? static_cast<int>(n) : 0;
	}
	syscall(SYS_io_destroy, ctx);
	ASSERT_EQ(done, kCount);
	for (int i = 0; i < kCount; ++i)
		EXPECT_EQ(events[i].res, 1) << i;
	EXPECT_GE(tree_->stats().read_modify_writes, static_cast<uint64_t>(kCount));
	std::vector<char> stored = device_->read_back(0, kSectors * 512);
	for (int sector = 0; sector < kSectors; ++sector)
		for (int slot = 0; slot < kPerSector; ++slot)
			ASSERT_EQ(stored[sector * 512 + slot * 7], 'A' + slot)
				<< "sector " << sector << " slot " << slot;
}

TEST_F(FuseTreeTest, StopWaitsForRequestsTheDeviceStillHolds)
{
	// The device sits on the read for 500 ms; stop() must let it finish and
	// deliver the reply before the session goes away.
	device_->fill(0, 65536, 'r');
	device_->hold_until_overlap(1000, 500ms);
	std::atomic<ssize_t> got{-2};
	std::thread reader([&] {
		Fd fd(open(path("dev/mem").c_str(), O_RDONLY | O_DIRECT));
		AlignedBuffer buf(65536);
		ssize_t n = fd.fd < 0 ? -1 : pread(fd.fd, buf.get(), 65536, 0);
		got = (n == 65536 && buf.get()[100] == 'r') ? n : -1;
	});
	wait_until([&] { return device_->submitted.load() != 0; }, 5s);
	ASSERT_EQ(device_->submitted.load(), 1u);
	EXPECT_EQ(tree_->stop(), 0);
	reader.join();
	EXPECT_EQ(got.load(), 65536);
	EXPECT_FALSE(is_mounted(dir_->path()));
}

TEST_F(FuseTreeTest, ReadsAndWritesStopAtTheDeviceEnd)
{
	Fd fd(open(path("dev/mem").c_str(), O_RDWR));
	ASSERT_GE(fd.fd, 0);
	char buf[1024];
	EXPECT_EQ(pread(fd.fd, buf, sizeof buf, 64 * MiB - 512), 512);
	EXPECT_EQ(pread(fd.fd, buf, sizeof buf, 64 * MiB), 0);
	EXPECT_EQ(pwrite(fd.fd, buf, sizeof buf, 64 * MiB - 512), 512);
	errno = 0;
	EXPECT_EQ(pwrite(fd.fd, buf, sizeof buf, 64 * MiB), -1);
	EXPECT_EQ(errno, ENOSPC);
}

TEST_F(FuseTreeTest, FsyncAndFdatasyncBecomeFlush)
{
	Fd fd(open(path("dev/mem").c_str(), O_RDWR));
	ASSERT_GE(fd.fd, 0);
	ASSERT_EQ(pwrite(fd.fd, "data", 4, 0), 4);
	uint64_t before = device_->flushes.load();
	EXPECT_EQ(fsync(fd.fd), 0);
	EXPECT_EQ(device_->flushes.load(), before + 1);
	EXPECT_EQ(fdatasync(fd.fd), 0);
	EXPECT_EQ(device_->flushes.load(), before + 2);
	// close(2) sends FUSE_FLUSH, which must not be a device FLUSH.
	close(fd.fd);
	fd.fd = -1;
	EXPECT_EQ(device_->flushes.load(), before + 2);
}

TEST_F(FuseTreeTest, FallocateMapsToDiscardAndWriteZeroes)
{
	device_->fill(0, 4 * MiB, 'z');
	Fd fd(open(path("dev/mem").c_str(), O_RDWR));
	ASSERT_GE(fd.fd, 0);
	ASSERT_EQ(fallocate(fd.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, 0, MiB), 0) << strerror(errno);
	EXPECT_EQ(device_->discards.load(), 1u);
	ASSERT_EQ(fallocate(fd.fd, FALLOC_FL_ZERO_RANGE, 2 * MiB, MiB), 0) << strerror(errno);
	EXPECT_EQ(device_->write_zeroes.load(), 1u);
	ASSERT_EQ(fallocate(fd.fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE, 3 * MiB, 4096), 0);
	EXPECT_EQ(device_->write_zeroes.load(), 2u);

	std::vector<char> buf(4 * MiB);
	ASSERT_EQ(pread(fd.fd, buf.data(), buf.size(), 0), static_cast<ssize_t>(buf.size()));
	for (uint64_t i = 0; i < 4 * MiB; ++i) {
		bool zero = i < MiB || (i >= 2 * MiB && i < 3 * MiB) || (i >= 3 * MiB && i < 3 * MiB + 4096);
		ASSERT_EQ(buf[i], zero ? '\0' : 'z') << "offset " << i;
	}
	errno = 0;
	EXPECT_EQ(fallocate(fd.fd, 0, 0, 4096), -1); // plain allocation means nothing here
	EXPECT_EQ(errno, EOPNOTSUPP);
	// The kernel keeps asking after EOPNOTSUPP (ENOSYS would disable it).
	EXPECT_EQ(fallocate(fd.fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE, MiB, 4096), 0);
}

TEST_F(FuseTreeTest, DeviceErrorsReachTheApplication)
{
	device_->fail_range(BIO_OP_READ, MiB, 4096);
	device_->fail_range(BIO_OP_WRITE, 2 * MiB, 4096);
	device_->fail_range(BIO_OP_FLUSH, 0, ~0ull >> 1);
	Fd fd(open(path("dev/mem").c_str(), O_RDWR | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	AlignedBuffer buf(65536);
	std::memset(buf.get(), 1, 65536);
	errno = 0;
	EXPECT_EQ(pread(fd.fd, buf.get(), 65536, MiB), -1);
	EXPECT_EQ(errno, EIO);
	errno = 0;
	EXPECT_EQ(pwrite(fd.fd, buf.get(), 65536, 2 * MiB - 32768), -1);
	EXPECT_EQ(errno, EIO);
	errno = 0;
	EXPECT_EQ(pwrite(fd.fd, buf.get(), 1 * MiB > 65536 ? 65536 : 0, 4 * MiB), 65536); // elsewhere fine
	EXPECT_EQ(fsync(fd.fd), -1);
	EXPECT_EQ(errno, EIO);
}

TEST_F(FuseTreeTest, OpenHookSeesIntentAndItsErrorReachesOpen)
{
	device_->set_open_hook([](OpenMode mode) { return mode.write ? -EROFS : 0; }); // a DRBD Secondary
	errno = 0;
	EXPECT_EQ(open(path("dev/mem").c_str(), O_RDWR), -1);
	EXPECT_EQ(errno, EROFS);
	errno = 0;
	EXPECT_EQ(open(path("dev/mem").c_str(), O_WRONLY | O_DIRECT), -1);
	EXPECT_EQ(errno, EROFS);
	{
		Fd fd(open(path("dev/mem").c_str(), O_RDONLY | O_NDELAY));
		EXPECT_GE(fd.fd, 0);
	}
	device_->set_open_hook(nullptr);
	EXPECT_TRUE(device_->wait_for_releases(1, 5s));
	std::lock_guard guard(device_->lock());
	ASSERT_EQ(device_->opens.size(), 3u);
	EXPECT_EQ(device_->opens[0], (OpenMode{true, true, false}));
	EXPECT_EQ(device_->opens[1], (OpenMode{false, true, false}));
	EXPECT_EQ(device_->opens[2], (OpenMode{true, false, true}));
	// Only the open that succeeded is released, with the same mode.
	ASSERT_EQ(device_->releases.size(), 1u);
	EXPECT_EQ(device_->releases[0], (OpenMode{true, false, true}));
}

TEST_F(FuseTreeTest, RemovingAnOpenDeviceIsRefused)
{
	{
		Fd fd(open(path("dev/mem").c_str(), O_RDONLY));
		ASSERT_GE(fd.fd, 0);
		EXPECT_EQ(tree_->remove_block_device("mem"), -EBUSY);
	}
	// release is asynchronous to close(2): wait for it, bounded.
	// The tree drops its open count right after the device's release hook
	// returns: poll that last step with a deadline.
	ASSERT_TRUE(device_->wait_for_releases(1, 5s));
	int rc;
	wait_until([&] { return (rc = tree_->remove_block_device("mem")) != -EBUSY; }, 5s);
	EXPECT_EQ(rc, 0);
	struct stat st;
	EXPECT_EQ(stat(path("dev/mem").c_str(), &st), -1);
	EXPECT_EQ(errno, ENOENT);
	EXPECT_EQ(tree_->add_block_device("mem2", device_), 0);
	EXPECT_EQ(stat(path("dev/mem2").c_str(), &st), 0);
}

std::string read_node(const std::string &p)
{
	Fd fd(open(p.c_str(), O_RDONLY));
	if (fd.fd < 0)
		return "<open failed: " + std::string(strerror(errno)) + ">";
	std::string out;
	char buf[256];
	ssize_t n;
	while ((n = read(fd.fd, buf, sizeof buf)) > 0)
		out.append(buf, n);
	return out;
}

TEST_F(FuseTreeTest, ProcAndSysFilesReadAndWrite)
{
	std::atomic<int> generation{0};
	TextFile proc;
	proc.show = [&] { return "version: 8.4.11\ngeneration " + std::to_string(++generation) + "\n"; };
	ASSERT_EQ(tree_->add_text_file("proc/drbd", proc), 0);
	// The callbacks run on FUSE workers; the test reads `value` afterwards.
	std::mutex value_lock;
	std::string value = "1\n";
	auto current = [&] {
		std::lock_guard guard(value_lock);
		return value;
	};
	TextFile param;
	param.show = current;
	param.store = [&](std::string_view data) {
		if (data.empty() || data[0] < '0' || data[0] > '9')
			return -EINVAL;
		std::lock_guard guard(value_lock);
		value = std::string(data);
		return 0;
	};
	ASSERT_EQ(tree_->add_module_parameter("drbd", "minor_count", param), 0);

	EXPECT_EQ(read_node(path("proc/drbd")), "version: 8.4.11\ngeneration 1\n");
	EXPECT_EQ(read_node(path("proc/drbd")), "version: 8.4.11\ngeneration 2\n"); // fresh per open

	// One open reads one snapshot, even in small pieces.
	{
		Fd fd(open(path("proc/drbd").c_str(), O_RDONLY));
		ASSERT_GE(fd.fd, 0);
		char a[8], b[64] = {};
		ASSERT_EQ(read(fd.fd, a, 8), 8);
		generation += 10;
		ASSERT_GT(read(fd.fd, b, sizeof b - 1), 0);
		EXPECT_EQ(std::string(a, 8) + b, "version: 8.4.11\ngeneration 3\n");
	}

	struct stat st;
	ASSERT_EQ(stat(path("proc/drbd").c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0444u);
	std::string p = path("sys/module/drbd/parameters/minor_count");
	ASSERT_EQ(stat(p.c_str(), &st), 0);
	EXPECT_EQ(st.st_mode & 07777, 0644u);
	EXPECT_EQ(read_node(p), "1\n");
	{
		Fd fd(open(p.c_str(), O_WRONLY | O_TRUNC)); // what `echo 32 > file` does
		ASSERT_GE(fd.fd, 0) << strerror(errno);
		EXPECT_EQ(write(fd.fd, "32\n", 3), 3);
		errno = 0;
		EXPECT_EQ(write(fd.fd, "x", 1), -1);
		EXPECT_EQ(errno, EINVAL);
	}
	EXPECT_EQ(read_node(p), "32\n");
	EXPECT_EQ(run("echo 7 > " + p), 0);
	EXPECT_EQ(current(), "7\n");

	// Read-only files refuse writers, even root.
	errno = 0;
	EXPECT_EQ(open(path("proc/drbd").c_str(), O_WRONLY), -1);
	EXPECT_EQ(errno, EACCES);

	// After remove(), the file is gone and its callbacks never run again.
	Fd held(open(p.c_str(), O_RDWR));
	ASSERT_GE(held.fd, 0);
	EXPECT_EQ(tree_->remove("sys/module/drbd/parameters/minor_count"), 0);
	EXPECT_EQ(stat(p.c_str(), &st), -1);
	errno = 0;
	EXPECT_EQ(write(held.fd, "5\n", 2), -1);
	EXPECT_EQ(errno, ENODEV);
	EXPECT_EQ(current(), "7\n");
	char rest[8];
	EXPECT_EQ(read(held.fd, rest, sizeof rest), 2); // its snapshot
	EXPECT_EQ(tree_->remove("sys/module/drbd/parameters"), 0);
	EXPECT_EQ(tree_->remove("sys/module/drbd"), 0);
	EXPECT_EQ(tree_->remove("proc/nothing"), -ENOENT);
	EXPECT_EQ(tree_->add_text_file("dev/x", proc), -EINVAL); // only under proc/ and sys/
}

TEST_F(FuseTreeTest, BusyMountPointIsRefused)
{
	FuseTreeOptions options;
	options.root = dir_->path();
	FuseTree second(options);
	std::string why;
	EXPECT_EQ(second.start(&why), -EBUSY);
	EXPECT_NE(why.find("busy"), std::string::npos) << why;
	EXPECT_FALSE(second.running());
	// The first instance still serves.
	struct stat st;
	EXPECT_EQ(stat(path("dev/mem").c_str(), &st), 0);
}

TEST(FuseTreeMountPoint, RefusesAForeignMountAndAStartingInstance)
{
	if (std::string why = fuse_unavailable(); !why.empty())
		GTEST_SKIP() << why;
	MountDir dir("umc-fuse-busy");
	ASSERT_EQ(mount("tmpfs", dir.path().c_str(), "tmpfs", 0, "size=1m"), 0) << strerror(errno);
	{
		FuseTreeOptions options;
		options.root = dir.path();
		FuseTree tree(options);
		std::string why;
		EXPECT_EQ(tree.start(&why), -EBUSY);
		EXPECT_NE(why.find("tmpfs"), std::string::npos) << why;
	}
	ASSERT_EQ(umount2(dir.path().c_str(), MNT_DETACH), 0);
	EXPECT_FALSE(is_mounted(dir.path()));
}

TEST(FuseTreeMountPoint, StopWithAFileStillOpenLeavesNoMount)
{
	if (std::string why = fuse_unavailable(); !why.empty())
		GTEST_SKIP() << why;
	MountDir dir("umc-fuse-stop");
	auto device = std::make_shared<MemoryDevice>(MiB);
	FuseTreeOptions options;
	options.root = dir.path();
	FuseTree tree(options);
	ASSERT_EQ(tree.add_block_device("mem", device), 0);
	std::string why;
	ASSERT_EQ(tree.start(&why), 0) << why;
	Fd fd(open(dir.file("dev/mem").c_str(), O_RDWR));
	ASSERT_GE(fd.fd, 0);
	EXPECT_EQ(tree.stop(), 0);
	EXPECT_FALSE(is_mounted(dir.path()));
	{
		// The kernel can no longer send FUSE_RELEASE: stop() gave it.
		std::lock_guard guard(device->lock());
		EXPECT_EQ(device->releases.size(), 1u);
	}
	char c;
	EXPECT_EQ(pread(fd.fd, &c, 1, 0), -1); // the connection is gone
	// And the same root can be served again.
	FuseTree again(options);
	ASSERT_EQ(again.start(&why), 0) << why;
	EXPECT_TRUE(is_mounted(dir.path()));
	EXPECT_EQ(again.stop(), 0);
	EXPECT_FALSE(is_mounted(dir.path()));
}

TEST(FuseTreeMountPoint, StopThatTimedOutCanBeRepeatedUntilRequestsFinish)
{
	// umcd calls stop() again (and ~FuseTree does) after a stop that timed
	// out on a request the device still held: the second call must wait for
	// that request and unmount, not join the loop thread twice.
	if (std::string why = fuse_unavailable(); !why.empty())
		GTEST_SKIP() << why;
	MountDir dir("umc-fuse-stop-again");
	auto device = std::make_shared<MemoryDevice>(MiB);
	FuseTreeOptions options;
	options.root = dir.path();
	options.stop_timeout = std::chrono::milliseconds(100);
	FuseTree tree(options);
	ASSERT_EQ(tree.add_block_device("mem", device), 0);
	std::string why;
	ASSERT_EQ(tree.start(&why), 0) << why;
	// The fd is closed only after the final stop: once a stop has timed out,
	// nothing serves new requests (a close would wait for FUSE_FLUSH until
	// the connection goes away -- in umcd, at process exit).
	Fd fd(open(dir.file("dev/mem").c_str(), O_RDONLY | O_DIRECT));
	ASSERT_GE(fd.fd, 0);
	device->hold_until_overlap(1000, 2s);
	std::atomic<ssize_t> got{-2};
	std::thread reader([&] {
		AlignedBuffer buf(4096);
		got = pread(fd.fd, buf.get(), 4096, 0);
	});
	wait_until([&] { return device->submitted.load() != 0; }, 5s);
	ASSERT_EQ(device->submitted.load(), 1u);
	EXPECT_EQ(tree.stop(), -ETIMEDOUT); // the device still holds the read
	reader.join();                      // the hold ends; the reply was sent
	EXPECT_EQ(got.load(), 4096);
	int rc = -ETIMEDOUT;
	for (int i = 0; i < 50 && rc == -ETIMEDOUT; ++i)
		rc = tree.stop();
	EXPECT_EQ(rc, 0);
	EXPECT_FALSE(is_mounted(dir.path()));
	EXPECT_EQ(tree.stop(), 0); // and once more: nothing left to do
}

// mkfs.ext4 on dev/<name>, mount -o loop, copy a real tree, umount, e2fsck.
class FuseTreeFilesystemTest : public FuseTreeTest {
protected:
	uint64_t device_size() const override { return 256 * MiB; }
};

TEST_F(FuseTreeFilesystemTest, Ext4OnLoopOverTheDeviceNodeSurvivesFsck)
{
	const std::string dev = path("dev/mem");
	ASSERT_EQ(run("mkfs.ext4 -q -F " + dev), 0);
	EXPECT_GT(device_->discards.load(), 0u) << "mkfs's discards should arrive as fallocate";
	MountDir mnt("umc-fuse-ext4");
	ASSERT_EQ(run("mount -o loop " + dev + " " + mnt.path()), 0);
	EXPECT_TRUE(is_mounted(mnt.path()));
	EXPECT_EQ(run("cp -a /usr/include/linux " + mnt.path() + "/ && sync", 300), 0);
	EXPECT_EQ(run("diff -r /usr/include/linux " + mnt.path() + "/linux >/dev/null"), 0);
	uint64_t flushes = device_->flushes.load();
	EXPECT_EQ(run("umount " + mnt.path()), 0);
	EXPECT_FALSE(is_mounted(mnt.path()));
	EXPECT_GT(device_->flushes.load() + flushes, 0u) << "ext4 journal commits should flush";
	EXPECT_EQ(run("e2fsck -fn " + dev + " >/dev/null 2>&1"), 0);
}

} // namespace
