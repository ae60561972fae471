// block_device.hpp - what the daemon registers to appear as $UMC_FS_ROOT/dev/<name>.
//
// The I/O unit is bio_backends' `struct bio_request` (bio_backend.h), so a
// bio_backends device is passed straight through (see bio_backend_device.hpp)
// and a DRBD minor converts one bio_request into one struct bio.
#pragma once

#include <bio_backends/bio_backend.h>

#include <cerrno>
#include <cstdint>

namespace umc::fuse {

// The access a FUSE open asks for, the way the kernel hands it to a block
// device's ->open(): FMODE_READ / FMODE_WRITE / FMODE_NDELAY.  (FUSE strips
// O_EXCL before the daemon sees it, so FMODE_EXCL cannot be derived.)
struct OpenMode {
	bool read = false;
	bool write = false;
	bool ndelay = false;

	// From open(2) flags as FUSE delivers them (fuse_file_info::flags).
	static OpenMode from_open_flags(int flags);
	bool operator==(const OpenMode &) const = default;
};

// Request limits the FUSE layer respects when it builds bio_requests.
struct BlockLimits {
	uint32_t logical_block_size = 512; // offset/length granularity (512 or 4096)
	uint32_t max_io_bytes = 0;         // READ/WRITE split size; 0 = no limit
	uint32_t max_discard_bytes = 0;    // DISCARD/WRITE_ZEROES split size; 0 = no limit
	// Memory alignment the device needs for iovec buffers (e.g. an O_DIRECT
	// backing file, a DRBD minor).  0/1 = any.  Every buffer fuse_nodes
	// passes is page aligned (write payloads are received that way), so only
	// values above 4096 cost a copy; those are not honoured for RMW pieces.
	uint32_t memory_alignment = 0;
};

class BlockDevice {
public:
	virtual ~BlockDevice() = default;

	// Bytes; may change at any time (resize) -- every stat(2) asks again.
	virtual uint64_t capacity_bytes() const = 0;
	virtual BlockLimits limits() const = 0;

	// Called for every open(2) of dev/<name>; a negative errno refuses the
	// open and reaches the application (e.g. -EROFS for a writer on a DRBD
	// Secondary).  release() gets the same mode once per successful open.
	// Calling context: a FUSE worker thread; may block briefly.
	virtual int open(OpenMode mode)
	{
		(void)mode;
		return 0;
	}
	virtual void release(OpenMode mode) { (void)mode; }

	// Start `req` (op, flags, offset, length, iov, end_io, private_data set
	// by the caller; backend_ctx is the device's).  end_io must run exactly
	// once, inline or later from any thread.  Offsets and lengths respect
	// limits().  Calling context: any thread, concurrently; must not block
	// for long.
	virtual void submit(bio_request *req) = 0;

	// fuse_nodes submits the pieces of one FUSE request (split at
	// limits().max_io_bytes) between begin_batch() and end_batch(), on one
	// thread; a device may hold them meanwhile to merge adjacent ones, as the
	// kernel's plug does.  end_batch() must start every held request.  Not
	// called for single-piece requests.
	// truncate(2) of dev/<name> to a larger size: grow the device, as a
	// volume manager grows a disk under a running kernel.  0 or a negative
	// errno for the caller (default -EOPNOTSUPP: the size is fixed).
	// Smaller sizes are ignored, as truncation of a block device is (that
	// includes open(O_TRUNC)).  Calling context: a FUSE worker thread.
	virtual int grow(uint64_t new_size)
	{
		(void)new_size;
		return -EOPNOTSUPP;
	}

	virtual void begin_batch() {}
	virtual void end_batch() {}
};

} // namespace umc::fuse
