#include "backing_disk.hpp"

#include "kernel_host_adapter.hpp"

#include <sys/uio.h>

#include <cerrno>
#include <new>

namespace umcd {
namespace {

struct BackingIo {
	bio_request req{};
	umc_bdev_io *io = nullptr;
};

void backing_submit(void *host, umc_bdev_io *io)
{
	auto *dev = static_cast<bio_device *>(host);
	auto *b = new (std::nothrow) BackingIo;
	if (!b) {
		io->done(io, -ENOMEM);
		return;
	}
	b->io = io;
	b->req.op = io->op; // same numbering (kernel_host_adapter.hpp)
	b->req.flags = io->flags;
	b->req.offset = io->offset;
	b->req.length = io->length;
	b->req.iov = to_iovec(io->iov);
	b->req.iovcnt = static_cast<uint32_t>(io->iovcnt);
	b->req.private_data = b;
	b->req.end_io = [](bio_request *r, int status) {
		auto *self = static_cast<BackingIo *>(r->private_data);
		umc_bdev_io *kio = self->io;
		delete self;
		kio->done(kio, status);
	};
	bio_submit(dev, &b->req);
}

const umc_bdev_host_ops kBackingOps = {backing_submit};

} // namespace

int register_backing_disk(const std::string &path, bio_device *device)
{
	umc_bdev_geometry geo{};
	geo.size_bytes = bio_device_size(device);
	geo.logical_block_size = device->caps.logical_block_size;
	geo.physical_block_size = device->caps.physical_block_size;
	geo.optimal_io_size = device->caps.optimal_io_size;
	geo.max_io_bytes = device->caps.max_io_size;
	geo.max_discard_bytes = (device->caps.features & BIO_CAP_DISCARD) ? device->caps.max_discard_size : 0;
	geo.write_zeroes = device->caps.features & BIO_CAP_WRITE_ZEROES;
	geo.volatile_cache = device->caps.features & BIO_CAP_FLUSH;
	geo.fua = device->caps.features & BIO_CAP_FUA;
	return umc_bdev_register(path.c_str(), device, &kBackingOps, &geo);
}

int BackingNode::open(umc::fuse::OpenMode mode)
{
	if (mode.write && umc_bdev_claimed(kernel_path_.c_str()) == 1)
		return -EBUSY;
	return 0;
}

int BackingNode::grow(uint64_t new_size)
{
	if (int rc = BioBackendDevice::grow(new_size); rc < 0)
		return rc;
	umc_bdev_set_size(kernel_path_.c_str(), new_size);
	return 0;
}

} // namespace umcd
