// backing_disk.hpp - a bio_backends device as DRBD's backing disk: the
// kernel side's bios (umc_bdev_io) become bio_requests, and the FUSE node of
// the same device refuses writers while DRBD has it attached, as a kernel
// refuses O_EXCL opens of a claimed disk (FUSE strips O_EXCL, and the
// utils that open backing disks - drbdmeta, mkfs - open them to write).
#pragma once

#include <fuse_nodes/bio_backend_device.hpp>

#include <string>

struct bio_device;

namespace umcd {

// Register `device` with the kernel side under `path`: 0 or -errno.
int register_backing_disk(const std::string &path, bio_device *device);

class BackingNode : public umc::fuse::BioBackendDevice {
public:
	BackingNode(bio_device *device, uint32_t memory_alignment, std::string kernel_path)
	    : BioBackendDevice(device, memory_alignment), kernel_path_(std::move(kernel_path))
	{
	}
	int open(umc::fuse::OpenMode mode) override;
	// Grow the backend, then tell the kernel side (DRBD sees the new size at
	// its next resize, as after a rescan).
	int grow(uint64_t new_size) override;

private:
	const std::string kernel_path_;
};

} // namespace umcd
