// SPDX-License-Identifier: GPL-2.0
/* See block_driver.h. */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include <linux/part_stat.h>
#include "block_driver.h"

/* Counts completions of the bios the test ends itself. */
static int endio_calls;
static void count_endio(struct bio *bio)
{
	endio_calls++;
}

#define MAX_SEEN 16
static struct {
	int n;
	int op[MAX_SEEN];
	sector_t sector[MAX_SEEN];
	unsigned int sectors[MAX_SEEN];
	int nonzero_data;
	struct bio *held[MAX_SEEN];
	bool hold;
} seen;

/* The "device": records the bio and completes it at once, or holds it. */
static void fake_submit(struct bio *bio)
{
	struct bvec_iter iter;
	struct bio_vec bv;
	int i = seen.n++;

	if (i >= MAX_SEEN) {
		bio_io_error(bio);
		return;
	}
	seen.op[i] = bio_op(bio);
	seen.sector[i] = bio->bi_iter.bi_sector;
	seen.sectors[i] = bio_sectors(bio);
	if (bio_op(bio) == REQ_OP_WRITE) {
		bio_for_each_segment(bv, bio, iter)
		{
			const char *p = (char *)page_address(bv.bv_page) + bv.bv_offset;
			unsigned int k;
			for (k = 0; k < bv.bv_len; k++)
				seen.nonzero_data |= p[k] != 0;
		}
	}
	if (seen.hold) {
		seen.held[i] = bio;
		return;
	}
	bio_endio(bio);
}

int ksd_block_path(void)
{
	struct gendisk *disk = blk_alloc_disk(NUMA_NO_NODE);
	struct block_device *bdev;
	struct page *pages;
	struct bio *bio, *front;
	int step = 0, i;

	memset(&seen, 0, sizeof(seen));
	step++;
	if (!disk)
		return step;
	bdev = disk->part0;
	bdev->bd_submit = fake_submit;
	set_capacity(disk, 1 << 20);
	disk->queue->limits.max_sectors = 32;
	disk->queue->limits.max_hw_sectors = 32;
	disk->queue->limits.max_discard_sectors = 16;

	/* 24 KiB write = 48 sectors; the queue takes 32 at a time. */
	pages = alloc_pages(GFP_KERNEL | __GFP_ZERO, 3);
	bio = bio_alloc(bdev, 6, REQ_OP_WRITE, GFP_NOIO);
	for (i = 0; i < 6; i++)
		bio_add_page(bio, pages + i, PAGE_SIZE, 0);
	bio->bi_iter.bi_sector = 1000;
	bio->bi_end_io = count_endio;
	endio_calls = 0;
	seen.hold = true;
	front = bio_split_to_limits(bio);
	/* The remainder went to the device; we got the front part. */
	step++;
	if (!front || front == bio || bio_sectors(front) != 32 || front->bi_iter.bi_sector != 1000)
		return step;
	step++;
	if (seen.n != 1 || seen.sector[0] != 1032 || seen.sectors[0] != 16)
		return step;
	submit_bio(front);
	step++;
	if (seen.n != 2 || seen.sector[1] != 1000 || seen.sectors[1] != 32)
		return step;
	/* The original completes once, after both parts. */
	bio_endio(seen.held[1]);
	step++;
	if (endio_calls != 0)
		return step;
	bio_endio(seen.held[0]);
	step++;
	if (endio_calls != 1)
		return step;
	bio_put(bio);
	step++;
	if (part_stat_read_accum(bdev, sectors) != 32)
		return step; /* submit_bio counted the front */
	seen.hold = false;

	/* Discard of 40 sectors in bios of at most 16. */
	seen.n = 0;
	step++;
	if (blkdev_issue_discard(bdev, 2000, 40, GFP_KERNEL) != 0)
		return step;
	step++;
	if (seen.n != 3 || seen.op[0] != REQ_OP_DISCARD || seen.sectors[0] != 16 || seen.sectors[2] != 8 ||
	    seen.sector[2] != 2032)
		return step;

	/* No WRITE_ZEROES on this device: zeroout writes zero pages. */
	seen.n = 0;
	step++;
	if (blkdev_issue_zeroout(bdev, 4000, 40, GFP_KERNEL, 0) != 0)
		return step;
	step++;
	if (seen.n != 2 || seen.op[0] != REQ_OP_WRITE || seen.sectors[0] != 32 || seen.sectors[1] != 8 ||
	    seen.nonzero_data)
		return step;
	step++;
	if (blkdev_issue_zeroout(bdev, 4000, 40, GFP_KERNEL, BLKDEV_ZERO_NOFALLBACK) != -EOPNOTSUPP)
		return step;

	/* A device without a way in fails bios with an I/O error. */
	bdev->bd_submit = NULL;
	bio = bio_alloc(bdev, 0, REQ_OP_FLUSH | REQ_PREFLUSH, GFP_NOIO);
	step++;
	if (submit_bio_wait(bio) != -EIO)
		return step;
	bio_put(bio);

	__free_pages(pages, 3);
	put_disk(disk);
	umc_kernel_shutdown();
	return 0;
}
