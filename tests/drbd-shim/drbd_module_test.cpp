// The whole unmodified DRBD 8.4.11 module, linked with UMC's kernel side
// into one isolated object, loaded and unloaded on the real runtime.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <mutex>
#include <string>
#include <vector>

#include "module_driver.h"
#include "umc/runtime/helpers.hpp"
#include "umc/kernel_host.h"
#include "umc/socket.h" // struct umc_iov

extern "C" void umc_test_boot_params(struct umc_boot_params *)
{
	if (umc_kernel_prepare(UMC_KERNEL_HOST_VERSION) != 0)
		std::abort();
}

#if defined(__SANITIZE_THREAD__)
// Data races of the hosted DRBD code itself, by design (it is never edited):
// lockless reads that TSan sees racing with the locked writers.  Matched on
// DRBD's own functions only, so that races in umc's code still report.
extern "C" const char *__tsan_default_suppressions()
{
	return
		// drbd_int.h: "testing the t_state seems to be uncritical ... so we
		// can read it *without* the lock" (the worker polls it)
		"race:get_t_state\n"
		// drbd_nl.c: the snapshots for notifications (events2 statistics,
		// the broadcast status) read state, flags and UUIDs without req_lock
		"race:device_to_statistics\n"
		"race:nla_put_status_info\n"
		// drbd_state.c: waits for the disk to leave D_FAILED reading the state
		// in a wait_event condition without req_lock
		"race:drbd_request_detach_interruptible\n"
		// drbd_main.c: drbd_md_write snapshots the UUIDs for the on-disk
		// meta-data without a lock, while drbd_adm_attach still sets the
		// current UUID's primary bit (drbd_nl.c, after the worker started)
		"race:drbd_md_write\n";
}
#endif

