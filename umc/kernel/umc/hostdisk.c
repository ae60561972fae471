// SPDX-License-Identifier: GPL-2.0
/* The host program's calls into disks the module made (umc/kernel_host.h):
 * geometry, open/release through the disk's block_device_operations, and
 * requests turned into bios for its ->submit_bio.  Handles, listing and
 * the dead state are genhd.c's (disk.h). */
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <umc/kernel_private.h>
#include <umc/socket.h> /* struct umc_iov */
#include <umc/disk.h>

/* The host's open modes are the kernel's, passed through as they are. */
_Static_assert(UMC_FMODE_READ == (__force unsigned int)FMODE_READ, "FMODE_READ");
_Static_assert(UMC_FMODE_WRITE == (__force unsigned int)FMODE_WRITE, "FMODE_WRITE");
_Static_assert(UMC_FMODE_NDELAY == (__force unsigned int)FMODE_NDELAY, "FMODE_NDELAY");
_Static_assert(UMC_FMODE_EXCL == (__force unsigned int)FMODE_EXCL, "FMODE_EXCL");

void umc_disk_get_info(struct umc_disk *d, struct umc_disk_info *out)
{
	struct gendisk *disk = &d->disk;
	const struct queue_limits *lim = &d->queue.limits;

	memset(out, 0, sizeof(*out));
	if (!disk_live(disk))
		return;
	out->live = true;
	out->capacity_bytes = (unsigned long long)get_capacity(disk) << SECTOR_SHIFT;
	out->logical_block_size = queue_logical_block_size(&d->queue);
	out->max_io_bytes = (unsigned int)min_t(
		unsigned long long, (unsigned long long)READ_ONCE(lim->max_hw_sectors) << SECTOR_SHIFT, UINT_MAX);
	out->max_discard_bytes = (unsigned int)min_t(
		unsigned long long, (unsigned long long)READ_ONCE(lim->max_discard_sectors) << SECTOR_SHIFT, UINT_MAX);
	out->read_only = get_disk_ro(disk);
}

int umc_disk_open(struct umc_disk *d, unsigned int fmode)
{
	int ret = 0;

	if (!umc_disk_enter(d))
		return -ENXIO;
	if (d->disk.fops && d->disk.fops->open)
		ret = d->disk.fops->open(&d->part0, fmode);
	umc_disk_leave(d);
	return ret;
}

/* A release after del_gendisk does not reach the module.  The kernel (6.1)
 * would still call ->release from the last blkdev_put, but with DRBD that
 * runs drbd_release() on a drbd_device that drbd_delete_device() has freed
 * by then (adm_del_minor deletes the minor and drops the last kref right
 * after del_gendisk + synchronize_rcu; open_cnt is not consulted).  DRBD
 * only deletes a Secondary minor, and a Secondary has no openers unless
 * allow_oos let a reader in (openers keep it from being demoted), so the
 * skipped release loses nothing but a decrement of freed memory. */
void umc_disk_release(struct umc_disk *d, unsigned int fmode)
{
	if (!umc_disk_enter(d))
		return;
	if (d->disk.fops && d->disk.fops->release)
		d->disk.fops->release(&d->disk, fmode);
	umc_disk_leave(d);
}

/* ---- requests ----------------------------------------------------------
 * The data are host memory, not page frames of the runtime: each iovec
 * becomes one multi-page bio_vec over a transient, contiguous array of
 * struct page descriptors, one per PAGE_SIZE chunk it touches, with
 * ->virtual the chunk's page-aligned address.  bvec iteration
 * (bio_for_each_segment) finds the chunk by `bv_page + idx`, and
 * page_address() + offset gives back host addresses.  The descriptors carry
 * a reference count of 1 and are never handed to put_page: DRBD checks
 * sendpage_ok() (count >= 1) before zero-copy sends, and our sendpage
 * copies synchronously without taking a reference.  They live until the
 * request completes.
 *
 * The memory is held to what O_DIRECT demands of a kernel block device
 * (bdev_dma_alignment, 512 bytes by default): each iovec's address and
 * length aligned, so every segment DRBD iterates is a whole number of
 * sectors and its per-segment `size >> 9` accounting matches a kernel
 * node's.  Anything else is refused with -EINVAL, as O_DIRECT refuses it. */
struct disk_req {
	struct umc_bdev_io *io;
	struct page *pages;
	unsigned int npages;
	struct bio bio; /* last: its inline vecs follow, then the pages */
};

static void disk_req_end_io(struct bio *bio)
{
	struct disk_req *r = container_of(bio, struct disk_req, bio);
	struct umc_bdev_io *io = r->io;
	int status = blk_status_to_errno(bio->bi_status);
	unsigned int i;

	/* Nobody may keep a transient page (it is freed here). */
	for (i = 0; i < r->npages; i++)
		WARN_ON_ONCE(page_count(&r->pages[i]) != 1);
	kfree(r);
	io->done(io, status);
}

static const struct umc_iov *io_iov(const struct umc_bdev_io *io, int i)
{
	return &io->iov[i];
}

