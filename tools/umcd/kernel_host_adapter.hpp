// The one place where umcd's two neighbours meet: the host interface of the
// kernel object (umc/kernel_host.h) and the block layer of bio_backends and
// fuse_nodes (bio_backends/bio_backend.h).  Both number ops and flags the
// same way and pass data as iovecs; the static_asserts below hold them to
// it, so a request crosses without translation.
#pragma once

#include <bio_backends/bio_backend.h>
#include <umc/kernel_host.h>

#include <sys/uio.h>

#include <cstddef>

namespace umcd {

static_assert(UMC_BDEV_OP_READ == BIO_OP_READ && UMC_BDEV_OP_WRITE == BIO_OP_WRITE &&
		      UMC_BDEV_OP_FLUSH == BIO_OP_FLUSH && UMC_BDEV_OP_DISCARD == BIO_OP_DISCARD &&
		      UMC_BDEV_OP_WRITE_ZEROES == BIO_OP_WRITE_ZEROES,
	      "kernel_host.h and bio_backend.h number ops differently");
static_assert(UMC_BDEV_F_PREFLUSH == BIO_REQ_PREFLUSH && UMC_BDEV_F_FUA == BIO_REQ_FUA,
	      "kernel_host.h and bio_backend.h number request flags differently");
static_assert(sizeof(umc_iov) == sizeof(iovec) && alignof(umc_iov) == alignof(iovec) &&
		      offsetof(umc_iov, base) == offsetof(iovec, iov_base) &&
		      offsetof(umc_iov, len) == offsetof(iovec, iov_len),
	      "struct umc_iov must have struct iovec's layout");

// The same buffers seen from either side (layouts checked above).
inline const iovec *to_iovec(const umc_iov *iov)
{
	return reinterpret_cast<const iovec *>(iov);
}
inline const umc_iov *to_umc_iov(const iovec *iov)
{
	return reinterpret_cast<const umc_iov *>(iov);
}

} // namespace umcd