namespace {

TEST(DrbdModule, LoadsShowsProcDrbdAnswersFamilyQueryAndUnloads)
{
	ASSERT_EQ(umc_module_init(), 0);

	// What drbdadm reads to pick the 8.4 tools (research note 6.2).
	char *proc = tdrv_mod_proc("drbd");
	ASSERT_NE(proc, nullptr);
	std::string text(proc);
	tdrv_mod_free(proc);
	EXPECT_EQ(text.rfind("version: 8.4.11 (api:1/proto:86-101)\n", 0), 0u) << text;
	// Built as a module, as Debian builds it: "srcversion: <23 hex> \n" (a
	// kernel module's srcversion has 23 digits, "%-24s" pads it).
	auto sv = text.find("srcversion: ");
	ASSERT_NE(sv, std::string::npos) << text;
	EXPECT_EQ(text.substr(sv + 12).find_first_not_of("0123456789ABCDEF"), 23u) << text;
	EXPECT_EQ(text.substr(sv + 12 + 23, 2), " \n") << text;

	// What drbdsetup-84 checks before anything else (research note 7.1).
	tdrv_family_info fi{};
	tdrv_mod_getfamily("drbd", &fi);
	EXPECT_EQ(fi.error, 0);
	EXPECT_GE(fi.id, 0x13u); // GENL_START_ALLOC
	EXPECT_EQ(fi.version, 1u);
	EXPECT_EQ(fi.hdrsize, 8u);
	EXPECT_EQ(fi.maxattr, 24u);
	EXPECT_GT(fi.n_ops, 30u);
	EXPECT_STREQ(fi.mcgrp_name, "events");
	EXPECT_GE(fi.mcgrp_id, 2u);

	umc_module_exit();
	tdrv_mod_getfamily("drbd", &fi);
	EXPECT_EQ(fi.error, -2); // -ENOENT: the family is gone
	EXPECT_EQ(tdrv_mod_proc("drbd"), nullptr);
	umc_kernel_shutdown();
}

// drbdadm up's first two steps and drbdadm down (research note 7.4), sent
// as drbdsetup-84 sends them.
TEST(DrbdModule, NewResourceNewMinorShowsDeviceAndDownRemovesIt)
{
	constexpr unsigned kNewMinor = 5, kNewResource = 7, kDown = 27;
	constexpr int kNoError = 101;
	ASSERT_EQ(umc_module_init(), 0);

	EXPECT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
	EXPECT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
	EXPECT_TRUE(tdrv_mod_disk_live("drbd0"));
	char *proc = tdrv_mod_proc("drbd");
	ASSERT_NE(proc, nullptr);
	std::string text(proc);
	tdrv_mod_free(proc);
	// A minor with nothing configured yet (StandAlone, Secondary, Diskless).
	EXPECT_NE(text.find(" 0: cs:Unconfigured\n"), std::string::npos) << text;

	EXPECT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
	EXPECT_FALSE(tdrv_mod_disk_live("drbd0"));

	umc_module_exit();
	umc_kernel_shutdown();
}

// drbdsetup show/down/adjust start with GET_STATUS as a dump: DRBD answers
// with one NLM_F_MULTI message per minor and the genl core ends it with
// NLMSG_DONE -- before any resource exists, only the NLMSG_DONE.
TEST(DrbdModule, GetStatusDumpListsEachMinorAndEndsWithDone)
{
	constexpr unsigned kNewMinor = 5, kNewResource = 7, kDown = 27, kGetStatus = 2;
	constexpr int kNoError = 101;
	ASSERT_EQ(umc_module_init(), 0);

	tdrv_dump_result empty{};
	tdrv_mod_get_status_dump(&empty);
	EXPECT_EQ(empty.error, 0);
	EXPECT_EQ(empty.done, 1);
	EXPECT_EQ(empty.done_error, 0);
	EXPECT_EQ(empty.n_minors, 0u);

	ASSERT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 3, "r0", 1), kNoError);
	tdrv_dump_result two{};
	tdrv_mod_get_status_dump(&two);
	EXPECT_EQ(two.error, 0);
	EXPECT_EQ(two.done, 1);
	EXPECT_EQ(two.done_error, 0);
	ASSERT_EQ(two.n_minors, 2u);
	EXPECT_EQ(two.multi, 1);
	EXPECT_EQ(two.cmd, kGetStatus);
	EXPECT_EQ(two.minors[0], 0u);
	EXPECT_EQ(two.minors[1], 3u);
	EXPECT_STREQ(two.resources[0], "r0");
	EXPECT_STREQ(two.resources[1], "r0");

	EXPECT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
	umc_module_exit();
	umc_kernel_shutdown();
}

// ---- the host program's side of the module (umc/kernel_host.h) ----------

constexpr unsigned kNewMinor = 5, kDelMinor = 6, kNewResource = 7, kSecondary = 15, kDown = 27;
constexpr int kNoError = 101;
constexpr int kSsSuccess = 1; // role changes answer with a drbd_state_rv

// What the disk listener heard, in order ("+drbd0 147:0", "-drbd0").
struct Heard {
	std::mutex m;
	std::vector<std::string> events;
	std::vector<std::string> take()
	{
		std::lock_guard<std::mutex> g(m);
		auto e = std::move(events);
		events.clear();
		return e;
	}
};

void heard_added(void *ctx, const char *name, unsigned major, unsigned minor)
{
	auto *h = static_cast<Heard *>(ctx);
	std::lock_guard<std::mutex> g(h->m);
	h->events.push_back("+" + std::string(name) + " " + std::to_string(major) + ":" + std::to_string(minor));
}

void heard_removed(void *ctx, const char *name)
{
	auto *h = static_cast<Heard *>(ctx);
	std::lock_guard<std::mutex> g(h->m);
	h->events.push_back("-" + std::string(name));
}

// One request to a disk of the module, waited for (completion may come from
// any thread).
struct Io {
	umc_bdev_io io{}; // first: done() finds the Io from it
	std::mutex m;
	std::condition_variable cv;
	bool done = false;
	int status = 0;
};

void io_done(umc_bdev_io *io, int status)
{
	auto *w = reinterpret_cast<Io *>(io);
	std::lock_guard<std::mutex> g(w->m);
	w->status = status;
	w->done = true;
	w->cv.notify_all();
}

