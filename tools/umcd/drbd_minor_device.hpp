// drbd_minor_device.hpp - dev/drbd<minor>: a DRBD minor (a gendisk of the
// hosted module) as a fuse_nodes block device.  One FUSE request becomes one
// struct bio submitted to DRBD; opens go through DRBD's own ->open, so a
// writer on a Secondary gets DRBD's -EROFS in open(2) as on a kernel node.
#pragma once

#include <fuse_nodes/block_device.hpp>

#include <mutex>
#include <string>

struct umc_disk;

namespace umcd {

class DrbdMinorDevice : public umc::fuse::BlockDevice {
public:
	explicit DrbdMinorDevice(std::string disk_name) : name_(std::move(disk_name)) {}
	~DrbdMinorDevice() override;

	uint64_t capacity_bytes() const override;
	umc::fuse::BlockLimits limits() const override;
	int open(umc::fuse::OpenMode mode) override;
	void release(umc::fuse::OpenMode mode) override;
	void submit(bio_request *req) override;
	// A plug around the pieces of one FUSE request: DRBD's bios to the
	// backing disk merge back into requests of the size the application wrote.
	void begin_batch() override;
	void end_batch() override;

	// The kernel side deleted the disk (del_gendisk): everything fails with
	// ENXIO from now on.  Called from the disk listener (no kernel calls).
	void mark_deleted();

private:
	// The handle, looked up on first use: the listener that announces a new
	// disk must not call back into the kernel side.  nullptr when gone.
	umc_disk *disk() const;

	const std::string name_;
	mutable std::mutex mu_;
	mutable umc_disk *disk_ = nullptr;
	bool deleted_ = false;
};

// Opens of any dev/drbd<minor> that have not been released yet.  The
// kernel's FUSE sends RELEASE asynchronously after the last close (umount of
// a loop mount returns before umcd hears of it), while a kernel DRBD sees
// the close before umount returns; a demotion right after umount would then
// find the device "held open by someone".  Waits up to `timeout_ms` for the
// count to reach zero; false if it did not (something really holds it open).
bool wait_minor_releases(int timeout_ms);

} // namespace umcd
