// SPDX-License-Identifier: GPL-2.0
/* See host_bdev_driver.h. */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include "host_bdev_driver.h"

static char ram[64 * 1024];
static unsigned int last_op, last_flags, ios;

static void ram_submit(void *host, struct umc_bdev_io *io)
{
	unsigned long long off = io->offset;
	int i;

	ios++;
	last_op = io->op;
	last_flags = io->flags;
	if (io->op <= 1) {
		for (i = 0; i < io->iovcnt; i++) {
			struct umc_iov *v = (struct umc_iov *)&io->iov[i];
			if (off + v->len > sizeof(ram)) {
				io->done(io, -EIO);
				return;
			}
			if (io->op == 1)
				memcpy(ram + off, v->base, v->len);
			else
				memcpy(v->base, ram + off, v->len);
			off += v->len;
		}
	}
	io->done(io, 0);
}

static const struct umc_bdev_host_ops ram_ops = {.submit = ram_submit};

int ksd_host_bdev(void)
{
	struct umc_bdev_geometry geo = {
		.size_bytes = sizeof(ram),
		.logical_block_size = 512,
		.physical_block_size = 4096,
		.max_io_bytes = 16384,
		.volatile_cache = true,
		.fua = true,
	};
	struct block_device *bdev, *again;
	struct page *pg = alloc_page(GFP_KERNEL);
	struct bio *bio;
	int step = 0, holder_a, holder_b;
	char *p;

	memset(ram, 0, sizeof(ram));
	step++;
	if (umc_bdev_register("/dev/test/disk0", NULL, &ram_ops, &geo))
		return step;
	step++;
	if (umc_bdev_register("/dev/test/disk0", NULL, &ram_ops, &geo) != -EEXIST)
		return step;
	step++;
	if (!IS_ERR(blkdev_get_by_path("/dev/test/none", FMODE_READ, NULL)))
		return step;
	bdev = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder_a);
	step++;
	if (IS_ERR(bdev))
		return step;
	again = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder_b);
	step++;
	if (PTR_ERR(again) != -EBUSY)
		return step;
	step++;
	if (bdev_nr_sectors(bdev) != 128 || bdev_physical_block_size(bdev) != 4096 ||
	    queue_max_hw_sectors(bdev_get_queue(bdev)) != 32 || !bdev_write_cache(bdev))
		return step;
	step++;
	if (umc_bdev_unregister("/dev/test/disk0") != -EBUSY)
		return step;

	p = page_address(pg);
	memset(p, 0x5a, PAGE_SIZE);
	bio = bio_alloc(bdev, 1, REQ_OP_WRITE | REQ_FUA, GFP_NOIO);
	bio->bi_iter.bi_sector = 8;
	bio_add_page(bio, pg, 1024, 0);
	step++;
	if (submit_bio_wait(bio) || last_op != 1 || last_flags != 2 || ram[4096] != 0x5a || ram[4096 + 1024] != 0)
		return step;
	bio_put(bio);

	memset(p, 0, PAGE_SIZE);
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = 8;
	bio_add_page(bio, pg, 1024, 0);
	step++;
	if (submit_bio_wait(bio) || last_op != 0 || p[0] != 0x5a || p[1023] != 0x5a)
		return step;
	bio_put(bio);

	/* an empty PREFLUSH write is a flush */
	bio = bio_alloc(bdev, 0, REQ_OP_WRITE | REQ_PREFLUSH, GFP_NOIO);
	step++;
	if (submit_bio_wait(bio) || last_op != 2 || last_flags != 0)
		return step;
	bio_put(bio);

	/* beyond the device: the host's error reaches the bio */
	bio = bio_alloc(bdev, 1, REQ_OP_READ, GFP_NOIO);
	bio->bi_iter.bi_sector = 200;
	bio_add_page(bio, pg, 512, 0);
	step++;
	if (submit_bio_wait(bio) != -EIO)
		return step;
	bio_put(bio);

	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	again = blkdev_get_by_path("/dev/test/disk0", FMODE_READ | FMODE_EXCL, &holder_b);
	step++;
	if (IS_ERR(again))
		return step;
	blkdev_put(again, FMODE_READ | FMODE_EXCL);
	step++;
	if (umc_bdev_unregister("/dev/test/disk0") != 0)
		return step;
	__free_page(pg);
	umc_kernel_shutdown();
	return 0;
}