// Page-aligned memory, as O_DIRECT callers use.
class AlignedBuffer {
public:
	explicit AlignedBuffer(size_t size)
	    : size_(size), data_(static_cast<char *>(std::aligned_alloc(4096, (size + 4095) / 4096 * 4096)))
	{
	}
	~AlignedBuffer() { std::free(data_); }
	AlignedBuffer(const AlignedBuffer &) = delete;
	AlignedBuffer &operator=(const AlignedBuffer &) = delete;
	char *data() { return data_; }
	size_t size() const { return size_; }

private:
	size_t size_;
	char *data_;
};

// Returns the completion status, or 1 if it did not complete in time.
int run_io(umc_disk *d, unsigned op, unsigned flags, unsigned long long off, void *buf, size_t len)
{
	Io w;
	umc_iov iov{buf, len};
	w.io.op = op;
	w.io.flags = flags;
	w.io.offset = off;
	w.io.length = len;
	w.io.iov = buf ? &iov : nullptr;
	w.io.iovcnt = buf ? 1 : 0;
	w.io.done = io_done;
	umc_disk_submit(d, &w.io);
	std::unique_lock<std::mutex> g(w.m);
	if (!w.cv.wait_for(g, std::chrono::seconds(30), [&] { return w.done; }))
		return 1;
	return w.status;
}

// NEW_MINOR lists the disk (the listener hears it with DRBD's major and the
// minor), DEL_MINOR and DOWN delete it.
TEST(DrbdModule, DiskListenerHearsMinorsAddedAndRemoved)
{
	Heard heard;
	const umc_disk_listener l{heard_added, heard_removed, &heard};
	umc_disk_set_listener(&l);
	ASSERT_EQ(umc_module_init(), 0);
	ASSERT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
	EXPECT_EQ(heard.take(), (std::vector<std::string>{"+drbd0 147:0"}));
	ASSERT_EQ(tdrv_mod_adm(kDelMinor, 0, "r0", -1), kNoError);
	EXPECT_EQ(heard.take(), (std::vector<std::string>{"-drbd0"}));
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 3, "r0", 1), kNoError);
	EXPECT_EQ(heard.take(), (std::vector<std::string>{"+drbd3 147:3"}));
	ASSERT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
	EXPECT_EQ(heard.take(), (std::vector<std::string>{"-drbd3"}));
	umc_disk_set_listener(nullptr);
	umc_module_exit();
	umc_kernel_shutdown();
}

// A fresh minor is a diskless Secondary: drbd_open refuses writers with
// -EROFS and readers with -EMEDIUMTYPE (allow_oos is off), it has no size,
// and a read finds neither local nor remote data (-EIO).  After DOWN the
// handle still held reports the disk gone, and putting it frees it.
TEST(DrbdModule, SecondaryMinorRefusesOpensAndDownLeavesADeadHandle)
{
	ASSERT_EQ(umc_module_init(), 0);
	ASSERT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
	EXPECT_EQ(umc_disk_lookup("drbd1"), nullptr);
	umc_disk *d = umc_disk_lookup("drbd0");
	ASSERT_NE(d, nullptr);

	umc_disk_info info{};
	umc_disk_get_info(d, &info);
	EXPECT_TRUE(info.live);
	EXPECT_EQ(info.capacity_bytes, 0u);
	EXPECT_EQ(info.logical_block_size, 512u);
	EXPECT_GT(info.max_io_bytes, 0u);

	EXPECT_EQ(umc_disk_open(d, UMC_FMODE_READ | UMC_FMODE_WRITE), -EROFS);
	EXPECT_EQ(umc_disk_open(d, UMC_FMODE_READ), -EMEDIUMTYPE);
	AlignedBuffer buf(4096);
	EXPECT_EQ(run_io(d, 0, 0, 0, buf.data(), buf.size()), -EIO);

	ASSERT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
	EXPECT_EQ(umc_disk_lookup("drbd0"), nullptr);
	umc_disk_get_info(d, &info);
	EXPECT_FALSE(info.live);
	EXPECT_EQ(info.capacity_bytes, 0u);
	EXPECT_EQ(umc_disk_open(d, UMC_FMODE_READ), -ENXIO);
	EXPECT_EQ(run_io(d, 0, 0, 0, buf.data(), buf.size()), -ENXIO);
	umc_disk_put(d); // the last reference: freed (the leak check would see it otherwise)

	umc_module_exit();
	umc_kernel_shutdown();
}

