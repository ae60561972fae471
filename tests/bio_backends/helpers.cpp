#include "helpers.hpp"

#include <cerrno>
#include <cinttypes>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <poll.h>
#include <sstream>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <unistd.h>

namespace t {

namespace {

const sys_service *g_sys;

// Opens mte once per test process and checks, at the end, that the backends
// gave back every block they took from it.
class MteEnv : public ::testing::Environment {
public:
	void SetUp() override
	{
		sys_service_params p{};
		p.log_level = SYS_LOG_WARN;
		p.leak_report = 0;
		int err = 0;
		g_sys = sys_service_open(SYS_SERVICE_VERSION, &p, &err);
		ASSERT_NE(g_sys, nullptr) << "sys_service_open: " << err;
	}
	void TearDown() override
	{
		sys_service_leaks leaks{};
		sys_service_close(&leaks);
		g_sys = nullptr;
		EXPECT_EQ(leaks.blocks, 0u) << leaks.bytes << " bytes of mte memory leaked";
	}
};

[[maybe_unused]] auto *g_env = ::testing::AddGlobalTestEnvironment(new MteEnv);

} // namespace

const sys_service *sys()
{
	return g_sys;
}

int sync_iov(bio_device *dev, uint32_t op, uint32_t flags, uint64_t off, const iovec *iov, uint32_t cnt)
{
	Waiter w;
	Req q;
	uint64_t len = 0;
	for (uint32_t i = 0; i < cnt; i++)
		len += iov[i].iov_len;
	q.setup(&w, op, flags, off, len, iov, cnt);
	w.expect();
	bio_submit(dev, &q.r);
	if (!w.wait())
		return -ETIMEDOUT;
	return q.status;
}

int sync_io(bio_device *dev, uint32_t op, uint32_t flags, uint64_t off, void *buf, uint64_t len)
{
	Waiter w;
	Req q;
	iovec iov{buf, (size_t)len};
	bool data = op == BIO_OP_READ || op == BIO_OP_WRITE;
	q.setup(&w, op, flags, off, len, data ? &iov : nullptr, data ? 1 : 0);
	w.expect();
	bio_submit(dev, &q.r);
	if (!w.wait())
		return -ETIMEDOUT;
	return q.status;
}

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

void fill_pattern(void *buf, size_t len, uint64_t seed, uint64_t off)
{
	auto *p = static_cast<unsigned char *>(buf);
	for (size_t i = 0; i < len; i += 8) {
		uint64_t v = mix(seed * 0x9e3779b97f4a7c15ull + (off + i));
		memcpy(p + i, &v, len - i < 8 ? len - i : 8);
	}
}

bool check_pattern(const void *buf, size_t len, uint64_t seed, uint64_t off)
{
	std::vector<unsigned char> want(len);
	fill_pattern(want.data(), len, seed, off);
	return memcmp(want.data(), buf, len) == 0;
}

bool all_zero(const void *buf, size_t len)
{
	auto *p = static_cast<const unsigned char *>(buf);
	for (size_t i = 0; i < len; i++)
		if (p[i])
			return false;
	return true;
}

int page_dirty(const std::string &path, uint64_t off)
{
	int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	long page = sysconf(_SC_PAGESIZE);
	void *p = mmap(nullptr, (size_t)page, PROT_READ, MAP_SHARED, fd, (off_t)(off & ~(uint64_t)(page - 1)));
	close(fd);
	if (p == MAP_FAILED)
		return -1;
	volatile char c = *static_cast<volatile char *>(p); // map the page cache page (reading keeps it clean)
	(void)c;
	int rc = -1;
	int pm = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	int kf = open("/proc/kpageflags", O_RDONLY | O_CLOEXEC);
	uint64_t ent = 0, flags = 0;
	if (pm >= 0 && kf >= 0 && pread(pm, &ent, 8, (off_t)((uintptr_t)p / (uintptr_t)page * 8)) == 8 &&
	    (ent >> 63) & 1) {
		uint64_t pfn = ent & ((1ull << 55) - 1);
		if (pfn && pread(kf, &flags, 8, (off_t)(pfn * 8)) == 8)
			rc = (flags >> 4) & 1; // KPF_DIRTY
	}
	if (pm >= 0)
		close(pm);
	if (kf >= 0)
		close(kf);
	munmap(p, (size_t)page);
	return rc;
}

std::string apply_control(const std::string &ctl, const std::string &text, uint64_t generation)
{
	return apply_control_expect(ctl, text, "generation=" + std::to_string(generation) + "\nstatus=");
}

std::string apply_control_expect(const std::string &ctl, const std::string &text, const std::string &want)
{
	std::string state = ctl + ".state";
	std::string dir = ctl.substr(0, ctl.rfind('/'));
	int ino = inotify_init1(IN_CLOEXEC);
	inotify_add_watch(ino, dir.c_str(), IN_MOVED_TO | IN_CLOSE_WRITE);
	std::string tmp = ctl + ".new";
	write_file(tmp, text);
	rename(tmp.c_str(), ctl.c_str());
	auto deadline = std::chrono::steady_clock::now() + kDeadline;
	std::string got;
	for (;;) {
		got = read_file(state);
		if (got.rfind(want, 0) == 0)
			break;
		auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline -
										  std::chrono::steady_clock::now());
		if (left.count() <= 0)
			break;
		pollfd pfd{ino, POLLIN, 0};
		if (poll(&pfd, 1, (int)left.count()) > 0) {
			char buf[4096];
			(void)!read(ino, buf, sizeof buf);
		}
	}
	close(ino);
	return got;
}

} // namespace t
