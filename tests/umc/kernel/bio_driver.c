// SPDX-License-Identifier: GPL-2.0
/* See bio_driver.h. */
#include <linux/bio.h>
#include <linux/blkdev.h>
#include "bio_driver.h"

static int endio_calls;
static void count_endio(struct bio *bio)
{
	endio_calls++;
}

int ksd_bio_alloc_add_iterate_clone(void)
{
	struct bio_set bs;
	struct page *pg = alloc_pages(GFP_KERNEL, 1);
	struct bio *bio, *clone;
	struct bio_vec bv;
	struct bvec_iter iter;
	unsigned int segs = 0, bytes = 0;
	int step = 0;

	step++;
	if (!pg || bioset_init(&bs, 2, 0, BIOSET_NEED_BVECS))
		return step;
	bio = bio_alloc_bioset(NULL, 4, REQ_OP_WRITE | REQ_FUA, GFP_NOIO, &bs);
	step++;
	if (!bio || bio_op(bio) != REQ_OP_WRITE || !(bio->bi_opf & REQ_FUA))
		return step;
	bio->bi_iter.bi_sector = 100;
	step++;
	if (bio_add_page(bio, pg, 1024, 0) != 1024)
		return step;
	step++;
	if (bio_add_page(bio, pg, 1024, 1024) != 1024 || bio->bi_vcnt != 1)
		return step; /* merged */
	step++;
	if (bio_add_page(bio, pg + 1, 4096, 0) != 4096 || bio->bi_vcnt != 2)
		return step;
	step++;
	if (bio->bi_iter.bi_size != 6144 || bio_sectors(bio) != 12 || bio_end_sector(bio) != 112)
		return step;
	bio_for_each_segment(bv, bio, iter)
	{
		segs++;
		bytes += bv.bv_len;
	}
	step++;
	if (segs != 2 || bytes != 6144 || bio->bi_iter.bi_size != 6144)
		return step; /* iter copy */
	clone = bio_alloc_clone(NULL, bio, GFP_NOIO, &bs);
	step++;
	if (!clone || clone->bi_io_vec != bio->bi_io_vec || clone->bi_iter.bi_sector != 100 ||
	    clone->bi_iter.bi_size != 6144 || !bio_flagged(clone, BIO_CLONED))
		return step;
	/* Advancing the clone does not move the original. */
	bio_advance_iter(clone, &clone->bi_iter, 2048);
	step++;
	if (clone->bi_iter.bi_sector != 104 || bio->bi_iter.bi_sector != 100 || bio_page(clone) != pg + 1 ||
	    bio_offset(clone) != 0)
		return step;
	endio_calls = 0;
	clone->bi_end_io = count_endio;
	bio_endio(clone);
	step++;
	if (endio_calls != 1)
		return step;
	bio_put(clone);
	bio_get(bio);
	bio_put(bio); /* one reference left */
	bio_put(bio);
	bioset_exit(&bs);
	__free_pages(pg, 1);
	return 0;
}

static blk_status_t parent_status;
static void parent_endio(struct bio *bio)
{
	endio_calls++;
	parent_status = bio->bi_status;
}

int ksd_bio_chain_completion(void)
{
	struct bio *parent = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	struct bio *a = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	struct bio *b = bio_alloc(NULL, 0, REQ_OP_WRITE, GFP_NOIO);
	int result;

	endio_calls = 0;
	parent->bi_end_io = parent_endio;
	bio_chain(a, parent);
	bio_chain(b, parent);
	b->bi_status = BLK_STS_IOERR;
	bio_endio(b); /* child done: parent waits for a and itself */
	bio_endio(parent);
	if (endio_calls != 0)
		return -1;
	bio_endio(a); /* last one: parent completes, with b's error */
	result = endio_calls * 10 + (int)parent_status;
	bio_put(parent);
	return result;
}
