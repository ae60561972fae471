#include "fuse_nodes/bio_backend_device.hpp"

namespace umc::fuse {

uint64_t BioBackendDevice::capacity_bytes() const
{
	return bio_device_size(device_);
}

int BioBackendDevice::grow(uint64_t new_size)
{
	return bio_resize(device_, new_size);
}

BlockLimits BioBackendDevice::limits() const
{
	BlockLimits limits;
	limits.logical_block_size = device_->caps.logical_block_size;
	limits.max_io_bytes = device_->caps.max_io_size;
	limits.max_discard_bytes = device_->caps.max_discard_size;
	limits.memory_alignment = memory_alignment_;
	return limits;
}

void BioBackendDevice::submit(bio_request *req)
{
	bio_submit(device_, req);
}

} // namespace umc::fuse