static unsigned long iov_pages(const struct umc_iov *v)
{
	unsigned long off = offset_in_page(v->base);

	return DIV_ROUND_UP(off + v->len, PAGE_SIZE);
}

/* ---- zeroing without WRITE_ZEROES -----------------------------------------
 * fallocate(FALLOC_FL_ZERO_RANGE) of a kernel block device is
 * blkdev_issue_zeroout() without BLKDEV_ZERO_NOFALLBACK (block/fops.c,
 * blkdev_fallocate): a device that advertises no WRITE_ZEROES (DRBD without
 * a connected peer) gets the range written with pages of zeroes
 * (__blkdev_issue_zero_pages).  The same here, asynchronously: WRITE bios of
 * one zeroed page repeated, the request done when the last one is. */
struct zero_req {
	struct umc_bdev_io *io;
	struct page *zero;
	atomic_t pending; /* bios in flight, plus one while submitting */
	int error;        /* the first failure */
};

static void zero_req_put(struct zero_req *z)
{
	struct umc_bdev_io *io = z->io;
	int error;

	if (!atomic_dec_and_test(&z->pending))
		return;
	error = READ_ONCE(z->error);
	__free_page(z->zero);
	kfree(z);
	io->done(io, error);
}

static void zero_bio_end_io(struct bio *bio)
{
	struct zero_req *z = bio->bi_private;
	int err = blk_status_to_errno(bio->bi_status);

	if (err)
		cmpxchg(&z->error, 0, err);
	bio_put(bio);
	zero_req_put(z);
}

/* Called inside umc_disk_enter(d); completes @io itself. */
static void submit_zero_pages(struct umc_disk *d, struct umc_bdev_io *io)
{
	sector_t sector = io->offset >> SECTOR_SHIFT, nr_sects = io->length >> SECTOR_SHIFT;
	unsigned int max_sectors = min_not_zero(d->queue.limits.max_sectors, BIO_MAX_VECS * PAGE_SECTORS);
	struct zero_req *z;

	max_sectors = round_down(max_sectors, PAGE_SECTORS) ?: PAGE_SECTORS;
	z = kzalloc(sizeof(*z), GFP_NOIO);
	if (z)
		z->zero = alloc_page(GFP_NOIO | __GFP_ZERO);
	if (!z || !z->zero) {
		kfree(z);
		io->done(io, -ENOMEM);
		return;
	}
	z->io = io;
	atomic_set(&z->pending, 1);
	while (nr_sects) {
		unsigned int n = min_t(sector_t, nr_sects, max_sectors);
		unsigned int vecs = DIV_ROUND_UP(n, PAGE_SECTORS), i, left = n << SECTOR_SHIFT;
		struct bio *bio = bio_alloc(&d->part0, vecs, REQ_OP_WRITE, GFP_NOIO);

		if (!bio) {
			cmpxchg(&z->error, 0, -ENOMEM);
			break;
		}
		bio->bi_iter.bi_sector = sector;
		for (i = 0; i < vecs; i++) {
			unsigned int len = min_t(unsigned int, left, PAGE_SIZE);

			bio->bi_io_vec[i].bv_page = z->zero;
			bio->bi_io_vec[i].bv_offset = 0;
			bio->bi_io_vec[i].bv_len = len;
			bio->bi_iter.bi_size += len;
			left -= len;
		}
		bio->bi_vcnt = vecs;
		bio->bi_end_io = zero_bio_end_io;
		bio->bi_private = z;
		atomic_inc(&z->pending);
		submit_bio(bio);
		sector += n;
		nr_sects -= n;
	}
	zero_req_put(z);
}

