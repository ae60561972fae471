// SPDX-License-Identifier: GPL-2.0
/* Synchronous block helpers: submit_bio_wait, discard and zero-out of a
 * sector range (split into bios the device's limits allow). */
#include <linux/blkdev.h>
#include <linux/bio.h>
#include <linux/completion.h>
#include <linux/mm.h>

static void submit_bio_wait_endio(struct bio *bio)
{
	complete(bio->bi_private);
}

/* Submits and waits; returns the bio's status as -errno. */
int submit_bio_wait(struct bio *bio)
{
	DECLARE_COMPLETION_ONSTACK(done);

	bio->bi_private = &done;
	bio->bi_end_io = submit_bio_wait_endio;
	bio->bi_opf |= REQ_SYNC;
	submit_bio(bio);
	wait_for_completion_io(&done);
	return blk_status_to_errno(bio->bi_status);
}

/* Issues [sector, sector + nr_sects) as bios of @op of at most @max_sectors
 * each (dataless ops); returns the first error. */
static int issue_dataless(struct block_device *bdev, sector_t sector, sector_t nr_sects, gfp_t gfp, blk_opf_t opf,
			  unsigned int max_sectors)
{
	int ret = 0;

	while (nr_sects) {
		unsigned int n = min_t(sector_t, nr_sects, max_sectors);
		struct bio *bio = bio_alloc(bdev, 0, opf, gfp);
		int err;

		bio->bi_iter.bi_sector = sector;
		bio->bi_iter.bi_size = n << SECTOR_SHIFT;
		err = submit_bio_wait(bio);
		bio_put(bio);
		if (err && !ret)
			ret = err;
		sector += n;
		nr_sects -= n;
	}
	return ret;
}

int blkdev_issue_discard(struct block_device *bdev, sector_t sector, sector_t nr_sects, gfp_t gfp_mask)
{
	unsigned int max = bdev_max_discard_sectors(bdev);
	unsigned int lbs_sectors = bdev_logical_block_size(bdev) >> SECTOR_SHIFT;

	if (!max)
		return -EOPNOTSUPP;
	if ((sector | nr_sects) & (lbs_sectors - 1))
		return -EINVAL;
	max = round_down(max, lbs_sectors);
	return issue_dataless(bdev, sector, nr_sects, gfp_mask, REQ_OP_DISCARD, max);
}

/* Zeroes the range: with WRITE_ZEROES when the device has it, else (unless
 * BLKDEV_ZERO_NOFALLBACK) by writing pages of zeroes. */
int blkdev_issue_zeroout(struct block_device *bdev, sector_t sector, sector_t nr_sects, gfp_t gfp_mask, unsigned flags)
{
	unsigned int max_wz = bdev_write_zeroes_sectors(bdev);
	unsigned int lbs_sectors = bdev_logical_block_size(bdev) >> SECTOR_SHIFT;
	struct page *zero;
	int ret = 0;

	if ((sector | nr_sects) & (lbs_sectors - 1))
		return -EINVAL;
	if (max_wz)
		return issue_dataless(bdev, sector, nr_sects, gfp_mask,
				      REQ_OP_WRITE_ZEROES | ((flags & BLKDEV_ZERO_NOUNMAP) ? REQ_NOUNMAP : 0),
				      round_down(max_wz, lbs_sectors));
	if (flags & BLKDEV_ZERO_NOFALLBACK)
		return -EOPNOTSUPP;

	zero = alloc_page(gfp_mask | __GFP_ZERO);
	if (!zero)
		return -ENOMEM;
	while (nr_sects && !ret) {
		unsigned int max_sectors =
			min_not_zero(bdev_get_queue(bdev)->limits.max_sectors, BIO_MAX_VECS * PAGE_SECTORS);
		unsigned int n = min_t(sector_t, nr_sects, round_down(max_sectors, PAGE_SECTORS) ?: PAGE_SECTORS);
		unsigned int vecs = DIV_ROUND_UP(n, PAGE_SECTORS), i, left = n << SECTOR_SHIFT;
		struct bio *bio = bio_alloc(bdev, vecs, REQ_OP_WRITE, gfp_mask);

		bio->bi_iter.bi_sector = sector;
		for (i = 0; i < vecs; i++) {
			unsigned int len = min_t(unsigned int, left, PAGE_SIZE);
			/* the same zero page, as separate vectors */
			bio->bi_io_vec[i].bv_page = zero;
			bio->bi_io_vec[i].bv_offset = 0;
			bio->bi_io_vec[i].bv_len = len;
			bio->bi_iter.bi_size += len;
			left -= len;
		}
		bio->bi_vcnt = vecs;
		ret = submit_bio_wait(bio);
		bio_put(bio);
		sector += n;
		nr_sects -= n;
	}
	__free_page(zero);
	return ret;
}
