// bio_backend_device.hpp - a bio_backends device (bio_open()) as a fuse_nodes
// block device: requests pass straight through bio_submit().  Link
// fuse_nodes_bio (built when the bio_backends library is).
#pragma once

#include "fuse_nodes/block_device.hpp"

namespace umc::fuse {

class BioBackendDevice : public BlockDevice {
public:
	// Borrows `device`; the caller bio_close()s it after removing the node.
	// `memory_alignment`: buffer alignment the backend needs to take its fast
	// path (e.g. 4096 for uring/aio with direct=1, which otherwise serve
	// unaligned buffers through the page cache).  Write payloads are received
	// page aligned (fuse_nodes' receive.cpp), so up to 4096 this costs no
	// copy.  bio_caps has no such field (yet).
	explicit BioBackendDevice(bio_device *device, uint32_t memory_alignment = 0)
	    : device_(device), memory_alignment_(memory_alignment)
	{
	}

	uint64_t capacity_bytes() const override;
	BlockLimits limits() const override;
	void submit(bio_request *req) override;
	int grow(uint64_t new_size) override;

private:
	bio_device *device_;
	uint32_t memory_alignment_;
};

} // namespace umc::fuse
