// mmap: a file (or block device) mapped MAP_SHARED.
//
// Options: path=, create=, size= (see BackingFile), dirty_chunk= (bytes of
// one dirty-tracking unit, default 64K, a power of two >= the page size).
//
// READ, WRITE, DISCARD and WRITE_ZEROES without flags complete inline on the
// submitter's thread.  FLUSH and every request carrying PREFLUSH or FUA go to
// the device's "mmap-sync" event task and complete there.  That task runs one
// callback at a time, which is what makes FLUSH correct when several flushes
// overlap: a flush that finds nothing dirty cannot complete while an earlier
// flush is still msync()ing a write that completed before it.
//
// Dirty tracking: a write sets the bits of the chunks it touched *before* it
// completes; a flush clears bits (atomically, word by word) and msync()s each
// run of dirty chunks.  If msync fails the bits are set again, so the next
// flush retries, and the flush reports -EIO.  DISCARD and WRITE_ZEROES change
// block allocation with fallocate(), which msync does not persist, so they
// set `meta_dirty` and the next flush also calls fdatasync().
#include "../common.hpp"

#include <atomic>
#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>
#include <vector>

namespace {

struct MmapDev {
	bio::BackingFile file;
	char *base = nullptr;
	uint64_t size = 0;
	uint64_t page = 4096;
	unsigned chunk_shift = 16;
	std::vector<std::atomic<uint64_t>> dirty; // one bit per chunk
	std::atomic<bool> meta_dirty{false};
	sys_task_t *task = nullptr;
	bio::InFlight inflight;
	const sys_service *sys = nullptr;