void umc_disk_submit(struct umc_disk *d, struct umc_bdev_io *io)
{
	unsigned int lbs = queue_logical_block_size(&d->queue);
	bool has_data = io->op <= UMC_BDEV_OP_WRITE;
	unsigned long long total = 0;
	unsigned long npages = 0;
	unsigned int nvecs = 0, k = 0;
	blk_opf_t opf;
	struct disk_req *r;
	sector_t capacity;
	int i, err = -EINVAL;

	switch (io->op) {
	case UMC_BDEV_OP_READ:
		opf = REQ_OP_READ;
		break;
	case UMC_BDEV_OP_WRITE:
		opf = REQ_OP_WRITE;
		break;
	case UMC_BDEV_OP_FLUSH:
		opf = REQ_OP_WRITE | REQ_PREFLUSH;
		break;
	case UMC_BDEV_OP_DISCARD:
		opf = REQ_OP_DISCARD;
		break;
	case UMC_BDEV_OP_WRITE_ZEROES:
		opf = REQ_OP_WRITE_ZEROES;
		break;
	default:
		goto fail;
	}
	if (io->flags & ~(UMC_BDEV_F_PREFLUSH | UMC_BDEV_F_FUA))
		goto fail;
	/* PREFLUSH/FUA go with writes only (the kernel's submit_bio_noacct). */
	if (io->flags && io->op != UMC_BDEV_OP_WRITE && io->op != UMC_BDEV_OP_FLUSH)
		goto fail;
	if (io->flags & UMC_BDEV_F_PREFLUSH)
		opf |= REQ_PREFLUSH;
	if (io->flags & UMC_BDEV_F_FUA)
		opf |= REQ_FUA;
	if (io->op == UMC_BDEV_OP_FLUSH) {
		if (io->length)
			goto fail;
	} else {
		if (!io->length || io->length > UINT_MAX || (io->offset | io->length) % lbs)
			goto fail;
	}
	if (has_data) {
		unsigned long dma_mask = d->queue.limits.dma_alignment;

		if (io->iovcnt <= 0 || !io->iov)
			goto fail;
		for (i = 0; i < io->iovcnt; i++) {
			const struct umc_iov *v = io_iov(io, i);

			if (!v->len)
				continue;
			if (v->len > UINT_MAX || (((unsigned long)v->base | v->len) & dma_mask))
				goto fail;
			total += v->len;
			npages += iov_pages(v);
			nvecs++;
		}
		if (total != io->length || nvecs > USHRT_MAX)
			goto fail;
	}

	if (!umc_disk_enter(d)) {
		err = -ENXIO;
		goto fail;
	}
	/* As the kernel's bio_check_eod: only when the size is known. */
	capacity = get_capacity(&d->disk);
	if (io->op != UMC_BDEV_OP_FLUSH && capacity &&
	    ((io->length >> SECTOR_SHIFT) > capacity ||
	     (io->offset >> SECTOR_SHIFT) > capacity - (io->length >> SECTOR_SHIFT))) {
		err = -EIO;
		goto fail_leave;
	}
	/* A device without a volatile cache has nothing to flush. */
	if (!test_bit(QUEUE_FLAG_WC, &d->queue.queue_flags)) {
		opf &= ~(REQ_PREFLUSH | REQ_FUA);
		if (io->op == UMC_BDEV_OP_FLUSH) {
			umc_disk_leave(d);
			io->done(io, 0);
			return;
		}
	}
	if (io->op == UMC_BDEV_OP_DISCARD && !d->queue.limits.max_discard_sectors) {
		err = -EOPNOTSUPP;
		goto fail_leave;
	}
	if (io->op == UMC_BDEV_OP_WRITE_ZEROES && !d->queue.limits.max_write_zeroes_sectors) {
		submit_zero_pages(d, io);
		umc_disk_leave(d);
		return;
	}

	r = kzalloc(sizeof(*r) + nvecs * sizeof(struct bio_vec) + npages * sizeof(struct page), GFP_NOIO);
	if (!r) {
		err = -ENOMEM;
		goto fail_leave;
	}
	r->io = io;
	r->npages = npages;
	r->pages = (struct page *)&r->bio.bi_inline_vecs[nvecs];
	bio_init(&r->bio, &d->part0, r->bio.bi_inline_vecs, nvecs, opf);
	r->bio.bi_end_io = disk_req_end_io;
	r->bio.bi_private = r;
	r->bio.bi_iter.bi_sector = io->op == UMC_BDEV_OP_FLUSH ? 0 : io->offset >> SECTOR_SHIFT;
	r->bio.bi_iter.bi_size = io->op == UMC_BDEV_OP_FLUSH ? 0 : (unsigned int)io->length;
	if (has_data) {
		unsigned long p = 0;

		for (i = 0; i < io->iovcnt; i++) {
			const struct umc_iov *v = io_iov(io, i);
			unsigned long base = (unsigned long)v->base, j, n;
			struct bio_vec *bv;

			if (!v->len)
				continue;
			n = iov_pages(v);
			for (j = 0; j < n; j++) {
				struct page *pg = &r->pages[p + j];

				pg->virtual = (void *)((base & PAGE_MASK) + j * PAGE_SIZE);
				INIT_LIST_HEAD(&pg->lru);
				set_page_count(pg, 1);
			}
			bv = &r->bio.bi_io_vec[k++];
			bv->bv_page = &r->pages[p];
			bv->bv_offset = offset_in_page(base);
			bv->bv_len = (unsigned int)v->len;
			p += n;
		}
		r->bio.bi_vcnt = k;
	}
	/* In this task, as the kernel's submit_bio: bios the driver submits
	 * meanwhile (its clones for the backing device, a split remainder) are
	 * dispatched before this returns; completion may come from anywhere. */
	submit_bio(&r->bio);
	umc_disk_leave(d);
	return;

fail_leave:
	umc_disk_leave(d);
fail:
	io->done(io, err);
}

/* A plug for a host thread's batch of umc_disk_submit calls (see
 * kernel_host.h); on the heap, since the host cannot size struct blk_plug. */
void *umc_plug_start(void)
{
	struct blk_plug *plug = kmalloc(sizeof(*plug), GFP_NOIO);

	if (plug)
		blk_start_plug(plug);
	return plug;
}

void umc_plug_finish(void *plug)
{
	if (!plug)
		return;
	blk_finish_plug(plug);
	kfree(plug);
}