int param_index(const char *name)
{
	for (unsigned i = 0; i < umc_module_param_count(); i++) {
		const char *n = nullptr;
		unsigned perm = 0;
		if (umc_module_param_info(i, &n, &perm) == 0 && std::strcmp(n, name) == 0)
			return static_cast<int>(i);
	}
	return -1;
}

std::string param_show(const char *name)
{
	char buf[256];
	int i = param_index(name);
	if (i < 0)
		return "<none>";
	int len = umc_module_param_show(static_cast<unsigned>(i), buf, sizeof(buf));
	return len < 0 ? "<" + std::to_string(len) + ">" : std::string(buf, static_cast<size_t>(len));
}

int param_store(const char *name, const std::string &value)
{
	int i = param_index(name);
	return i < 0 ? -ENOENT : umc_module_param_store(static_cast<unsigned>(i), value.data(), value.size());
}

// DRBD's parameters as /sys/module/drbd/parameters shows them.
TEST(DrbdModule, ModuleParametersShowAndStoreLikeSysfs)
{
	ASSERT_EQ(umc_module_init(), 0);
	unsigned perm = 1;
	const char *name = nullptr;
	ASSERT_GE(param_index("minor_count"), 0);
	ASSERT_EQ(umc_module_param_info(static_cast<unsigned>(param_index("minor_count")), &name, &perm), 0);
	EXPECT_STREQ(name, "minor_count");
	EXPECT_EQ(perm, 0444u);
	ASSERT_EQ(umc_module_param_info(static_cast<unsigned>(param_index("usermode_helper")), &name, &perm), 0);
	EXPECT_EQ(perm, 0644u);
	ASSERT_EQ(umc_module_param_info(static_cast<unsigned>(param_index("allow_oos")), &name, &perm), 0);
	EXPECT_EQ(perm, 0u);
	EXPECT_EQ(umc_module_param_info(umc_module_param_count(), &name, &perm), -ENOENT);

	EXPECT_EQ(param_show("minor_count"), "32\n");
	EXPECT_EQ(param_show("usermode_helper"), "/sbin/drbdadm\n");
	EXPECT_EQ(param_show("disable_sendpage"), "N\n");
	EXPECT_EQ(param_show("allow_oos"), "N\n");

	EXPECT_EQ(param_store("minor_count", "64"), -EPERM);
	EXPECT_EQ(param_store("allow_oos", "1"), -EPERM);
	EXPECT_EQ(param_show("minor_count"), "32\n");
	EXPECT_EQ(param_store("disable_sendpage", "on\n"), 0);
	EXPECT_EQ(param_show("disable_sendpage"), "Y\n");
	EXPECT_EQ(param_store("disable_sendpage", "maybe"), -EINVAL);
	EXPECT_EQ(param_show("disable_sendpage"), "Y\n");
	EXPECT_EQ(param_store("usermode_helper", "/usr/local/sbin/helper\n"), 0);
	EXPECT_EQ(param_show("usermode_helper"), "/usr/local/sbin/helper\n");
	EXPECT_EQ(param_store("usermode_helper", std::string(80, 'x')), -EINVAL); // char[80]
	EXPECT_EQ(param_store("usermode_helper", std::string(79, 'x')), 0);
	EXPECT_EQ(param_store("usermode_helper", "/sbin/drbdadm"), 0);
	EXPECT_EQ(param_store("disable_sendpage", "0"), 0);

	umc_module_exit();
	umc_kernel_shutdown();
}

// A backing device in memory, served to the kernel side under a path.
struct RamDisk {
	std::vector<unsigned char> data;
	std::atomic<int> writes{0}, flushes{0}, fua{0};
};