/* ---- plugged submission merges adjacent requests ---- */
struct rec_req {
	unsigned long long offset, length;
	int iovcnt;
	unsigned int flags;
};
static struct rec_req recs[64];
static int n_recs;
static unsigned long long fail_offset = ~0ull;

static void rec_submit(void *host, struct umc_bdev_io *io)
{
	if (n_recs < 64)
		recs[n_recs++] = (struct rec_req){io->offset, io->length, io->iovcnt, io->flags};
	io->done(io, io->offset == fail_offset ? -EIO : 0);
}
static const struct umc_bdev_host_ops rec_ops = {.submit = rec_submit};

static int ended, ended_errors;
static void count_end(struct bio *bio)
{
	ended++;
	if (bio->bi_status)
		ended_errors++;
	bio_put(bio);
}

static void write_at(struct block_device *bdev, struct page *pg, sector_t sector, blk_opf_t extra)
{
	struct bio *bio = bio_alloc(bdev, 1, REQ_OP_WRITE | extra, GFP_NOIO);

	bio->bi_iter.bi_sector = sector;
	bio_add_page(bio, pg, 4096, 0);
	bio->bi_end_io = count_end;
	submit_bio(bio);
}

int ksd_host_bdev_plug_merge(void)
{
	struct umc_bdev_geometry geo = {
		.size_bytes = 1 << 20,
		.logical_block_size = 512,
		.physical_block_size = 4096,
		.max_io_bytes = 16384,
		.volatile_cache = true,
		.fua = true,
	};
	struct page *pg[7];
	struct block_device *bdev;
	struct blk_plug plug;
	int step = 0, i, holder;

	for (i = 0; i < 7; i++)
		pg[i] = alloc_page(GFP_KERNEL);
	step++;
	if (umc_bdev_register("/dev/test/plugged", NULL, &rec_ops, &geo))
		return step;
	bdev = blkdev_get_by_path("/dev/test/plugged", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	step++;
	if (IS_ERR(bdev))
		return step;

	/* Unplugged: every bio is a request of its own. */
	n_recs = ended = ended_errors = 0;
	for (i = 0; i < 4; i++)
		write_at(bdev, pg[i], i * 8, 0);
	step++;
	if (n_recs != 4 || ended != 4 || recs[0].length != 4096)
		return step;

	/* Plugged: held until the plug finishes, then adjacent plain writes
	 * merge up to max_io_bytes; a FUA write is not held. */
	n_recs = ended = ended_errors = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 5; i++)
		write_at(bdev, pg[i], i * 8, 0); /* 0..40 KiB: 16 KiB + 4 KiB */
	write_at(bdev, pg[5], 64, 0);            /* apart */
	write_at(bdev, pg[6], 48, REQ_FUA);      /* FUA: goes at once */
	step++;
	if (n_recs != 1 || recs[0].offset != 48 * 512 || recs[0].flags != 2 || ended != 1)
		return step;
	blk_finish_plug(&plug);
	step++;
	if (n_recs != 4 || ended != 7 || ended_errors)
		return step;
	step++;
	if (recs[1].offset != 0 || recs[1].length != 16384 || recs[1].iovcnt != 4)
		return step;
	step++;
	if (recs[2].offset != 16384 || recs[2].length != 4096 || recs[2].iovcnt != 1)
		return step;
	step++;
	if (recs[3].offset != 64 * 512 || recs[3].length != 4096)
		return step;

	/* An error of a merged request reaches each of its bios. */
	n_recs = ended = ended_errors = 0;
	fail_offset = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 3; i++)
		write_at(bdev, pg[i], i * 8, 0);
	blk_finish_plug(&plug);
	fail_offset = ~0ull;
	step++;
	if (n_recs != 1 || ended != 3 || ended_errors != 3)
		return step;

	/* The host-side bracket does the same for a host thread. */
	n_recs = ended = 0;
	{
		void *hp = umc_plug_start();
		for (i = 0; i < 2; i++)
			write_at(bdev, pg[i], i * 8, 0);
		step++;
		if (!hp || n_recs != 0)
			return step;
		umc_plug_finish(hp);
	}
	step++;
	if (n_recs != 1 || recs[0].length != 8192 || ended != 2)
		return step;

	/* A plug holds at most 32 requests, as blk_add_rq_to_plug: the 33rd
	 * flushes the 32 before it (DRBD's receiver keeps its plug while data
	 * keeps coming, and would otherwise hold its writes back). */
	n_recs = ended = 0;
	blk_start_plug(&plug);
	for (i = 0; i < 32; i++)
		write_at(bdev, pg[i % 2], i * 16, 0); /* apart: 32 requests */
	step++;
	if (n_recs != 0)
		return step;
	write_at(bdev, pg[0], 32 * 16, 0);
	step++;
	if (n_recs != 32 || ended != 32 || recs[31].offset != 31 * 16 * 512)
		return step;
	blk_finish_plug(&plug);
	step++;
	if (n_recs != 33 || ended != 33 || recs[32].offset != 32 * 16 * 512)
		return step;

	blkdev_put(bdev, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	step++;
	if (umc_bdev_unregister("/dev/test/plugged") != 0)
		return step;
	for (i = 0; i < 7; i++)
		__free_page(pg[i]);
	umc_kernel_shutdown(); /* the default bio sets */
	return 0;
}

