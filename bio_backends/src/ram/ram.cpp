// ram: a device in anonymous memory.
//
// Options: size= (required).
// Every request completes inline, inside bio_submit(), on the submitter's
// thread: a memcpy is cheaper than any hand-off.  Requests run concurrently
// from many threads without a lock (overlapping concurrent writes are
// undefined, as on a disk).  FLUSH and FUA have nothing to make durable and
// complete at once.  DISCARD and WRITE_ZEROES zero the range; whole pages
// inside it are given back to the kernel with MADV_DONTNEED, so a discarded
// ram disk shrinks.
#include "../common.hpp"

#include <cerrno>
#include <cinttypes>
#include <cstring>
#include <sys/mman.h>
#include <unistd.h>

namespace {

struct Ram {
	char *base = nullptr;
	uint64_t size = 0;
	uint64_t page = 4096;
};

void zero_range(Ram *r, uint64_t off, uint64_t len)
{
	uint64_t first = (off + r->page - 1) & ~(r->page - 1);
	uint64_t last = (off + len) & ~(r->page - 1);
	if (first >= last) {
		memset(r->base + off, 0, len);
		return;
	}
	memset(r->base + off, 0, first - off);
	// A private anonymous mapping reads zeros after MADV_DONTNEED.
	if (madvise(r->base + first, last - first, MADV_DONTNEED) < 0)
		memset(r->base + first, 0, last - first);
	memset(r->base + last, 0, off + len - last);
}

int ram_size(const bio_open_args *args, uint64_t *size)
{
	bio::Options o(args);
	int rc = o.size("size", size);
	if (rc < 0)
		return rc;
	if (!*size)
		return bio::fail(args, -EINVAL, "ram: size= is required");
	if (*size % 512)
		return bio::fail(args, -EINVAL, "ram: bad size=%s: not a multiple of 512", o.get("size"));
	return 0;
}

int ram_check(const bio_open_args *args)
{
	uint64_t size;
	return ram_size(args, &size);
}

int ram_open(bio_device *dev, const bio_open_args *args)
{
	uint64_t size;
	if (int rc = ram_size(args, &size); rc < 0)
		return rc;
	void *p = mmap(nullptr, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return bio::fail(args, -ENOMEM, "ram: cannot map %" PRIu64 " bytes: %s", size, strerror(errno));
	Ram *r = bio::make<Ram>(args->sys, BIO_HERE);
	if (!r) {
		munmap(p, size);
		return bio::fail(args, -ENOMEM, "ram: out of memory");
	}
	r->base = static_cast<char *>(p);
	r->size = size;
	r->page = (uint64_t)sysconf(_SC_PAGESIZE);
	dev->priv = r;
	dev->size = size;
	// No volatile cache: FLUSH and FUA are accepted and cost nothing.
	dev->caps.features = BIO_CAP_DISCARD | BIO_CAP_WRITE_ZEROES | BIO_CAP_VOLATILE;
	dev->caps.logical_block_size = 512;
	dev->caps.physical_block_size = 4096;
	dev->caps.optimal_io_size = 0;
	dev->caps.max_io_size = 1u << 30;
	dev->caps.max_discard_size = 1u << 30;
	dev->caps.queue_depth = 0; // unlimited: everything runs inline
	return 0;
}

void ram_close(bio_device *dev)
{
	auto *r = static_cast<Ram *>(dev->priv);
	munmap(r->base, r->size);
	bio::destroy(dev->sys, r);
}

void ram_submit(bio_device *dev, bio_request *req)
{
	auto *r = static_cast<Ram *>(dev->priv);
	switch (req->op) {
	case BIO_OP_READ:
		bio::copy_to_iov(req->iov, req->iovcnt, r->base + req->offset, req->length);
		break;
	case BIO_OP_WRITE:
		bio::copy_from_iov(r->base + req->offset, req->iov, req->iovcnt, req->length);
		break;
	case BIO_OP_DISCARD:
	case BIO_OP_WRITE_ZEROES:
		zero_range(r, req->offset, req->length);
		break;
	case BIO_OP_FLUSH:
		break;
	}
	bio::complete(req, 0);
}

const char *const ram_keys[] = {"size", nullptr};

} // namespace

extern "C" const struct bio_backend_ops bio_ram_backend = {
	BIO_BACKEND_VERSION,
	sizeof(bio_backend_ops),
	"ram",
	"anonymous memory (size=)",
	ram_keys,
	ram_open,
	ram_close,
	ram_submit,
	nullptr,
	ram_check,
	{},
};
