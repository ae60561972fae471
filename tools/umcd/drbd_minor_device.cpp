#include "drbd_minor_device.hpp"

#include "kernel_host_adapter.hpp"

#include <cerrno>
#include <chrono>
#include <condition_variable>
#include <new>

namespace umcd {
namespace {

unsigned fmode_of(umc::fuse::OpenMode mode)
{
	return (mode.read ? UMC_FMODE_READ : 0u) | (mode.write ? UMC_FMODE_WRITE : 0u) |
	       (mode.ndelay ? UMC_FMODE_NDELAY : 0u);
}

// One FUSE block request on its way through DRBD.  bio_request's and
// umc_bdev_io's op/flag numbering are bio_request's (kernel_host_adapter.hpp).
struct MinorIo {
	umc_bdev_io io{};
	bio_request *req = nullptr;
};

void minor_io_done(umc_bdev_io *io, int status)
{
	auto *m = reinterpret_cast<MinorIo *>(io); // io is the first member
	bio_request *req = m->req;
	delete m;
	req->end_io(req, status);
}

std::mutex g_open_mu;
std::condition_variable g_open_cv;
int g_open_handles = 0;

// The plug of the current thread's batch (begin_batch .. end_batch).
thread_local void *t_plug = nullptr;

} // namespace

void DrbdMinorDevice::begin_batch()
{
	t_plug = umc_plug_start();
}

void DrbdMinorDevice::end_batch()
{
	umc_plug_finish(t_plug);
	t_plug = nullptr;
}

DrbdMinorDevice::~DrbdMinorDevice()
{
	if (disk_)
		umc_disk_put(disk_);
}

umc_disk *DrbdMinorDevice::disk() const
{
	std::lock_guard lk(mu_);
	if (!disk_ && !deleted_)
		disk_ = umc_disk_lookup(name_.c_str());
	return disk_;
}

void DrbdMinorDevice::mark_deleted()
{
	std::lock_guard lk(mu_);
	deleted_ = true; // a handle already taken reports the deletion itself
}

uint64_t DrbdMinorDevice::capacity_bytes() const
{
	umc_disk *d = disk();
	if (!d)
		return 0;
	struct umc_disk_info info {};
	umc_disk_get_info(d, &info);
	return info.live ? info.capacity_bytes : 0;
}

umc::fuse::BlockLimits DrbdMinorDevice::limits() const
{
	umc::fuse::BlockLimits limits;
	// DRBD gets only bios the kernel would build: sector-aligned memory.
	// fuse_nodes receives write payloads page aligned, so this costs no copy.
	limits.memory_alignment = UMC_DISK_MEMORY_ALIGN;
	if (umc_disk *d = disk()) {
		struct umc_disk_info info {};
		umc_disk_get_info(d, &info);
		if (info.logical_block_size)
			limits.logical_block_size = info.logical_block_size;
		limits.max_io_bytes = info.max_io_bytes;
		limits.max_discard_bytes = info.max_discard_bytes;
	}
	return limits;
}

bool wait_minor_releases(int timeout_ms)
{
	std::unique_lock lk(g_open_mu);
	return g_open_cv.wait_for(lk, std::chrono::milliseconds(timeout_ms), [] { return g_open_handles == 0; });
}

int DrbdMinorDevice::open(umc::fuse::OpenMode mode)
{
	umc_disk *d = disk();
	int rc = d ? umc_disk_open(d, fmode_of(mode)) : -ENXIO;
	if (rc == 0) {
		std::lock_guard lk(g_open_mu);
		++g_open_handles;
	}
	return rc;
}

void DrbdMinorDevice::release(umc::fuse::OpenMode mode)
{
	if (umc_disk *d = disk())
		umc_disk_release(d, fmode_of(mode));
	std::lock_guard lk(g_open_mu);
	if (--g_open_handles == 0)
		g_open_cv.notify_all();
}

void DrbdMinorDevice::submit(bio_request *req)
{
	umc_disk *d = disk();
	auto *m = d ? new (std::nothrow) MinorIo : nullptr;
	if (!m) {
		req->end_io(req, d ? -ENOMEM : -ENXIO);
		return;
	}
	m->req = req;
	m->io.op = req->op;
	m->io.flags = req->flags;
	m->io.offset = req->offset;
	m->io.length = req->length;
	m->io.iov = to_umc_iov(req->iov);
	m->io.iovcnt = static_cast<int>(req->iovcnt);
	m->io.done = minor_io_done;
	umc_disk_submit(d, &m->io);
}

} // namespace umcd