	void mark_dirty(uint64_t off, uint64_t len)
	{
		uint64_t first = off >> chunk_shift, last = (off + len - 1) >> chunk_shift;
		for (uint64_t c = first; c <= last; c++)
			dirty[c >> 6].fetch_or(1ull << (c & 63), std::memory_order_release);
	}
	int sync_range(uint64_t off, uint64_t len)
	{
		uint64_t start = off & ~(page - 1);
		uint64_t end = off + len;
		if (msync(base + start, end - start, MS_SYNC) < 0)
			return -errno;
		return 0;
	}
	int flush_all();
};

int MmapDev::flush_all()
{
	int rc = 0;
	uint64_t chunks = (size + (1ull << chunk_shift) - 1) >> chunk_shift;
	uint64_t run_start = 0, run_len = 0; // in chunks
	auto emit = [&]() {
		if (!run_len)
			return;
		uint64_t off = run_start << chunk_shift;
		uint64_t len = run_len << chunk_shift;
		if (off + len > size)
			len = size - off;
		int r = sync_range(off, len);
		if (r < 0) {
			rc = r;
			mark_dirty(off, len); // retry on the next flush
		}
		run_len = 0;
	};
	for (uint64_t w = 0; w < dirty.size(); w++) {
		uint64_t bits =
			dirty[w].load(std::memory_order_relaxed) ? dirty[w].exchange(0, std::memory_order_acq_rel) : 0;
		for (unsigned b = 0; b < 64; b++) {
			uint64_t c = (w << 6) + b;
			if (c >= chunks)
				break;
			if (bits & (1ull << b)) {
				if (!run_len)
					run_start = c;
				run_len++;
			} else {
				emit();
			}
		}
		if (!bits)
			emit();
	}
	emit();
	if (meta_dirty.exchange(false)) {
		if (fdatasync(file.fd) < 0) {
			rc = -errno;
			meta_dirty = true;
		}
	}
	return rc < 0 ? -EIO : 0;
}

int do_data_op(MmapDev *m, bio_request *req)
{
	switch (req->op) {
	case BIO_OP_READ:
		bio::copy_to_iov(req->iov, req->iovcnt, m->base + req->offset, req->length);
		return 0;
	case BIO_OP_WRITE:
		bio::copy_from_iov(m->base + req->offset, req->iov, req->iovcnt, req->length);
		m->mark_dirty(req->offset, req->length);
		return 0;
	case BIO_OP_DISCARD:
	case BIO_OP_WRITE_ZEROES: {
		int mode = req->op == BIO_OP_DISCARD ? FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE
						     : FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE;
		// The shared mapping sees the change: it is the same page cache.
		if (!m->file.is_blockdev && fallocate(m->file.fd, mode, (off_t)req->offset, (off_t)req->length) == 0) {
			m->meta_dirty = true;
			return 0;
		}
		memset(m->base + req->offset, 0, req->length);
		m->mark_dirty(req->offset, req->length);
		return 0;
	}
	}
	return 0;
}

// Runs on the sync task.
void sync_work(void *arg)
{
	auto *req = static_cast<bio_request *>(arg);
	auto *m = reinterpret_cast<MmapDev *>(req->backend_ctx[0]);
	int rc = 0;
	if (req->op == BIO_OP_FLUSH || (req->flags & BIO_REQ_PREFLUSH))
		rc = m->flush_all();
	if (rc == 0 && req->op != BIO_OP_FLUSH) {
		rc = do_data_op(m, req);
		if (rc == 0 && (req->flags & BIO_REQ_FUA) && req->op != BIO_OP_READ) {
			rc = m->sync_range(req->offset, req->length);
			if (rc == 0 && (req->op == BIO_OP_DISCARD || req->op == BIO_OP_WRITE_ZEROES) &&
			    m->meta_dirty.load()) {
				if (fdatasync(m->file.fd) < 0)
					rc = -errno;
			}
			if (rc < 0)
				rc = -EIO;
		}
	}
	bio::complete(req, rc);
	m->inflight.put();
}

int mmap_chunk(const bio_open_args *args, uint64_t *chunk)
{
	bio::Options o(args);
	int rc = o.size("dirty_chunk", chunk);
	if (rc < 0)
		return rc;
	long page = sysconf(_SC_PAGESIZE);
	if (!*chunk)
		*chunk = 64 * 1024;
	if ((*chunk & (*chunk - 1)) || *chunk < (uint64_t)page || *chunk > (1ull << 30))
		return bio::fail(args, -EINVAL, "mmap: bad dirty_chunk=%s (a power of two from the page size to 1G)",
				 o.get("dirty_chunk"));
	return 0;
}

int mmap_check(const bio_open_args *args)
{
	uint64_t chunk;
	int rc = mmap_chunk(args, &chunk);
	return rc < 0 ? rc : bio::BackingFile::check(args);
}

int mmap_open(bio_device *dev, const bio_open_args *args)
{
	bio::Options o(args);
	uint64_t chunk;
	int rc = mmap_chunk(args, &chunk);
	if (rc < 0)
		return rc;
	long page = sysconf(_SC_PAGESIZE);

	MmapDev *m = bio::make<MmapDev>(args->sys, BIO_HERE);
	if (!m)
		return bio::fail(args, -ENOMEM, "mmap: out of memory");
	m->sys = args->sys;
	if ((rc = m->file.open(args, false)) < 0) {
		bio::destroy(args->sys, m);
		return rc;
	}
	m->size = m->file.size;
	m->page = (uint64_t)page;
	m->chunk_shift = (unsigned)__builtin_ctzll(chunk);
	uint64_t chunks = (m->size + chunk - 1) / chunk;
	m->dirty = std::vector<std::atomic<uint64_t>>((chunks + 63) / 64);
	void *p = mmap(nullptr, m->size, PROT_READ | PROT_WRITE, MAP_SHARED, m->file.fd, 0);
	if (p == MAP_FAILED) {
		rc = bio::fail(args, -errno, "mmap: %s: %s", o.get("path"), strerror(errno));
		m->file.abandon();
		bio::destroy(args->sys, m);
		return rc;
	}
	m->base = static_cast<char *>(p);
	rc = args->sys->task_create(&m->task, "mmap-sync", nullptr, nullptr);
	if (rc < 0) {
		munmap(m->base, m->size);
		m->file.abandon();
		bio::destroy(args->sys, m);
		return bio::fail(args, rc, "mmap: cannot start the sync task");
	}
	dev->priv = m;
	dev->size = m->size;
	dev->caps.features = BIO_CAP_FLUSH | BIO_CAP_FUA | BIO_CAP_DISCARD | BIO_CAP_WRITE_ZEROES;
	dev->caps.logical_block_size = m->file.lbs;
	dev->caps.physical_block_size = (uint32_t)page > m->file.pbs ? (uint32_t)page : m->file.pbs;
	dev->caps.optimal_io_size = (uint32_t)chunk;
	dev->caps.max_io_size = 1u << 30;
	dev->caps.max_discard_size = 1u << 30;
	dev->caps.queue_depth = 0;
	return 0;
}

void mmap_close(bio_device *dev)
{
	auto *m = static_cast<MmapDev *>(dev->priv);
	m->inflight.wait_idle();
	dev->sys->task_destroy(m->task);
	// Leave the file as durable as a final flush would.
	m->flush_all();
	munmap(m->base, m->size);
	m->file.close();
	bio::destroy(dev->sys, m);
}

void mmap_submit(bio_device *dev, bio_request *req)
{
	auto *m = static_cast<MmapDev *>(dev->priv);
	bool sync = req->op == BIO_OP_FLUSH || (req->flags & (BIO_REQ_PREFLUSH | BIO_REQ_FUA));
	if (!sync) {
		bio::complete(req, do_data_op(m, req));
		return;
	}
	req->backend_ctx[0] = reinterpret_cast<uintptr_t>(m);
	m->inflight.get();
	int rc = dev->sys->task_post(m->task, SYS_PRIO_NORMAL, sync_work, req);
	if (rc < 0) {
		m->inflight.put();
		bio::complete(req, rc);
	}
}

const char *const mmap_keys[] = {"path", "create", "size", "dirty_chunk", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_mmap_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"mmap",
	"a file mapped shared (path=, create=, size=)",
	mmap_keys,
	mmap_open,
	mmap_close,
	mmap_submit,
	nullptr,
	mmap_check,
	{},
};