void ram_submit(void *host, umc_bdev_io *io)
{
	auto *r = static_cast<RamDisk *>(host);
	unsigned long long off = io->offset;
	int status = 0;
	if (io->op == 0 || io->op == 1) {
		for (int i = 0; i < io->iovcnt && !status; i++) {
			const umc_iov &v = io->iov[i];
			if (off + v.len > r->data.size()) {
				status = -EIO;
				break;
			}
			if (io->op == 1)
				std::memcpy(&r->data[off], v.base, v.len);
			else
				std::memcpy(v.base, &r->data[off], v.len);
			off += v.len;
		}
		if (io->op == 1)
			r->writes++;
	} else if (io->op == 2) {
		r->flushes++;
	} else if (io->offset + io->length <= r->data.size()) {
		std::memset(&r->data[io->offset], 0, io->length);
	} else {
		status = -EIO;
	}
	if (io->flags & 1)
		r->flushes++;
	if (io->flags & 2)
		r->fua++;
	io->done(io, status);
}

const umc_bdev_host_ops ram_ops{ram_submit};

// drbdadm create-md, attach, primary --force on one node, then I/O through
// the DRBD disk as the host program does it: DRBD reads Debian drbdmeta's
// meta data, claims the backing device, writes its activity log and the
// data to it, and reads the data back.
TEST(DrbdModule, AttachForcePrimaryWriteAndReadBackThroughTheDisk)
{
	constexpr const char *kDrbdmeta = "/sbin/drbdmeta";
	constexpr size_t kSize = 32u << 20, kGrown = 48u << 20;
	if (access(kDrbdmeta, X_OK) != 0)
		GTEST_SKIP() << kDrbdmeta << " is not installed (drbd-utils)";

	// Debian's drbdmeta writes internal v08 meta data onto a file of the size.
	t::TempDir dir("umc-drbd-md");
	const std::string path = dir.file("md.img");
	t::write_file(path, "");
	ASSERT_EQ(truncate(path.c_str(), kSize), 0);
	const std::string cmd =
		std::string(kDrbdmeta) + " 0 v08 " + path + " internal create-md --force >/dev/null 2>&1";
	ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
	RamDisk ram;
	ram.data.reserve(kGrown); // grown later without moving under DRBD's I/O
	const std::string md = t::read_file(path);
	ram.data.assign(md.begin(), md.end());
	ASSERT_EQ(ram.data.size(), kSize);

	const std::string backing = "/umc-test/dev/backing0";
	umc_bdev_geometry geo{};
	geo.size_bytes = kSize;
	geo.logical_block_size = 512;
	geo.physical_block_size = 4096;
	geo.max_io_bytes = 1u << 20;
	geo.volatile_cache = true;
	geo.fua = true;
	ASSERT_EQ(umc_bdev_register(backing.c_str(), &ram, &ram_ops, &geo), 0);
	EXPECT_EQ(umc_bdev_claimed(backing.c_str()), 0);

	ASSERT_EQ(umc_module_init(), 0);
	ASSERT_EQ(tdrv_mod_adm(kNewResource, ~0u, "r0", -1), kNoError);
	ASSERT_EQ(tdrv_mod_adm(kNewMinor, 0, "r0", 0), kNoError);
	umc_disk *d = umc_disk_lookup("drbd0");
	ASSERT_NE(d, nullptr);

	ASSERT_EQ(tdrv_mod_attach(0, "r0", 0, backing.c_str(), backing.c_str(), -1), kNoError);
	EXPECT_EQ(umc_bdev_claimed(backing.c_str()), 1);
	EXPECT_EQ(umc_bdev_unregister(backing.c_str()), -EBUSY);
	umc_disk_info info{};
	umc_disk_get_info(d, &info);
	EXPECT_TRUE(info.live);
	// the backing device less the internal meta data
	EXPECT_GT(info.capacity_bytes, kSize - (1u << 20));
	EXPECT_LT(info.capacity_bytes, kSize);
	char *proc = tdrv_mod_proc("drbd");
	ASSERT_NE(proc, nullptr);
	std::string text(proc);
	tdrv_mod_free(proc);
	EXPECT_NE(text.find("ro:Secondary/Unknown ds:Inconsistent/DUnknown"), std::string::npos) << text;

	// Still Secondary: no writer.
	EXPECT_EQ(umc_disk_open(d, UMC_FMODE_READ | UMC_FMODE_WRITE), -EROFS);
	ASSERT_EQ(tdrv_mod_primary(0, "r0", 1), kSsSuccess);
	proc = tdrv_mod_proc("drbd");
	ASSERT_NE(proc, nullptr);
	text = proc;
	tdrv_mod_free(proc);
	EXPECT_NE(text.find("ro:Primary/Unknown ds:UpToDate/DUnknown"), std::string::npos) << text;
	ASSERT_EQ(umc_disk_open(d, UMC_FMODE_READ | UMC_FMODE_WRITE), 0);

	// Memory O_DIRECT would refuse (not sector aligned) is refused: DRBD
	// never sees a bio whose segments are not whole sectors.
	AlignedBuffer out(4096 + 4096), in(4096);
	for (size_t i = 0; i < out.size(); i++)
		out.data()[i] = static_cast<char>(i * 7 + 3);
	EXPECT_EQ(run_io(d, 1, 0, 8192, out.data() + 100, 4096), -EINVAL);
	// 4 KiB written with FUA at a sector- but not page-aligned host address
	// (two segments, 3.5 KiB and 512 bytes), then read back.
	const int writes_before = ram.writes;
	EXPECT_EQ(run_io(d, 1, 2, 8192, out.data() + 512, 4096), 0);
	EXPECT_GT(ram.writes - writes_before, 0);
	EXPECT_GT(ram.fua.load(), 0);
	EXPECT_EQ(std::memcmp(&ram.data[8192], out.data() + 512, 4096), 0) << "not on the backing device";
	EXPECT_EQ(run_io(d, 0, 0, 8192, in.data(), in.size()), 0);
	EXPECT_EQ(std::memcmp(in.data(), out.data() + 512, 4096), 0);
	const int flushes_before = ram.flushes;
	EXPECT_EQ(run_io(d, 2, 0, 0, nullptr, 0), 0);
	EXPECT_GT(ram.flushes - flushes_before, 0);
	// beyond the end of the DRBD device
	EXPECT_EQ(run_io(d, 0, 0, info.capacity_bytes, in.data(), in.size()), -EIO);

	// The host grows the backing device; drbdadm resize makes DRBD use it
	// (it moves the internal meta data to the new end).  Without a peer DRBD
	// keeps the agreed size unless told the peer has the space.
	ram.data.resize(kGrown);
	ASSERT_EQ(umc_bdev_set_size(backing.c_str(), kGrown), 0);
	ASSERT_EQ(tdrv_mod_resize(0, "r0", 1), kNoError);
	umc_disk_info grown{};
	umc_disk_get_info(d, &grown);
	EXPECT_GT(grown.capacity_bytes, kSize);
	EXPECT_LT(grown.capacity_bytes, kGrown);
	EXPECT_EQ(run_io(d, 1, 0, info.capacity_bytes, out.data(), 4096), 0);
	EXPECT_EQ(run_io(d, 0, 0, info.capacity_bytes, in.data(), in.size()), 0);
	EXPECT_EQ(std::memcmp(in.data(), out.data(), 4096), 0);
	EXPECT_EQ(std::memcmp(&ram.data[info.capacity_bytes], out.data(), 4096), 0);

	umc_disk_release(d, UMC_FMODE_READ | UMC_FMODE_WRITE);
	ASSERT_EQ(tdrv_mod_adm(kSecondary, 0, "r0", -1), kSsSuccess);
	ASSERT_EQ(tdrv_mod_adm(kDown, ~0u, "r0", -1), kNoError);
	EXPECT_EQ(umc_bdev_claimed(backing.c_str()), 0);
	umc_disk_get_info(d, &info);
	EXPECT_FALSE(info.live);
	umc_disk_put(d);
	umc_module_exit();
	EXPECT_EQ(umc_bdev_unregister(backing.c_str()), 0);
	umc_kernel_shutdown();
}

} // namespace