int ksd_host_bdev_claims(void)
{
	struct umc_bdev_geometry geo = {.size_bytes = 1 << 20, .logical_block_size = 512};
	struct block_device *a, *b, *c;
	int step = 0, holder, other;

	step++;
	if (umc_bdev_register("/dev/test/claims", NULL, &ram_ops, &geo))
		return step;
	step++;
	if (umc_bdev_claimed("/dev/test/claims") != 0)
		return step;
	step++;
	if (umc_bdev_claimed("/dev/test/none") != -ENOENT)
		return step;
	/* a shared open is no claim */
	c = blkdev_get_by_path("/dev/test/claims", FMODE_READ, NULL);
	step++;
	if (IS_ERR(c) || umc_bdev_claimed("/dev/test/claims") != 0)
		return step;
	/* the same holder twice, as DRBD with internal meta data */
	a = blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	b = blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_WRITE | FMODE_EXCL, &holder);
	step++;
	if (IS_ERR(a) || IS_ERR(b) || umc_bdev_claimed("/dev/test/claims") != 1)
		return step;
	blkdev_put(b, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	/* still claimed by the first open: another holder is refused */
	step++;
	if (umc_bdev_claimed("/dev/test/claims") != 1)
		return step;
	step++;
	if (PTR_ERR(blkdev_get_by_path("/dev/test/claims", FMODE_READ | FMODE_EXCL, &other)) != -EBUSY)
		return step;
	/* a rescan: the opener sees the new size */
	step++;
	if (umc_bdev_set_size("/dev/test/claims", 3 << 20) || bdev_nr_sectors(a) != (3 << 20) / 512)
		return step;
	step++;
	if (umc_bdev_set_size("/dev/test/none", 1) != -ENOENT)
		return step;
	blkdev_put(a, FMODE_READ | FMODE_WRITE | FMODE_EXCL);
	step++;
	if (umc_bdev_claimed("/dev/test/claims") != 0)
		return step;
	blkdev_put(c, FMODE_READ);
	step++;
	if (umc_bdev_unregister("/dev/test/claims"))
		return step;
	return 0;
}
